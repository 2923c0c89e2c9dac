/**
 * @file The terminal's identity towards the cloud: a device id, an RSA-3072 key pair created
 * with node-forge (1.4 has RSA and Ed25519 but no ECDSA, so the RSA-3072 option), the
 * device token, and an optional mTLS client certificate. Private key, token and client key are
 * stored only wrapped by the key provider; the public key is plain PEM.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { InvalidInputError, KeyError, NotFoundError } from '../common/errors';
import type { Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';

export const KEY_ALGORITHM = 'RSA-3072';

export const TenantIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'tenant id: 1-64 letters, digits or . _ - (starting with a letter or digit)');
/** Goes into an HTTP header: visible ASCII only, no spaces (RFC 6750 b64token is narrower still). */
export const DeviceTokenSchema = z.string().regex(/^[\x21-\x7E]{16,4096}$/, 'device token: 16-4096 visible ASCII characters, no spaces');

export interface DeviceInfo {
  readonly deviceId: string;
  readonly tenantId: string;
  readonly publicKeyPem: string;
  readonly keyAlgorithm: string;
  readonly unauthorised: boolean;
  readonly unauthorisedReason: string | null;
  readonly lastSyncAt: string | null;
  readonly lastError: string | null;
  readonly hasClientCertificate: boolean;
  readonly provisionedAt: string;
  readonly updatedAt: string;
}

export interface DeviceSecrets {
  readonly deviceId: string;
  readonly tenantId: string;
  readonly privateKey: crypto.KeyObject;
  readonly deviceToken: string;
  readonly clientCertificate: { readonly certPem: string; readonly keyPem: string } | null;
  readonly serverCaPem: string | null;
  /** updated_at of the row the secrets came from: the relay reloads when it changes. */
  readonly version: string;
}

interface DeviceRow {
  device_id: string;
  tenant_id: string;
  kek_id: string;
  key_algorithm: string;
  wrapped_private_key: Buffer;
  public_key_pem: string;
  wrapped_device_token: Buffer;
  unauthorised: number;
  unauthorised_reason: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  client_cert_pem: string | null;
  wrapped_client_key: Buffer | null;
  server_ca_pem: string | null;
  provisioned_at: string;
  updated_at: string;
}

function deviceRow(db: Db): DeviceRow | undefined {
  return db.prepare('SELECT * FROM device WHERE singleton = 1').get() as DeviceRow | undefined;
}

function toInfo(r: DeviceRow): DeviceInfo {
  return {
    deviceId: r.device_id,
    tenantId: r.tenant_id,
    publicKeyPem: r.public_key_pem,
    keyAlgorithm: r.key_algorithm,
    unauthorised: r.unauthorised === 1,
    unauthorisedReason: r.unauthorised_reason,
    lastSyncAt: r.last_sync_at,
    lastError: r.last_error,
    hasClientCertificate: r.client_cert_pem !== null,
    provisionedAt: r.provisioned_at,
    updatedAt: r.updated_at,
  };
}

/** Public facts about the device, or null before provisioning. */
export function loadDevice(db: Db): DeviceInfo | null {
  const r = deviceRow(db);
  return r ? toInfo(r) : null;
}

/** A fresh RSA-3072 key pair (node-forge delegates to Node's native generator when present). */
export function generateDeviceKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const kp = forge.pki.rsa.generateKeyPair({ bits: 3072, e: 0x10001 });
  const privateKeyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(kp.privateKey)));
  // forge writes CRLF PEM; normalise through Node to the usual LF SPKI PEM.
  const publicKeyPem = crypto.createPublicKey(forge.pki.publicKeyToPem(kp.publicKey)).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem, publicKeyPem };
}

export interface ProvisionInput {
  readonly tenantId: string;
  readonly deviceToken: string;
  /** New key pair even when one exists (the server must then learn the new public key). */
  readonly rotateKey?: boolean;
  /** PEM of a private CA that signed the server's TLS certificate. */
  readonly serverCaPem?: string | null;
  readonly now?: Date;
}

export interface ProvisionResult {
  readonly device: DeviceInfo;
  readonly createdIdentity: boolean;
  readonly rotatedKey: boolean;
}

function parseOr<T>(schema: z.ZodType<T>, v: unknown, what: string): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new InvalidInputError(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** Validate a PEM bundle of one or more X.509 certificates (used as the server CA). */
export function parseCertificatePem(pem: string, what: string): forge.pki.Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw new InvalidInputError(`${what}: no PEM certificate found`);
  try {
    return blocks.map((b) => forge.pki.certificateFromPem(b));
  } catch (e) {
    throw new InvalidInputError(`${what}: not a valid certificate: ${(e as Error).message}`);
  }
}

/**
 * Create or update the device identity. Keeps the device id and key pair on re-provisioning
 * (the cloud knows them) unless `rotateKey`; always stores the new token and clears the
 * unauthorised flag so the relay resumes. Open batches are released back to the queue because
 * their bodies carry the old tenant id.
 */
export async function provisionDevice(db: Db, keys: KeyProvider, input: ProvisionInput): Promise<ProvisionResult> {
  const tenantId = parseOr(TenantIdSchema, input.tenantId, '--tenant');
  const deviceToken = parseOr(DeviceTokenSchema, input.deviceToken, '--device-token');
  if (input.serverCaPem) parseCertificatePem(input.serverCaPem, 'server CA');
  const now = (input.now ?? new Date()).toISOString();
  const existing = deviceRow(db);
  let privateKeyPem: string | null = null;
  let publicKeyPem = existing?.public_key_pem ?? '';
  let wrappedKey = existing?.wrapped_private_key ?? null;
  // A client-certificate key wrapped under another KEK cannot be opened any more: drop it.
  const kekChanged = Boolean(existing) && existing!.kek_id !== keys.id;
  const needKey = !existing || input.rotateKey === true || kekChanged;
  if (existing && existing.kek_id !== keys.id && !input.rotateKey) {
    // Another KEK wrapped the key: we cannot re-wrap what we cannot open, so refuse clearly.
    throw new KeyError(
      `the device key is wrapped by ${existing.kek_id}, not by the key in use (${keys.id}); pass the original key file, or --rotate-key to create a new device key`,
    );
  }
  if (needKey) {
    const kp = generateDeviceKeyPair();
    privateKeyPem = kp.privateKeyPem;
    publicKeyPem = kp.publicKeyPem;
    wrappedKey = Buffer.from(await keys.wrap(Buffer.from(privateKeyPem, 'utf8')));
  }
  const wrappedToken = Buffer.from(await keys.wrap(Buffer.from(deviceToken, 'utf8')));
  const deviceId = existing?.device_id ?? uuidv7();
  db.transaction(() => {
    if (existing) {
      db.prepare(
        `UPDATE device SET tenant_id = ?, kek_id = ?, key_algorithm = ?, wrapped_private_key = ?, public_key_pem = ?, wrapped_device_token = ?,
           unauthorised = 0, unauthorised_reason = NULL, last_error = NULL, server_ca_pem = COALESCE(?, server_ca_pem),
           client_cert_pem = CASE WHEN ? THEN NULL ELSE client_cert_pem END, wrapped_client_key = CASE WHEN ? THEN NULL ELSE wrapped_client_key END,
           updated_at = ? WHERE singleton = 1`,
      ).run(tenantId, keys.id, KEY_ALGORITHM, wrappedKey, publicKeyPem, wrappedToken, input.serverCaPem ?? null, kekChanged ? 1 : 0, kekChanged ? 1 : 0, now);
    } else {
      db.prepare(
        `INSERT INTO device (singleton, device_id, tenant_id, kek_id, key_algorithm, wrapped_private_key, public_key_pem, wrapped_device_token,
           server_ca_pem, provisioned_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(deviceId, tenantId, keys.id, KEY_ALGORITHM, wrappedKey, publicKeyPem, wrappedToken, input.serverCaPem ?? null, now, now);
    }
    releaseOpenBatches(db);
  })();
  return { device: toInfo(deviceRow(db)!), createdIdentity: !existing, rotatedKey: Boolean(existing) && needKey };
}

/** Put events of unsent batches back in the queue (used when the identity changes). */
export function releaseOpenBatches(db: Db): number {
  const n = db
    .prepare("UPDATE outbox SET batch_id = NULL WHERE state = 'pending' AND batch_id IN (SELECT batch_id FROM sync_batches WHERE state = 'open')")
    .run().changes;
  db.prepare("UPDATE sync_batches SET state = 'split', closed_at = ? WHERE state = 'open'").run(new Date().toISOString());
  return n;
}

async function unwrapText(keys: KeyProvider, blob: Buffer, what: string): Promise<string> {
  try {
    return Buffer.from(await keys.unwrap(blob)).toString('utf8');
  } catch (e) {
    if (e instanceof KeyError) throw new KeyError(`cannot unwrap the ${what}: ${e.message}`);
    throw e;
  }
}

/** Unwrap what the relay needs to sign and authenticate. Throws NotFoundError before provisioning. */
export async function unlockDeviceSecrets(db: Db, keys: KeyProvider): Promise<DeviceSecrets> {
  const r = deviceRow(db);
  if (!r) throw new NotFoundError('this terminal is not provisioned; run: kiosk provision --endpoint URL --tenant ID --device-token TOKEN');
  const privateKeyPem = await unwrapText(keys, r.wrapped_private_key, 'device private key');
  const deviceToken = await unwrapText(keys, r.wrapped_device_token, 'device token');
  const clientCertificate =
    r.client_cert_pem && r.wrapped_client_key
      ? { certPem: r.client_cert_pem, keyPem: await unwrapText(keys, r.wrapped_client_key, 'client certificate key') }
      : null;
  return {
    deviceId: r.device_id,
    tenantId: r.tenant_id,
    privateKey: crypto.createPrivateKey(privateKeyPem),
    deviceToken,
    clientCertificate,
    serverCaPem: r.server_ca_pem,
    version: r.updated_at,
  };
}

/** The row's updated_at, cheap to poll: changes on every provision and certificate import. */
export function deviceVersion(db: Db): string | null {
  return (db.prepare('SELECT updated_at FROM device WHERE singleton = 1').pluck().get() as string | undefined) ?? null;
}

export function markDeviceUnauthorised(db: Db, reason: string): void {
  db.prepare('UPDATE device SET unauthorised = 1, unauthorised_reason = ? WHERE singleton = 1').run(reason);
}

export function recordSyncSuccess(db: Db, at: string): void {
  db.prepare('UPDATE device SET last_sync_at = ?, last_error = NULL WHERE singleton = 1').run(at);
}

export function recordSyncError(db: Db, message: string): void {
  db.prepare('UPDATE device SET last_error = ? WHERE singleton = 1').run(message.slice(0, 500));
}
