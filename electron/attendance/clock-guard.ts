/**
 * @file Detect backward wall-clock jumps. At startup the guard pairs the wall clock with the
 * monotonic clock (`performance.now()`, which never goes back); at each punch the wall time
 * should be at least anchorWall + elapsed monotonic time. If it is clearly behind — or behind
 * the latest `recorded_at` persisted in the events table (which also covers jumps across a
 * restart, where the monotonic clock resets) — the event is flagged `backward_jump`. The event
 * is still recorded with the wall time it saw: we flag, never invent a time.
 */
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface ClockReading {
  readonly wallMs: number;
  readonly monoMs: number;
  /** Random per process start: mono values are comparable only within one session. */
  readonly session: string;
  readonly flag: 'backward_jump' | null;
}

export interface ClockGuardOptions {
  readonly wallNow?: () => number;
  readonly monoNow?: () => number;
  /** NTP slews and small steps below this are not a jump (default 2 s). */
  readonly toleranceMs?: number;
}

export class ClockGuard {
  readonly session = crypto.randomUUID();
  private readonly wallNow: () => number;
  private readonly monoNow: () => number;
  private readonly toleranceMs: number;
  private readonly anchorWall: number;
  private readonly anchorMono: number;

  constructor(opts: ClockGuardOptions = {}) {
    this.wallNow = opts.wallNow ?? Date.now;
    this.monoNow = opts.monoNow ?? (() => performance.now());
    this.toleranceMs = opts.toleranceMs ?? 2000;
    this.anchorWall = this.wallNow();
    this.anchorMono = this.monoNow();
  }

  /**
   * Read both clocks. `wallOverrideMs` replaces the wall reading (tests, replays);
   * `lastRecordedWallMs` is the newest persisted recorded_at (null when there is none).
   */
  read(lastRecordedWallMs: number | null, wallOverrideMs?: number): ClockReading {
    const wallMs = wallOverrideMs ?? this.wallNow();
    const monoMs = this.monoNow();
    const expectedWall = this.anchorWall + (monoMs - this.anchorMono);
    const behindMono = expectedWall - wallMs > this.toleranceMs;
    const behindPersisted = lastRecordedWallMs !== null && lastRecordedWallMs - wallMs > this.toleranceMs;
    return { wallMs, monoMs, session: this.session, flag: behindMono || behindPersisted ? 'backward_jump' : null };
  }
}

/**
 * Anchored when this module is first imported — at boot, since the kiosk service and the CLI
 * import attendance while starting — so a jump between boot and the first punch is caught too.
 */
const processGuard = new ClockGuard();

export function processClockGuard(): ClockGuard {
  return processGuard;
}
