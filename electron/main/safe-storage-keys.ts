/**
 * @file The key provider of the installed app: Electron `safeStorage` (DPAPI, Keychain,
 * libsecret/KWallet) through its ASYNC API — the sync one is deprecated in Electron 45 and
 * removed in 46 (engineering-notes §4) — unless a key file is in use (electron/shell/key-provider-choice.ts).
 * The policy (refuse Linux `basic_text` unless settings.kiosk.allowBasicTextKeyStorage, saying
 * why) lives in electron/store/keys/safe-storage-policy.ts.
 */
import { safeStorage } from 'electron';
import type { Logger } from '../logging/logger';
import { chooseKeyProvider } from '../shell/key-provider-choice';
import type { KeyProvider } from '../store/key-provider';
import { openFileKeyProvider } from '../store/keys/file-key-provider';
import { createSafeStorageKeyProvider } from '../store/keys/safe-storage-policy';

/** Call after `app.whenReady()`: the Linux backend is only known then. Throws KeyError when refused. */
export async function openAppKeyProvider(dataDir: string, allowBasicText: boolean, log: Logger): Promise<KeyProvider> {
  const choice = chooseKeyProvider(dataDir);
  if (choice.kind === 'file') {
    log.info({ file: choice.file, reason: choice.reason }, 'using a key file as key-encryption key');
    return openFileKeyProvider(choice.file);
  }
  const keys = await createSafeStorageKeyProvider(safeStorage, { allowBasicText });
  log.info({ provider: keys.id }, 'using safeStorage as key-encryption key');
  return keys;
}
