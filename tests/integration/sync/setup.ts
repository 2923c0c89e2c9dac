/**
 * @file A provisioned terminal (real SQLite file, real key file, real RSA key) plus a receiver.
 */
import path from 'node:path';
import { recordPunch } from '../../../electron/attendance/punch';
import type { AttendanceEvent } from '../../../electron/attendance/types';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import type { KeyProvider } from '../../../electron/store/key-provider';
import { provisionDevice } from '../../../electron/sync/device-identity';
import { SyncRelay, type RelayOptions } from '../../../electron/sync/relay';
import { addEmployee, openTempDb, type TempDb } from '../../unit/attendance/helpers';
import { SyncReceiver, type ReceiverOptions } from './receiver';

export const TOKEN = 'test-device-token-0123456789';

export interface Terminal {
  readonly t: TempDb;
  readonly keys: KeyProvider;
  readonly receiver: SyncReceiver;
  readonly deviceId: string;
  endpoint: string;
  relay(opts?: Partial<RelayOptions>): SyncRelay;
  punches(n: number, startMs?: number): AttendanceEvent[];
  cleanup(): Promise<void>;
}

export const FAST_BACKOFF = { baseMs: 5, capMs: 40, maxRetryAfterMs: 5000 };

export async function makeTerminal(receiverOpts: ReceiverOptions = {}): Promise<Terminal> {
  const t = openTempDb('kiosk-sync-');
  const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
  const { device } = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN });
  const receiver = new SyncReceiver(receiverOpts);
  await receiver.listen();
  receiver.setDevice({ deviceId: device.deviceId, token: TOKEN, publicKeyPem: device.publicKeyPem, tenantId: 'acme' });
  for (let i = 0; i < 20; i += 1) addEmployee(t.db, `E${i}`);
  let clock = Date.parse('2026-12-03T06:00:00Z');
  const term: Terminal = {
    t,
    keys,
    receiver,
    deviceId: device.deviceId,
    endpoint: receiver.url,
    relay: (opts = {}) =>
      new SyncRelay(t.db, { keys, getEndpoint: () => term.endpoint, batchSize: 10, backoff: FAST_BACKOFF, requestTimeoutMs: 2000, idlePollMs: 60_000, ...opts }),
    punches: (n, startMs) => {
      if (startMs !== undefined) clock = startMs;
      const out: AttendanceEvent[] = [];
      for (let i = 0; i < n; i += 1) {
        clock += 61_000;
        const r = recordPunch(t.db, { employeeId: `E${i % 20}`, method: 'pin', now: new Date(clock), tzOffsetMinutes: 60 });
        out.push(r.event);
      }
      return out;
    },
    cleanup: async () => {
      await receiver.close();
      t.cleanup();
    },
  };
  return term;
}

export function outboxStates(t: TempDb): Record<string, number> {
  const rows = t.db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
