/**
 * @file `kiosk provisioning`: check a provisioning.json before it is deployed (the same
 * validation the app runs at start) and print its JSON Schema. Applying it is the app's job at
 * start-up (electron/config/provisioning.ts), so that the app's own key store wraps the token.
 */
import path from 'node:path';
import { Command } from 'commander';
import { InvalidInputError } from '../common/errors';
import { resolveMachineConfigDir } from '../config/paths';
import { buildProvisioningJsonSchema, PROVISIONING_FILE, readProvisioningAt } from '../config/provisioning';
import { globalOptions } from './context';
import { printResult } from './output';

export function buildProvisioningCommand(): Command {
  const cmd = new Command('provisioning').description('the provisioning.json IT drops into the machine-wide config folder');
  cmd
    .command('check')
    .description('validate a provisioning file (default: the machine-wide one); exits 2 with the reason when invalid')
    .argument('[file]', 'path of the file to check')
    .action((file: string | undefined, _o: unknown, c: Command) => {
      const g = globalOptions(c);
      const target = path.resolve(file ?? path.join(resolveMachineConfigDir(), PROVISIONING_FILE));
      const r = readProvisioningAt(target);
      if (r.status === 'absent') throw new InvalidInputError(`${target} does not exist`);
      if (r.status === 'invalid') throw new InvalidInputError(r.reason);
      const p = r.provisioning;
      // Never the token: the output may end up in a ticket.
      const out = { file: r.file, valid: true, sha256: r.sha256, endpoint: p.endpoint, tenantId: p.tenantId, siteName: p.siteName ?? null };
      printResult(g, out, () => `${r.file}: valid (tenant ${p.tenantId}, endpoint ${p.endpoint}${p.siteName ? `, site ${p.siteName}` : ''})`);
    });
  cmd
    .command('schema')
    .description('print the JSON Schema of provisioning.json')
    .action(() => {
      process.stdout.write(`${JSON.stringify(buildProvisioningJsonSchema(), null, 2)}\n`);
    });
  return cmd;
}
