/**
 * Crash recovery: restart backoff, the process supervisor (with real child processes) and the
 * renderer crash/hang policy.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { superviseProcess, type SupervisedChild } from '../../../electron/shell/process-supervisor';
import { RendererRecovery } from '../../../electron/shell/renderer-recovery';
import { computeRestartDelay, RestartBackoff } from '../../../electron/shell/restart-backoff';

const POLICY = { baseMs: 100, maxMs: 1000, factor: 2, stableAfterMs: 5000 };

describe('restart backoff', () => {
  it('doubles per consecutive crash up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => computeRestartDelay(n, POLICY))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(() => computeRestartDelay(0, POLICY)).toThrow(RangeError);
  });

  it('resets after a run that stayed up long enough', () => {
    let t = 0;
    const b = new RestartBackoff(POLICY, () => t);
    b.recordStart();
    t += 10;
    expect(b.recordCrash()).toBe(100);
    b.recordStart();
    t += 10;
    expect(b.recordCrash()).toBe(200);
    b.recordStart();
    t += 6000;
    expect(b.recordCrash()).toBe(100);
  });

  it('rejects nonsense policies', () => {
    expect(() => new RestartBackoff({ ...POLICY, maxMs: 10 })).toThrow(/invalid backoff policy/);
    expect(() => new RestartBackoff({ ...POLICY, factor: 0.5 })).toThrow(/invalid backoff policy/);
  });
});

function spawnNode(code: string): SupervisedChild & { pid: number | undefined } {
  const cp = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  return { pid: cp.pid, onExit: (l) => cp.on('exit', (c) => l(c)), kill: () => cp.kill() };
}

describe('process supervisor (real child processes)', () => {
  it('restarts a crashing process with growing delays, then stops on request', async () => {
    const starts: number[] = [];
    const warns: Record<string, unknown>[] = [];
    const sup = superviseProcess({
      name: 'crasher',
      start: () => {
        starts.push(Date.now());
        return spawnNode('process.exit(3)');
      },
      policy: { baseMs: 50, maxMs: 400, factor: 2, stableAfterMs: 60_000 },
      log: { info: () => {}, warn: (o) => warns.push(o) },
    });
    await new Promise((r) => setTimeout(r, 1500));
    sup.stop();
    const n = starts.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(starts.length).toBe(n);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(warns[0]).toMatchObject({ process: 'crasher', code: 3, delayMs: 50 });
    expect(warns.slice(0, 4).map((w) => w.delayMs)).toEqual([50, 100, 200, 400]);
    const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
    expect(gaps[2]!).toBeGreaterThanOrEqual(200);
  });

  it('kills a healthy child on stop and does not restart it', async () => {
    let started = 0;
    let exited = false;
    const sup = superviseProcess({
      name: 'sleeper',
      start: () => {
        started += 1;
        const c = spawnNode('setTimeout(() => {}, 60000)');
        c.onExit(() => (exited = true));
        return c;
      },
      policy: POLICY,
      log: { info: () => {}, warn: () => {} },
    });
    expect(sup.current()).not.toBeNull();
    sup.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(exited).toBe(true);
    expect(started).toBe(1);
    expect(sup.current()).toBeNull();
  });
});

describe('renderer crash and hang recovery', () => {
  it('reloads after a crash with growing delay, and relaunches the app when reloads keep failing', () => {
    let t = 0;
    const r = new RendererRecovery({ reloadBackoff: POLICY, maxReloadsInWindow: 3, windowMs: 60_000, hangGraceMs: 1000 }, () => t);
    expect(r.onRenderProcessGone('crashed', false)).toEqual({ kind: 'reload', delayMs: 100, reason: 'renderer gone: crashed' });
    t += 1000;
    expect(r.onRenderProcessGone('oom', false)).toMatchObject({ kind: 'reload', delayMs: 200 });
    t += 1000;
    expect(r.onRenderProcessGone('crashed', false)).toMatchObject({ kind: 'reload', delayMs: 400 });
    t += 1000;
    expect(r.onRenderProcessGone('crashed', false).kind).toBe('relaunch-app');
    // after the relaunch decision the window starts afresh
    expect(r.onRenderProcessGone('crashed', false)).toMatchObject({ kind: 'reload', delayMs: 100 });
  });

  it('forgets crashes older than the window', () => {
    let t = 0;
    const r = new RendererRecovery({ reloadBackoff: POLICY, maxReloadsInWindow: 2, windowMs: 10_000, hangGraceMs: 1000 }, () => t);
    r.onRenderProcessGone('crashed', false);
    r.onRenderProcessGone('crashed', false);
    t += 20_000;
    expect(r.onRenderProcessGone('crashed', false)).toMatchObject({ kind: 'reload', delayMs: 100 });
  });

  it('does nothing while the app quits', () => {
    expect(new RendererRecovery().onRenderProcessGone('killed', true).kind).toBe('none');
  });

  it('gives a hung page its grace period, then crashes and reloads it', () => {
    let t = 0;
    const r = new RendererRecovery({ reloadBackoff: POLICY, maxReloadsInWindow: 3, windowMs: 60_000, hangGraceMs: 1000 }, () => t);
    expect(r.onUnresponsive()).toEqual({ graceMs: 1000 });
    t += 500;
    expect(r.onHangTimeout().kind).toBe('none');
    t += 600;
    expect(r.onHangTimeout()).toMatchObject({ kind: 'crash-and-reload', reason: expect.stringMatching(/unresponsive for 1100 ms/) });
  });

  it('cancels the hang recovery when the page answers again', () => {
    let t = 0;
    const r = new RendererRecovery({ reloadBackoff: POLICY, maxReloadsInWindow: 3, windowMs: 60_000, hangGraceMs: 1000 }, () => t);
    r.onUnresponsive();
    r.onResponsive();
    t += 5000;
    expect(r.onHangTimeout()).toEqual({ kind: 'none', reason: 'renderer recovered by itself' });
  });
});
