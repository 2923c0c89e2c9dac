/**
 * Crash recovery: restart backoff and the renderer crash/hang policy. (The inference process's
 * own restart with backoff lives in electron/inference/client.ts and is tested there.)
 */
import { describe, expect, it } from 'vitest';
import { RendererRecovery } from '../../../electron/shell/renderer-recovery';
import { computeRestartDelay, validateBackoffPolicy } from '../../../electron/shell/restart-backoff';

const POLICY = { baseMs: 100, maxMs: 1000, factor: 2 };

describe('reload backoff', () => {
  it('doubles per consecutive crash up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => computeRestartDelay(n, POLICY))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(() => computeRestartDelay(0, POLICY)).toThrow(RangeError);
  });

  it('rejects nonsense policies', () => {
    expect(() => validateBackoffPolicy({ ...POLICY, maxMs: 10 })).toThrow(/invalid backoff policy/);
    expect(() => validateBackoffPolicy({ ...POLICY, factor: 0.5 })).toThrow(/invalid backoff policy/);
    expect(() => new RendererRecovery({ reloadBackoff: POLICY, maxReloadsInWindow: 0, windowMs: 1, hangGraceMs: 0 })).toThrow(/invalid renderer recovery policy/);
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
