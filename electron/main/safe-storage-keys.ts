/**
 * @file The key provider of the installed app: Electron `safeStorage` (DPAPI, Keychain,
 * libsecret/KWallet) through its ASYNC API — the sync one is deprecated in Electron 45 and
 * removed in 46 (engineering-notes §4). The policy (refuse Linux `basic_text` unless
 * settings.kiosk.allowBasicTextKeyStorage, saying why) lives in electron/store/keys.
 */
import { safeStorage } from 'electron';
import type { KeyProvider } from '../store/key-provider';
import { createSafeStorageKeyProvider } from '../store/keys/safe-storage-policy';

/** Call after `app.whenReady()`: the Linux backend is only known then. Throws KeyError when refused. */
export function openSafeStorageKeyProvider(allowBasicText: boolean): Promise<KeyProvider> {
  return createSafeStorageKeyProvider(safeStorage, { allowBasicText });
}
