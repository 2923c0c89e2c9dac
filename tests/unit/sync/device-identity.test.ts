import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, KeyError, NotFoundError } from '../../../electron/common/errors';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { importClientCertificate } from '../../../electron/sync/client-certificate';
import { loadDevice, provisionDevice, unlockDeviceSecrets } from '../../../electron/sync/device-identity';
import { signBody, verifyBodySignature } from '../../../electron/sync/signing';
import { openTempDb, type TempDb } from '../attendance/helpers';
import { makePki } from './pki';

let t: TempDb;
beforeEach(() => {
  t = openTempDb('kiosk-dev-');
});
afterEach(() => t.cleanup());
const TOKEN = 'unit-device-token-0123456789';

describe('device identity', () => {
  it('creates an RSA-3072 key pair, stores key and token only wrapped, signs verifiably', async () => {
    const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
    const r = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN });
    expect(r.createdIdentity).toBe(true);
    expect(r.device).toMatchObject({ tenantId: 'acme', keyAlgorithm: 'RSA-3072', unauthorised: false });
    const pub = crypto.createPublicKey(r.device.publicKeyPem);
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(3072);
    const row = t.db.prepare('SELECT wrapped_private_key, wrapped_device_token FROM device').get() as { wrapped_private_key: Buffer; wrapped_device_token: Buffer };
    expect(row.wrapped_private_key.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    expect(row.wrapped_device_token.includes(Buffer.from(TOKEN))).toBe(false);
    const s = await unlockDeviceSecrets(t.db, keys);
    expect(s.deviceToken).toBe(TOKEN);
    const body = '{"deviceId":"x","events":[]}';
    const sig = signBody(s.privateKey, body);
    expect(verifyBodySignature(r.device.publicKeyPem, body, sig)).toBe(true);
    expect(verifyBodySignature(r.device.publicKeyPem, `${body} `, sig)).toBe(false);
    // The documented receiver check works as written.
    expect(crypto.verify('sha256', Buffer.from(body), r.device.publicKeyPem, Buffer.from(sig, 'base64'))).toBe(true);
  });

  it('keeps the device id and key on re-provisioning, rotates only when asked, clears unauthorised', async () => {
    const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
    const a = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN });
    t.db.prepare("UPDATE device SET unauthorised = 1, unauthorised_reason = 'HTTP 401'").run();
    const b = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: `${TOKEN}-2` });
    expect(b.device.deviceId).toBe(a.device.deviceId);
    expect(b.device.publicKeyPem).toBe(a.device.publicKeyPem);
    expect(b.device.unauthorised).toBe(false);
    expect((await unlockDeviceSecrets(t.db, keys)).deviceToken).toBe(`${TOKEN}-2`);
    const c = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN, rotateKey: true });
    expect(c.rotatedKey).toBe(true);
    expect(c.device.deviceId).toBe(a.device.deviceId);
    expect(c.device.publicKeyPem).not.toBe(a.device.publicKeyPem);
  });

  it('refuses bad input and a different key file, and unlocking before provisioning', async () => {
    const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
    await expect(unlockDeviceSecrets(t.db, keys)).rejects.toThrow(NotFoundError);
    await expect(provisionDevice(t.db, keys, { tenantId: 'no spaces', deviceToken: TOKEN })).rejects.toThrow(InvalidInputError);
    await expect(provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: 'has a space in it ok' })).rejects.toThrow(/device token/);
    await expect(provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN, serverCaPem: 'nope' })).rejects.toThrow(/no PEM certificate/);
    await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN });
    const other = openFileKeyProvider(path.join(t.dir, 'other.key'), { create: true });
    await expect(provisionDevice(t.db, other, { tenantId: 'acme', deviceToken: TOKEN })).rejects.toThrow(KeyError);
    await expect(unlockDeviceSecrets(t.db, other)).rejects.toThrow(KeyError);
    expect(loadDevice(t.db)?.tenantId).toBe('acme');
  });
});

describe('client certificate import', () => {
  const pki = makePki();

  it('imports PEM and PKCS#12, keeps the key wrapped, and refuses mismatched, expired or unreadable input', async () => {
    const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
    await expect(importClientCertificate(t.db, keys, { kind: 'pem', certPem: pki.client.certPem, keyPem: pki.client.keyPem })).rejects.toThrow(NotFoundError);
    await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN });
    const a = await importClientCertificate(t.db, keys, { kind: 'pem', certPem: pki.client.certPem, keyPem: pki.client.keyPem });
    expect(a.subject).toContain('kiosk-device-1');
    const row = t.db.prepare('SELECT wrapped_client_key FROM device').get() as { wrapped_client_key: Buffer };
    expect(row.wrapped_client_key.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    const s = await unlockDeviceSecrets(t.db, keys);
    expect(s.clientCertificate?.keyPem).toMatch(/BEGIN PRIVATE KEY/);

    const b = await importClientCertificate(t.db, keys, { kind: 'pkcs12', der: pki.clientP12('s3cret'), passphrase: 's3cret' });
    expect(b.fingerprintSha256).toBe(a.fingerprintSha256);
    await expect(importClientCertificate(t.db, keys, { kind: 'pkcs12', der: pki.clientP12('s3cret'), passphrase: 'wrong' })).rejects.toThrow(/PKCS#12/);
    await expect(importClientCertificate(t.db, keys, { kind: 'pem', certPem: pki.client.certPem, keyPem: pki.server.keyPem })).rejects.toThrow(/does not belong/);
    await expect(importClientCertificate(t.db, keys, { kind: 'pem', certPem: pki.expiredClient.certPem, keyPem: pki.expiredClient.keyPem })).rejects.toThrow(/expired/);
    await expect(importClientCertificate(t.db, keys, { kind: 'pem', certPem: 'junk', keyPem: pki.client.keyPem })).rejects.toThrow(InvalidInputError);
  });
});
