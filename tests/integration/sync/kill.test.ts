/**
 * The relay runs as the real `kiosk sync` in a child process; it is SIGKILLed at random points
 * (mid-request, after the server stored a batch but before the answer arrived, between commits)
 * while the receiver injects random faults. Restarted until done: the server's deduplicated
 * set must hold every event exactly once, with the chain intact and nothing left queued.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { updateSettings } from '../../../electron/config/settings';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { provisionDevice } from '../../../electron/sync/device-identity';
import { PROJECT_ROOT } from '../../helpers/paths';
import { recordPunch } from '../../../electron/attendance/punch';
import { addEmployee, openTempDb, type TempDb } from '../../unit/attendance/helpers';
import { SyncReceiver, type Fault } from './receiver';
import { TOKEN, outboxStates } from './setup';

const ENTRY = path.join(PROJECT_ROOT, 'electron', 'cli', 'main.ts');

/** mulberry32: a seeded RNG so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let t: TempDb | undefined;
let receiver: SyncReceiver | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await receiver?.close();
  t?.cleanup();
});

function startRelay(dataDir: string, once: boolean): ChildProcess {
  // `node --import tsx` (not the tsx wrapper): the wrapper forwards SIGKILL to nobody, so its
  // node child would survive the kill. Here the pid we kill is the relay itself.
  const args = ['--import', 'tsx', ENTRY, '--data-dir', dataDir, 'sync', '--batch-size', '3', '--idle-poll-ms', '100', '--backoff-base-ms', '5', '--backoff-cap-ms', '40', '--request-timeout-ms', '400', ...(process.env.KIOSK_KILL_DEBUG ? [] : ['--quiet'])];
  if (once) args.push('--once', '--timeout', '60');
  const c = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KIOSK_KEY_FILE: path.join(dataDir, 'kek.key') } });
  c.stderr?.on('data', (d: Buffer) => {
    if (process.env.KIOSK_KILL_DEBUG) process.stderr.write(`[relay ${c.pid}] ${d.toString()}`);
  });
  return c;
}

function exited(c: ChildProcess): Promise<number | null> {
  return new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));
}

describe('kill test: kiosk sync killed at random points, restarted until delivered', () => {
  it('loses no event and delivers none twice into the server set across 10 kills and 100 faults', async () => {
    const seed = Number(process.env.KIOSK_KILL_SEED ?? 20261203);
    const random = rng(seed);
    t = openTempDb('kiosk-kill-');
    const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
    const { device } = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN });
    const kinds: Array<() => Fault> = [
      () => ({ kind: 'status', status: 500 }),
      () => ({ kind: 'status', status: 503 }),
      () => ({ kind: 'status', status: 429, retryAfter: '0' }),
      () => ({ kind: 'drop' }),
      () => ({ kind: 'drop-after-processing' }),
      () => ({ kind: 'slow', ms: 600 }),
      () => ({ kind: 'duplicate-ack' }),
      () => ({ kind: 'bad-json' }),
    ];
    let faults = 0;
    receiver = new SyncReceiver({
      randomFault: () => {
        if (faults >= 100 || random() >= 0.6) return null;
        faults += 1;
        return kinds[Math.floor(random() * kinds.length)]!();
      },
    });
    await receiver.listen();
    receiver.setDevice({ deviceId: device.deviceId, token: TOKEN, publicKeyPem: device.publicKeyPem, tenantId: 'acme' });
    updateSettings(t.dir, (s) => ({ ...s, endpoint: receiver!.url, tenantId: 'acme' }));
    for (let i = 0; i < 10; i += 1) addEmployee(t.db, `E${i}`);
    let clock = Date.parse('2026-12-03T06:00:00Z');
    const punch = (n: number): void => {
      for (let i = 0; i < n; i += 1) {
        clock += 61_000;
        recordPunch(t!.db, { employeeId: `E${i % 10}`, method: 'pin', now: new Date(clock) });
      }
    };
    punch(250);

    let kills = 0;
    while (kills < 10) {
      const before = receiver.requests.length;
      child = startRelay(t.dir, false);
      // Kill after 1-6 more requests reached the server, plus 0-40 ms: inside a request, between
      // the server storing a batch and the device committing the answer, or mid-backoff.
      const target = before + 1 + Math.floor(random() * 6);
      const deadline = Date.now() + 15_000;
      const pending = t.db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck();
      while (receiver.requests.length < target && child.exitCode === null && Date.now() < deadline && (pending.get() as number) > 0) {
        await new Promise((r) => setTimeout(r, 2));
      }
      await new Promise((r) => setTimeout(r, Math.floor(random() * 40)));
      if (process.env.KIOSK_KILL_DEBUG) process.stderr.write(`kill ${kills}: requests ${before} -> ${receiver.requests.length} (target ${target}), exit ${child.exitCode}\n`);
      child.kill('SIGKILL');
      await exited(child);
      kills += 1;
      punch(5); // the terminal keeps recording while the relay is down
    }
    // Final run: drain whatever is left; faults keep coming until then.
    let outcome = -1;
    for (let attempt = 0; attempt < 5 && outcome !== 0; attempt += 1) {
      child = startRelay(t.dir, true);
      outcome = (await exited(child)) ?? -1;
    }
    expect(outcome).toBe(0);

    const total = t.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    expect(total).toBe(300);
    expect(kills).toBe(10);
    expect(receiver.problems).toEqual([]);
    expect(receiver.chainProblems()).toEqual([]);
    expect(receiver.events.size).toBe(total);
    const ids = t.db.prepare('SELECT id FROM events ORDER BY seq').pluck().all() as string[];
    expect(ids.every((id) => receiver!.events.has(id))).toBe(true);
    expect([...receiver.bySeq.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(outboxStates(t)).toEqual({ done: total });
    // Enough faults were injected for the run to mean something.
    expect(faults).toBe(100);
    // Some events really were re-sent after a kill or a lost answer (the dedup path was exercised).
    expect([...receiver.deliveries.values()].some((n) => n > 1)).toBe(true);
    process.stdout.write(`kill test: seed ${seed}, ${kills} kills, ${faults} faults, ${receiver.requests.length} requests, ${total} events delivered once\n`);
  }, 180_000);
});
