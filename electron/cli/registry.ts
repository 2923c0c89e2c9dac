/**
 * @file Command groups added by the feature areas (engine, store, attendance, sync).
 * Each area adds one `buildXCommand()` import and one `addCommand` line here.
 */
import type { Command } from 'commander';
import { buildEngineCommands } from './engine';
import { buildEmployeesCommand } from './employees';
import { buildEnrollCommand } from './enroll';
import { buildIdentifyCommand } from './identify';
import { buildProvisioningCommand } from './provisioning';

export function registerCommands(program: Command): void {
  for (const c of buildEngineCommands()) program.addCommand(c);
  program.addCommand(buildEnrollCommand());
  program.addCommand(buildIdentifyCommand());
  program.addCommand(buildEmployeesCommand());
  program.addCommand(buildProvisioningCommand());
  void program;
}
