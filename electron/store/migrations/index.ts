/**
 * @file The ordered list of schema migrations. Versions strictly increase; gaps are allowed
 * (so feature areas can number their steps without colliding). Never edit a released step.
 */
import type { Db } from '../database';
import { migration0001 } from './0001-core-identity';
import { migration0002 } from './0002-attendance-sync';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002];
