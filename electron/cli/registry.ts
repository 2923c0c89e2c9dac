/**
 * @file Command groups added by the feature areas (engine, store, attendance, sync).
 * Each area adds one `buildXCommand()` import and one `addCommand` line here.
 */
import type { Command } from 'commander';
import { buildClockCommand } from './clock';
import { buildDeviceCommand } from './device';
import { buildEngineCommands } from './engine';
import { buildEventsCommand } from './events';
import { buildEmployeesCommand } from './employees';
import { buildEnrollCommand } from './enroll';
import { buildIdentifyCommand } from './identify';
import { buildKeysCommand } from './keys';
import { buildProvisionCommand } from './provision';
import { buildProvisioningCommand } from './provisioning';
import { buildSyncCommand } from './sync';

export function registerCommands(program: Command): void {
  for (const c of buildEngineCommands()) program.addCommand(c);
  program.addCommand(buildEnrollCommand());
  program.addCommand(buildIdentifyCommand());
  program.addCommand(buildEmployeesCommand());
  program.addCommand(buildKeysCommand());
  program.addCommand(buildClockCommand());
  program.addCommand(buildProvisionCommand());
  program.addCommand(buildProvisioningCommand());
  program.addCommand(buildDeviceCommand());
  program.addCommand(buildSyncCommand());
  program.addCommand(buildEventsCommand());
  void program;
}
