/**
 * @file X-Signature: RSASSA-PKCS1-v1_5 / SHA-256 over the exact body bytes (docs/sync-protocol.md).
 * PKCS#1 v1.5 is Node's default for RSA in crypto.sign/verify, so a receiver verifies with
 * `crypto.verify('sha256', body, publicKeyPem, sig)` and no padding options to agree on.
 */
import crypto from 'node:crypto';

export function signBody(privateKey: crypto.KeyObject, body: string | Uint8Array): string {
  return crypto.sign('sha256', typeof body === 'string' ? Buffer.from(body, 'utf8') : body, privateKey).toString('base64');
}

export function verifyBodySignature(publicKeyPem: string, body: string | Uint8Array, signatureB64: string): boolean {
  try {
    return crypto.verify('sha256', typeof body === 'string' ? Buffer.from(body, 'utf8') : body, publicKeyPem, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
