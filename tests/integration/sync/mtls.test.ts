import path from 'node:path';
import type tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { recordPunch } from '../../../electron/attendance/punch';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { importClientCertificate } from '../../../electron/sync/client-certificate';
import { provisionDevice } from '../../../electron/sync/device-identity';
import { SyncRelay } from '../../../electron/sync/relay';
import { getSyncStatus } from '../../../electron/sync/status';
import { addEmployee, openTempDb, type TempDb } from '../../unit/attendance/helpers';
import { makePki } from '../../unit/sync/pki';
import { SyncReceiver } from './receiver';
import { FAST_BACKOFF, TOKEN } from './setup';

let t: TempDb | undefined;
let receiver: SyncReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  t?.cleanup();
});

describe('mTLS: a server that requires a client certificate', () => {
  it('refuses the device without the imported certificate and accepts it with one (PKCS#12)', async () => {
    const pki = makePki();
    const clientSubjects: string[] = [];
    receiver = new SyncReceiver({
      tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true },
    });
    await receiver.listen();
    (receiver as unknown as { server: import('node:https').Server }).server.on('secureConnection', (s: tls.TLSSocket) => {
      clientSubjects.push(String(s.getPeerCertificate().subject?.CN));
    });
    t = openTempDb('kiosk-mtls-');
    const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
    const { device } = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN, serverCaPem: pki.ca.certPem });
    receiver.setDevice({ deviceId: device.deviceId, token: TOKEN, publicKeyPem: device.publicKeyPem, tenantId: 'acme' });
    addEmployee(t.db, 'E1');
    recordPunch(t.db, { employeeId: 'E1', method: 'pin' });
    const relay = (): SyncRelay => new SyncRelay(t!.db, { keys, getEndpoint: () => receiver!.url, backoff: FAST_BACKOFF, requestTimeoutMs: 2000 });

    const without = await relay().drain({ timeoutMs: 300 });
    expect(without.outcome).toBe('timeout');
    expect(getSyncStatus(t.db).lastError).toMatch(/^network:/);
    expect(receiver.events.size).toBe(0);

    await importClientCertificate(t.db, keys, { kind: 'pkcs12', der: pki.clientP12('pw'), passphrase: 'pw' });
    const withCert = await relay().drain({ timeoutMs: 10_000 });
    expect(withCert.outcome).toBe('drained');
    expect(receiver.events.size).toBe(1);
    expect(receiver.problems).toEqual([]);
    expect(clientSubjects).toContain('kiosk-device-1');
  });
});
