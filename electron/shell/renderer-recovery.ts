/**
 * @file What to do when the kiosk screen dies or hangs, with nobody at the terminal to click.
 *
 * `render-process-gone` → reload (after a growing delay if it keeps crashing). `unresponsive`
 * → give the page a grace period (a long GC or a busy frame may end by itself and Electron then
 * emits `responsive`); if it is still hung, crash it deliberately and reload
 * (`webContents.forcefullyCrashRenderer()` then `reload()`, the recovery Electron documents for
 * hangs). When reloads keep failing within a window, relaunch the whole app: a fresh GPU and
 * network service often clears what a reload cannot.
 */
import type { BackoffPolicy } from './restart-backoff';
import { computeRestartDelay, validateBackoffPolicy } from './restart-backoff';

export interface RendererRecoveryPolicy {
  readonly reloadBackoff: BackoffPolicy;
  /** Reloads within `windowMs` beyond which the app relaunches. */
  readonly maxReloadsInWindow: number;
  readonly windowMs: number;
  /** How long a hung page may stay unresponsive before it is crashed and reloaded. */
  readonly hangGraceMs: number;
}

export const DEFAULT_RENDERER_RECOVERY: RendererRecoveryPolicy = {
  reloadBackoff: { baseMs: 250, maxMs: 30_000, factor: 2 },
  maxReloadsInWindow: 5,
  windowMs: 600_000,
  hangGraceMs: 10_000,
};

export type RecoveryAction =
  | { readonly kind: 'reload'; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'crash-and-reload'; readonly reason: string }
  | { readonly kind: 'relaunch-app'; readonly reason: string }
  | { readonly kind: 'none'; readonly reason: string };

/** Electron's `RenderProcessGoneDetails.reason` values. */
export type RenderGoneReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction';

export class RendererRecovery {
  readonly #policy: RendererRecoveryPolicy;
  readonly #now: () => number;
  #reloads: number[] = [];
  #hungSince: number | null = null;

  constructor(policy: RendererRecoveryPolicy = DEFAULT_RENDERER_RECOVERY, now: () => number = Date.now) {
    validateBackoffPolicy(policy.reloadBackoff);
    if (!(policy.maxReloadsInWindow >= 1) || !(policy.windowMs > 0) || !(policy.hangGraceMs >= 0)) {
      throw new RangeError('invalid renderer recovery policy: maxReloadsInWindow >= 1, windowMs > 0, hangGraceMs >= 0');
    }
    this.#policy = policy;
    this.#now = now;
  }

  /** `render-process-gone` on the kiosk window. `quitting`: the app is shutting down on purpose. */
  onRenderProcessGone(reason: RenderGoneReason | string, quitting: boolean): RecoveryAction {
    this.#hungSince = null;
    if (quitting) return { kind: 'none', reason: `renderer gone (${reason}) during quit` };
    return this.#reload(`renderer gone: ${reason}`);
  }

  /** `unresponsive`: start the grace period; main calls `onHangTimeout` after `hangGraceMs`. */
  onUnresponsive(): { readonly graceMs: number } {
    if (this.#hungSince === null) this.#hungSince = this.#now();
    return { graceMs: this.#policy.hangGraceMs };
  }

  onResponsive(): void {
    this.#hungSince = null;
  }

  /** The grace timer fired: still hung → crash and reload (or relaunch when reloads keep failing). */
  onHangTimeout(): RecoveryAction {
    if (this.#hungSince === null) return { kind: 'none', reason: 'renderer recovered by itself' };
    const hungMs = this.#now() - this.#hungSince;
    if (hungMs < this.#policy.hangGraceMs) return { kind: 'none', reason: 'grace period not over' };
    this.#hungSince = null;
    const a = this.#reload(`renderer unresponsive for ${hungMs} ms`);
    return a.kind === 'reload' ? { kind: 'crash-and-reload', reason: a.reason } : a;
  }

  #reload(reason: string): RecoveryAction {
    const now = this.#now();
    this.#reloads = this.#reloads.filter((t) => now - t < this.#policy.windowMs);
    if (this.#reloads.length >= this.#policy.maxReloadsInWindow) {
      this.#reloads = [];
      return { kind: 'relaunch-app', reason: `${reason}; ${this.#policy.maxReloadsInWindow} reloads within ${this.#policy.windowMs} ms did not help` };
    }
    this.#reloads.push(now);
    return { kind: 'reload', delayMs: computeRestartDelay(this.#reloads.length, this.#policy.reloadBackoff), reason };
  }
}
