/**
 * @file Seal and open one face template (an L2-normalised float32 embedding) with AES-256-GCM
 * under a tenant's data key, using Node's `crypto` (OpenSSL, AES-NI accelerated).
 *
 * - A fresh random 96-bit nonce per row: GCM's recommended nonce size; with random nonces the
 *   collision bound stays negligible far beyond the template counts a kiosk sees.
 * - AAD = tenant ‖ employee ‖ template ‖ model, each length-prefixed (u16 big-endian byte length)
 *   after a versioned label, so ("ab","c") and ("a","bc") can never produce the same AAD and a
 *   row copied to another employee, tenant, id or model fails authentication.
 * - Stored ciphertext = encrypted bytes ‖ 16-byte tag.
 */
import crypto from 'node:crypto';
import { InvalidInputError, KeyError, TamperedDataError } from '../common/errors';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
const AAD_LABEL = 'intelliface-kiosk/template/v1';

export interface TemplateBinding {
  readonly tenantId: string;
  readonly employeeId: string;
  readonly templateId: string;
  readonly modelId: string;
}

export interface SealedTemplate {
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
}

function lengthPrefixed(parts: readonly string[]): Buffer {
  const bufs = parts.map((s) => Buffer.from(s, 'utf8'));
  const out = Buffer.alloc(bufs.reduce((n, p) => n + 2 + p.length, 0));
  let o = 0;
  for (const p of bufs) {
    if (p.length > 0xffff) throw new InvalidInputError('template binding field longer than 65535 bytes');
    o = out.writeUInt16BE(p.length, o);
    o += p.copy(out, o);
  }
  return out;
}

/** The stored form: nonce ‖ ciphertext ‖ tag in one blob. */
export function packSealed(s: SealedTemplate): Buffer {
  return Buffer.concat([s.nonce, s.ciphertext]);
}

/** Views (no copy) of a stored blob's nonce and ciphertext‖tag; a short blob yields parts that fail to open. */
export function unpackSealed(blob: Buffer): SealedTemplate {
  return { nonce: blob.subarray(0, NONCE_BYTES), ciphertext: blob.subarray(NONCE_BYTES) };
}

/** The unambiguous associated data binding a sealed template to its owner and model. */
export function templateAad(b: TemplateBinding): Buffer {
  return lengthPrefixed([AAD_LABEL, b.tenantId, b.employeeId, b.templateId, b.modelId]);
}

/** The encoded parts of the AAD shared by every row of a tenant and model: label+tenant, and model. */
export function templateAadParts(tenantId: string, modelId: string): { prefix: Buffer; suffix: Buffer } {
  return { prefix: lengthPrefixed([AAD_LABEL, tenantId]), suffix: lengthPrefixed([modelId]) };
}

/**
 * The same AAD as `templateAad`, for many rows of one tenant and model: the fixed prefix and
 * suffix are encoded once (cold start opens 100,000 rows; per-row allocations add up).
 */
export function templateAadBuilder(tenantId: string, modelId: string): (employeeId: string, templateId: string) => Buffer {
  const { prefix, suffix } = templateAadParts(tenantId, modelId);
  return (employeeId, templateId) => {
    const e = Buffer.byteLength(employeeId, 'utf8');
    const t = Buffer.byteLength(templateId, 'utf8');
    if (e > 0xffff || t > 0xffff) throw new InvalidInputError('template binding field longer than 65535 bytes');
    const out = Buffer.allocUnsafe(prefix.length + 4 + e + t + suffix.length);
    let o = prefix.copy(out, 0);
    o = out.writeUInt16BE(e, o);
    o += out.write(employeeId, o, 'utf8');
    o = out.writeUInt16BE(t, o);
    o += out.write(templateId, o, 'utf8');
    suffix.copy(out, o);
    return out;
  };
}

function checkKey(dataKey: Uint8Array): void {
  if (dataKey.length !== DATA_KEY_BYTES) throw new KeyError(`data key must be ${DATA_KEY_BYTES} bytes, got ${dataKey.length}`);
}

/** Encrypt an embedding for storage. The embedding must be finite; it is copied, never kept. */
export function sealTemplate(dataKey: Uint8Array, binding: TemplateBinding, embedding: Float32Array): SealedTemplate {
  checkKey(dataKey);
  if (!(embedding instanceof Float32Array) || embedding.length === 0) throw new InvalidInputError('embedding must be a non-empty Float32Array');
  for (let i = 0; i < embedding.length; i += 1) {
    if (!Number.isFinite(embedding[i]!)) throw new InvalidInputError(`embedding has a non-finite value at index ${i}`);
  }
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey, nonce);
  cipher.setAAD(templateAad(binding));
  // Float32Array bytes are little-endian on every platform Electron ships for (x64, arm64).
  const plain = Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext };
}

/**
 * Decrypt a sealed template into `into` (when given, e.g. a row of the gallery matrix) or a new
 * Float32Array. Throws TamperedDataError when the bytes, the nonce, the binding or the key differ.
 */
export function openTemplate(
  dataKey: Uint8Array,
  binding: TemplateBinding,
  sealed: SealedTemplate,
  into?: Float32Array,
): Float32Array {
  return openTemplateWithAad(dataKey, binding, templateAad(binding), sealed, into);
}

/**
 * The bulk-load primitive: decrypt one stored blob (nonce ‖ ciphertext ‖ tag) with a precomputed
 * AAD and return the plaintext bytes, or null when authentication fails (the caller reports it).
 * The caller checks the key size once and must zero the returned bytes after copying them.
 */
export function decryptSealedBlob(dataKey: Uint8Array, aad: Buffer, blob: Buffer): Buffer | null {
  const bodyLen = blob.length - NONCE_BYTES - TAG_BYTES;
  const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey, blob.subarray(0, NONCE_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(blob.subarray(NONCE_BYTES + bodyLen));
  const plain = decipher.update(blob.subarray(NONCE_BYTES, NONCE_BYTES + bodyLen));
  try {
    decipher.final();
    return plain;
  } catch {
    plain.fill(0);
    return null;
  }
}

/** `openTemplate` with a precomputed AAD (from `templateAadBuilder`) for bulk loading. */
export function openTemplateWithAad(
  dataKey: Uint8Array,
  binding: Pick<TemplateBinding, 'employeeId' | 'templateId'>,
  aad: Buffer,
  sealed: SealedTemplate,
  into?: Float32Array,
): Float32Array {
  checkKey(dataKey);
  const { nonce, ciphertext } = sealed;
  const bodyLen = ciphertext.length - TAG_BYTES;
  if (nonce.length !== NONCE_BYTES || bodyLen <= 0 || bodyLen % 4 !== 0) {
    throw new TamperedDataError(`template ${binding.templateId} has a malformed nonce or ciphertext length`, { templateId: binding.templateId });
  }
  if (into && into.length * 4 !== bodyLen) {
    throw new TamperedDataError(`template ${binding.templateId} has ${bodyLen / 4} dimensions, expected ${into.length}`, { templateId: binding.templateId });
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(ciphertext.subarray(bodyLen));
  // GCM is a stream mode: update() returns every plaintext byte; final() only verifies the tag.
  const plain = decipher.update(ciphertext.subarray(0, bodyLen));
  try {
    decipher.final();
  } catch {
    plain.fill(0); // unauthenticated plaintext is never used
    throw new TamperedDataError(
      `template ${binding.templateId} failed authentication: it was altered, copied from another employee/tenant/model, or sealed under another data key`,
      { templateId: binding.templateId, employeeId: binding.employeeId },
    );
  }
  const out = into ?? new Float32Array(bodyLen / 4);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(plain);
  plain.fill(0);
  return out;
}
