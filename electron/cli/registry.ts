/**
 * @file Command groups added by the feature areas (engine, store, attendance, sync).
 * Each area adds one `buildXCommand()` import and one `addCommand` line here.
 */
import type { Command } from 'commander';
import { buildEngineCommands } from './engine';

export function registerCommands(program: Command): void {
  for (const c of buildEngineCommands()) program.addCommand(c);
  void program;
}
