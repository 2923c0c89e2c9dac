/**
 * @file Which key-encryption key the app uses. The OS keystore (Electron safeStorage) by default;
 * a key file when IT chose one explicitly (KIOSK_KEY_FILE, e.g. on a separately encrypted or
 * TPM-unlocked volume) or when the terminal was set up with the `kiosk` CLI, which can only use
 * a key file (`<data dir>/kek.key`). Switching KEKs under existing data would make every wrapped
 * key unreadable, so an existing key file always wins over safeStorage.
 */
import fs from 'node:fs';
import path from 'node:path';

export const CLI_KEY_FILE = 'kek.key';

export type KeyProviderChoice =
  | { readonly kind: 'safeStorage' }
  | { readonly kind: 'file'; readonly file: string; readonly reason: 'KIOSK_KEY_FILE' | 'cli-key-file' };

export function chooseKeyProvider(dataDir: string, env: NodeJS.ProcessEnv = process.env, exists: (f: string) => boolean = fs.existsSync): KeyProviderChoice {
  // An empty KIOSK_KEY_FILE means unset (same rule as the CLI).
  if (env.KIOSK_KEY_FILE) return { kind: 'file', file: path.resolve(env.KIOSK_KEY_FILE), reason: 'KIOSK_KEY_FILE' };
  const cliKey = path.join(dataDir, CLI_KEY_FILE);
  if (exists(cliKey)) return { kind: 'file', file: cliKey, reason: 'cli-key-file' };
  return { kind: 'safeStorage' };
}
