/**
 * @file Command groups added by the feature areas (engine, store, attendance, sync).
 * Each area adds one `buildXCommand()` import and one `addCommand` line here.
 */
import type { Command } from 'commander';

export function registerCommands(program: Command): void {
  void program;
}
