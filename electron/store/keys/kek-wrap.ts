/**
 * @file Wrap and unwrap small secrets (data keys, device keys) under a 32-byte key-encryption
 * key with AES-256-GCM. Shared by the file and passphrase key providers.
 *
 * Blob layout: version (1 byte, = 1) ‖ nonce (12) ‖ tag (16) ‖ ciphertext. The AAD is a fixed
 * label so a wrapped key cannot be replayed as some other kind of GCM blob of ours.
 */
import crypto from 'node:crypto';
import { KeyError } from '../../common/errors';

export const KEK_BYTES = 32;
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;
const AAD = Buffer.from('intelliface-kiosk/kek-wrap/v1', 'utf8');

export function wrapUnderKek(kek: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (kek.length !== KEK_BYTES) throw new KeyError(`key-encryption key must be ${KEK_BYTES} bytes, got ${kek.length}`);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), ct]);
}

/** Throws KeyError when the KEK is not the one that wrapped the blob, or the blob was altered. */
export function unwrapUnderKek(kek: Uint8Array, wrapped: Uint8Array, kekLabel: string): Uint8Array {
  if (kek.length !== KEK_BYTES) throw new KeyError(`key-encryption key must be ${KEK_BYTES} bytes, got ${kek.length}`);
  if (wrapped.length < HEADER_BYTES || wrapped[0] !== VERSION) {
    throw new KeyError(`wrapped key is malformed (${wrapped.length} bytes, version ${wrapped[0] ?? 'none'}); it was not made by this app or was truncated`);
  }
  const buf = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  const decipher = crypto.createDecipheriv('aes-256-gcm', kek, buf.subarray(1, 1 + NONCE_BYTES));
  decipher.setAAD(AAD);
  decipher.setAuthTag(buf.subarray(1 + NONCE_BYTES, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(buf.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new KeyError(
      `cannot unwrap a stored key with ${kekLabel}: wrong key-encryption key (another key file or passphrase?) or the wrapped key was altered`,
    );
  }
}

/** A short, non-secret identifier of a KEK, so a wrong key is named before any decryption. */
export function fingerprintKek(kek: Uint8Array): string {
  return crypto.createHash('sha256').update('intelliface-kiosk/kek-fingerprint/v1').update(kek).digest('hex').slice(0, 16);
}
