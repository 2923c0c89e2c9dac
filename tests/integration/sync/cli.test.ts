import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/store/database';
import { listAudit } from '../../../electron/store/audit';
import { PROJECT_ROOT } from '../../helpers/paths';
import { runKiosk, runKioskJson } from '../../helpers/cli';
import { addEmployee } from '../../unit/attendance/helpers';
import { SyncReceiver } from './receiver';

const TOKEN = 'cli-device-token-abcdef0123456789';
let dir: string;
let receiver: SyncReceiver;
const env = (): NodeJS.ProcessEnv => ({ KIOSK_DATA_DIR: dir, KIOSK_KEY_FILE: path.join(dir, 'kek.key') });

/** Async spawn: the receiver lives in this process, so a blocking spawnSync would starve it. */
function runAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'electron/cli/main.ts'), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env() } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-cli-sync-'));
  receiver = new SyncReceiver();
  await receiver.listen();
  const db = openDatabase(path.join(dir, 'kiosk.db'));
  addEmployee(db, 'E-1001');
  db.close();
});
afterAll(async () => {
  await receiver.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Each test spawns the real CLI several times (≈1-2 s each, more on a loaded machine).
describe('kiosk provision / device / clock / events / sync', { timeout: 180_000 }, () => {
  it('refuses bad provisioning input with one line and exit 2', () => {
    const bad = [
      ['provision', '--endpoint', 'ftp://x', '--tenant', 'acme', '--device-token', TOKEN],
      ['provision', '--endpoint', 'http://127.0.0.1:1', '--tenant', 'bad tenant!', '--device-token', TOKEN],
      ['provision', '--endpoint', 'http://127.0.0.1:1', '--tenant', 'acme', '--device-token', 'short'],
    ];
    for (const args of bad) {
      const r = runKiosk(args, env());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('kiosk:'))).toHaveLength(1);
    }
    expect(runKiosk(['device', 'show'], env()).stderr).toMatch(/not provisioned/);
    const notYet = runKiosk(['sync', '--once'], env());
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toMatch(/not provisioned/);
    expect(runKiosk(['sync', '--once', '--timeout', 'soon'], env()).code).toBe(2);
  });

  it('provisions, shows exactly {deviceId, tenantId, endpoint, publicKeyPem}, records a manager correction and exports it', () => {
    const p = runKioskJson<{ deviceId: string; publicKeyPem: string }>(['provision', '--endpoint', receiver.url, '--tenant', 'acme', '--device-token', TOKEN, '--site', 'Dock 3'], env());
    expect(p.code, p.stderr).toBe(0);
    const show = runKioskJson<Record<string, string>>(['device', 'show'], env());
    expect(Object.keys(show.json).sort()).toEqual(['deviceId', 'endpoint', 'publicKeyPem', 'tenantId']);
    expect(show.json).toMatchObject({ deviceId: p.json.deviceId, tenantId: 'acme', endpoint: receiver.url });
    expect(show.json.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    receiver.setDevice({ deviceId: show.json.deviceId!, token: TOKEN, publicKeyPem: show.json.publicKeyPem!, tenantId: 'acme' });
    // The key file and settings carry no secret in plain text.
    const settings = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(settings).not.toContain(TOKEN);
    expect(JSON.parse(settings)).toMatchObject({ endpoint: receiver.url, tenantId: 'acme', siteName: 'Dock 3' });
    expect(fs.readFileSync(path.join(dir, 'kiosk.db')).includes(Buffer.from(TOKEN))).toBe(false);

    const c = runKioskJson<{ type: string; method: string; reason: string; occurredAt: string }>(
      ['clock', '--employee', 'E-1001', '--type', 'clock_in', '--at', '2026-12-03T08:00:00+01:00', '--method', 'manager', '--reason', 'badge reader down', '--actor', 'M-1'],
      env(),
    );
    expect(c.code, c.stderr).toBe(0);
    expect(c.json).toMatchObject({ type: 'clock_in', method: 'manager', reason: 'badge reader down', occurredAt: '2026-12-03T07:00:00.000Z' });
    const db = openDatabase(path.join(dir, 'kiosk.db'));
    expect(listAudit(db, { action: 'attendance.correction' })[0]).toMatchObject({ actor: 'M-1', subject: 'E-1001' });
    db.close();
    expect(runKiosk(['clock', '--employee', 'E-1001', '--type', 'clock_in', '--at', '2026-12-03T08:00:00Z', '--method', 'face', '--reason', 'x y z'], env()).code).toBe(2);
    expect(runKiosk(['clock', '--employee', 'E-1001', '--type', 'clock_out', '--at', 'tomorrow', '--reason', 'late'], env()).code).toBe(2);

    const csv = runKiosk(['events', 'export', '--format', 'csv', '--from', '2026-12-03', '--to', '2026-12-04'], env());
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[1]).toContain('E-1001,clock_in,2026-12-03T07:00:00.000Z,2026-12-03 08:00:00,60,manager');
    expect(runKiosk(['events', 'export', '--format', 'xml'], env()).code).toBe(2);
    expect(runKioskJson(['events', 'verify'], env()).json).toMatchObject({ ok: true, events: 1 });
  });

  it('sync --once delivers and prints a summary; a 401 exits 1 and shows unauthorised in --status', async () => {
    const r = await runAsync(['--json', 'sync', '--once', '--timeout', '20']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'drained', accepted: 1, queueLength: 0, unauthorised: false });
    expect(receiver.events.size).toBe(1);
    expect(receiver.problems).toEqual([]);

    runKiosk(['clock', '--employee', 'E-1001', '--type', 'clock_out', '--at', '2026-12-03T16:00:00Z', '--reason', 'forgot to clock out'], env());
    receiver.faults.push({ kind: 'status', status: 401, body: '{"error":"token revoked"}' });
    const u = await runAsync(['--json', 'sync', '--once', '--timeout', '20']);
    expect(u.code).toBe(1);
    expect(JSON.parse(u.stdout)).toMatchObject({ outcome: 'unauthorised', queueLength: 1, unauthorised: true });
    const st = runKioskJson<{ unauthorised: boolean; queueLength: number }>(['sync', '--status'], env());
    expect(st.json).toMatchObject({ unauthorised: true, queueLength: 1 });
    // Re-provisioning with a new token resumes.
    const token2 = 'cli-device-token-second-0123456789';
    receiver.token = token2;
    expect(runKiosk(['provision', '--endpoint', receiver.url, '--tenant', 'acme', '--device-token', token2], env()).code).toBe(0);
    const again = await runAsync(['--json', 'sync', '--once', '--timeout', '20']);
    expect(again.code, again.stderr).toBe(0);
    expect(receiver.events.size).toBe(2);
  });

  it('kiosk sync runs until SIGTERM and then prints its summary', async () => {
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'electron/cli/main.ts'), '--json', 'sync', '--idle-poll-ms', '100'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env() },
    });
    let stdout = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    runKiosk(['clock', '--employee', 'E-1001', '--type', 'break_start', '--at', '2026-12-03T12:00:00Z', '--reason', 'manual break entry'], env());
    const end = Date.now() + 20_000;
    while (receiver.events.size < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(receiver.events.size).toBe(3);
    c.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => c.on('exit', r));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'stopped', queueLength: 0 });
  });
});
