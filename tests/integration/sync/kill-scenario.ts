/**
 * @file The kill scenario shared by the kill test and the benchmark: the real `kiosk sync` in a
 * child process is SIGKILLed at random points (mid-request, after the server stored a batch but
 * before the answer arrived, between commits) while the receiver injects random faults; it is
 * restarted until everything is delivered. The caller asserts on the returned facts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { recordPunch } from '../../../electron/attendance/punch';
import { updateSettings } from '../../../electron/config/settings';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { provisionDevice } from '../../../electron/sync/device-identity';
import { PROJECT_ROOT } from '../../helpers/paths';
import { addEmployee, openTempDb } from '../../unit/attendance/helpers';
import { SyncReceiver, type Fault } from './receiver';
import { TOKEN, outboxStates } from './setup';
import { seededRandom } from '../../helpers/random';

const ENTRY = path.join(PROJECT_ROOT, 'electron', 'cli', 'main.ts');


export interface KillScenarioResult {
  readonly seed: number;
  readonly kills: number;
  readonly faults: number;
  readonly requests: number;
  readonly finalExitCode: number;
  readonly eventsRecorded: number;
  /** Distinct event ids in the receiver's deduplicated set. */
  readonly eventsInServerSet: number;
  /** Recorded events missing from the server's set. */
  readonly missing: number;
  /** Server-set entries that are not recorded events (should be impossible). */
  readonly unknown: number;
  readonly seqsContiguous: boolean;
  readonly receiverProblems: readonly string[];
  readonly chainProblems: readonly string[];
  readonly outbox: Record<string, number>;
  /** Events that reached the server more than once (the dedup path was exercised). */
  readonly redelivered: number;
  readonly ms: number;
}

export interface KillScenarioOptions {
  readonly seed?: number;
  readonly kills?: number;
  readonly faults?: number;
  readonly initialEvents?: number;
  readonly eventsPerKill?: number;
  readonly debug?: boolean;
}

function startRelay(dataDir: string, once: boolean, debug: boolean): ChildProcess {
  // `node --import tsx`, not the tsx wrapper: the wrapper does not pass SIGKILL on, so its node
  // child would survive. Here the pid we kill is the relay itself.
  const args = ['--import', 'tsx', ENTRY, '--data-dir', dataDir, 'sync', '--batch-size', '3', '--idle-poll-ms', '100'];
  args.push('--backoff-base-ms', '5', '--backoff-cap-ms', '40', '--request-timeout-ms', '400', ...(debug ? [] : ['--quiet']));
  if (once) args.push('--once', '--timeout', '60');
  const c = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KIOSK_KEY_FILE: path.join(dataDir, 'kek.key') } });
  c.stdout?.resume();
  c.stderr?.on('data', (d: Buffer) => {
    if (debug) process.stderr.write(`[relay ${c.pid}] ${d.toString()}`);
  });
  return c;
}

function exited(c: ChildProcess): Promise<number | null> {
  return new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));
}

export async function runKillScenario(o: KillScenarioOptions = {}): Promise<KillScenarioResult> {
  const seed = o.seed ?? 20261203;
  const maxKills = o.kills ?? 10;
  const maxFaults = o.faults ?? 100;
  const debug = o.debug ?? false;
  const random = seededRandom(seed);
  const started = Date.now();
  const t = openTempDb('kiosk-kill-');
  let child: ChildProcess | undefined;
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
  const receiver = new SyncReceiver({
    randomFault: () => {
      if (faults >= maxFaults || random() >= 0.6) return null;
      faults += 1;
      return kinds[Math.floor(random() * kinds.length)]!();
    },
  });
  try {
    const keys = openFileKeyProvider(path.join(t.dir, 'kek.key'), { create: true });
    const { device } = await provisionDevice(t.db, keys, { tenantId: 'acme', deviceToken: TOKEN });
    await receiver.listen();
    receiver.setDevice({ deviceId: device.deviceId, token: TOKEN, publicKeyPem: device.publicKeyPem, tenantId: 'acme' });
    updateSettings(t.dir, (s) => ({ ...s, endpoint: receiver.url, tenantId: 'acme' }));
    for (let i = 0; i < 10; i += 1) addEmployee(t.db, `E${i}`);
    let clock = Date.parse('2026-12-03T06:00:00Z');
    const punch = (n: number): void => {
      for (let i = 0; i < n; i += 1) {
        clock += 61_000;
        recordPunch(t.db, { employeeId: `E${i % 10}`, method: 'pin', now: new Date(clock) });
      }
    };
    punch(o.initialEvents ?? 250);
    const pending = t.db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck();

    let kills = 0;
    while (kills < maxKills) {
      const before = receiver.requests.length;
      child = startRelay(t.dir, false, debug);
      // Kill after 1-6 more requests reached the server, plus 0-40 ms.
      const target = before + 1 + Math.floor(random() * 6);
      const deadline = Date.now() + 15_000;
      while (receiver.requests.length < target && child.exitCode === null && Date.now() < deadline && (pending.get() as number) > 0) {
        await new Promise((r) => setTimeout(r, 2));
      }
      await new Promise((r) => setTimeout(r, Math.floor(random() * 40)));
      child.kill('SIGKILL');
      await exited(child);
      kills += 1;
      punch(o.eventsPerKill ?? 5); // the terminal keeps recording while the relay is down
    }
    let finalExitCode = -1;
    for (let attempt = 0; attempt < 5 && finalExitCode !== 0; attempt += 1) {
      child = startRelay(t.dir, true, debug);
      finalExitCode = (await exited(child)) ?? -1;
    }
    const ids = t.db.prepare('SELECT id FROM events ORDER BY seq').pluck().all() as string[];
    const idSet = new Set(ids);
    const seqs = [...receiver.bySeq.keys()].sort((a, b) => a - b);
    return {
      seed,
      kills,
      faults,
      requests: receiver.requests.length,
      finalExitCode,
      eventsRecorded: ids.length,
      eventsInServerSet: receiver.events.size,
      missing: ids.filter((id) => !receiver.events.has(id)).length,
      unknown: [...receiver.events.keys()].filter((id) => !idSet.has(id)).length,
      seqsContiguous: seqs.length === ids.length && seqs.every((s, i) => s === i + 1),
      receiverProblems: [...receiver.problems],
      chainProblems: receiver.chainProblems(),
      outbox: outboxStates(t),
      redelivered: [...receiver.deliveries.values()].filter((n) => n > 1).length,
      ms: Date.now() - started,
    };
  } finally {
    child?.kill('SIGKILL');
    await receiver.close();
    t.cleanup();
  }
}
