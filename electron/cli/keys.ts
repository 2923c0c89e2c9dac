/**
 * @file `kiosk keys rotate --to FILE`: re-wrap every tenant data key under a new key-encryption key
 * file. Templates are not re-encrypted (envelope encryption); afterwards only the new key opens the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { InvalidInputError } from '../common/errors';
import { openFileKeyProvider } from '../store/keys/file-key-provider';
import { rotateKeyEncryptionKey } from '../store/tenant-keys';
import { globalOptions } from './context';
import { printResult } from './output';
import { keyFileOf, openStoreContext, openStoreKeys } from './store-context';

export function buildKeysCommand(): Command {
  const keys = new Command('keys').description('manage the key-encryption key that wraps the tenant data keys');
  keys
    .command('rotate')
    .description('re-wrap every tenant data key under a new key file (created with mode 0600 if missing)')
    .requiredOption('--to <file>', 'the new key file')
    .action(async (o: { to: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const ctx = openStoreContext(g);
      try {
        const from = openStoreKeys(g, ctx);
        const target = path.resolve(o.to);
        if (target === keyFileOf(g, ctx.dataDir)) throw new InvalidInputError('--to must be a different file from the current key file');
        const created = !fs.existsSync(target);
        const to = openFileKeyProvider(target, { create: true });
        const rotated = await rotateKeyEncryptionKey(ctx.db, from, to);
        const value = { rotated, from: from.id, to: to.id, keyFile: target, created };
        printResult(g, value, () => `re-wrapped ${rotated} tenant key(s) from ${from.id} to ${to.id}; use --key-file ${target} from now on`);
      } finally {
        ctx.close();
      }
    });
  return keys;
}
