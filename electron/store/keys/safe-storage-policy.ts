/**
 * @file Which Electron safeStorage backends may protect the kiosk's key-encryption key, and a
 * KeyProvider over safeStorage's async string API. Pure Node: `electron/main` passes the real
 * `safeStorage` object in, so this module never imports `electron`.
 *
 * Why basic_text is refused: on Linux without a secret service (GNOME libsecret / KWallet),
 * Chromium's os_crypt falls back to `basic_text`, which encrypts with a hard-coded password
 * compiled into Chromium — anyone who can read the data dir can decrypt it. Signal Desktop treats
 * it as "no encryption" (engineering-notes §1). So we refuse it unless IT opts in explicitly with
 * settings.kiosk.allowBasicTextKeyStorage (e.g. a locked-down single-purpose device with full-disk
 * encryption), and the error says so.
 */
import { KeyError } from '../../common/errors';
import type { KeyProvider } from '../key-provider';

export const SAFE_STORAGE_LINUX_BACKENDS = ['basic_text', 'gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6', 'unknown'] as const;

/**
 * Throw KeyError unless `backend` (from `safeStorage.getSelectedStorageBackend()`, Linux only)
 * really protects secrets. On Windows (DPAPI) and macOS (Keychain) pass the platform and any backend.
 */
export function assertSafeStorageBackendAllowed(backend: string, allowBasicText: boolean, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'linux') return;
  if (backend === 'basic_text') {
    if (allowBasicText) return;
    throw new KeyError(
      'safeStorage uses the Linux "basic_text" backend, which encrypts with a fixed password built into Chromium — anyone who can read the data folder could decrypt the face templates. ' +
        'Install and unlock a secret service (gnome-keyring/libsecret or KWallet), or set kiosk.allowBasicTextKeyStorage=true in settings to accept this risk explicitly.',
      { backend },
    );
  }
  if (backend === 'unknown') {
    throw new KeyError('safeStorage backend is "unknown": it is only known after the app is ready and an encryption call has initialised it; call this after app.whenReady() and isAsyncEncryptionAvailable()', { backend });
  }
  if (!(SAFE_STORAGE_LINUX_BACKENDS as readonly string[]).includes(backend)) {
    throw new KeyError(`safeStorage backend "${backend}" is not one this app knows; refusing to trust it`, { backend });
  }
}

/** The slice of Electron's `safeStorage` this provider needs (structural, so no `electron` import). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?(): string;
}

/**
 * A KeyProvider whose KEK is the OS keystore behind safeStorage. Bytes go through base64 because
 * safeStorage's API takes strings. Call after `app.whenReady()`.
 */
export async function createSafeStorageKeyProvider(
  safeStorage: SafeStorageLike,
  opts: { allowBasicText: boolean; platform?: NodeJS.Platform },
): Promise<KeyProvider> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new KeyError('safeStorage encryption is not available on this machine (no OS keystore); use a key file or passphrase provider');
  }
  const platform = opts.platform ?? process.platform;
  const backend = platform === 'linux' && safeStorage.getSelectedStorageBackend ? safeStorage.getSelectedStorageBackend() : platform;
  assertSafeStorageBackendAllowed(backend, opts.allowBasicText, platform);
  return {
    id: `safeStorage:${backend}`,
    wrap: async (plaintext) => safeStorage.encryptStringAsync(Buffer.from(plaintext).toString('base64')),
    unwrap: async (wrapped) => {
      let out: { result: string };
      try {
        out = await safeStorage.decryptStringAsync(Buffer.from(wrapped));
      } catch (e) {
        throw new KeyError(`safeStorage could not unwrap a stored key (OS keystore changed or the blob was altered): ${(e as Error).message}`);
      }
      return Buffer.from(out.result, 'base64');
    },
  };
}
