/**
 * @file A key provider wraps and unwraps small secrets (per-tenant data keys, the device's
 * private key) under a key-encryption key (KEK) it alone holds. Implementations: a key file or a
 * scrypt passphrase (Node-only, `store/keys/`), and Electron `safeStorage` (in `electron/main`).
 */
export interface KeyProvider {
  /** Stable identifier of the KEK in use, stored beside wrapped keys ("file:<fingerprint>", "safeStorage:gnome_libsecret"). */
  readonly id: string;
  wrap(plaintext: Uint8Array): Promise<Uint8Array>;
  /** Throws KeyError when the KEK is wrong or the wrapped blob was altered. */
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}
