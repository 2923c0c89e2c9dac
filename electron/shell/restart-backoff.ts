/**
 * @file Capped exponential backoff for restarting a crashed process.
 *
 * A process that crashes on start (a corrupt model, a missing native library) must not be
 * respawned in a tight loop that pins both cores of a small terminal, yet a one-off crash after
 * days of service should come back at once. So: the delay doubles per consecutive crash up to a
 * cap, and a run that stayed up for `stableAfterMs` resets the count (OpenWhispr respawns its
 * ONNX utility process the same way, openwhispr#693).
 */

export interface BackoffPolicy {
  /** Delay before the first restart. */
  readonly baseMs: number;
  /** Never wait longer than this. */
  readonly maxMs: number;
  /** Growth per consecutive crash. */
  readonly factor: number;
  /** A run at least this long counts as healthy and resets the crash count. */
  readonly stableAfterMs: number;
}

export const INFERENCE_RESTART_POLICY: BackoffPolicy = { baseMs: 500, maxMs: 60_000, factor: 2, stableAfterMs: 120_000 };

export function validateBackoffPolicy(p: BackoffPolicy): BackoffPolicy {
  const ok = (n: number): boolean => Number.isFinite(n) && n >= 0;
  if (!ok(p.baseMs) || !ok(p.maxMs) || !ok(p.stableAfterMs) || !(Number.isFinite(p.factor) && p.factor >= 1) || p.maxMs < p.baseMs) {
    throw new RangeError(`invalid backoff policy ${JSON.stringify(p)}: need 0 <= baseMs <= maxMs, factor >= 1, stableAfterMs >= 0`);
  }
  return p;
}

/** Delay before restart number `consecutiveCrashes` (1 = first crash). */
export function computeRestartDelay(consecutiveCrashes: number, p: BackoffPolicy): number {
  if (!Number.isInteger(consecutiveCrashes) || consecutiveCrashes < 1) throw new RangeError(`consecutiveCrashes must be an integer >= 1, got ${consecutiveCrashes}`);
  return Math.min(p.maxMs, p.baseMs * p.factor ** (consecutiveCrashes - 1));
}

/** Tracks one supervised process across starts and exits. */
export class RestartBackoff {
  #consecutive = 0;
  #startedAt: number | null = null;
  readonly #policy: BackoffPolicy;
  readonly #now: () => number;

  constructor(policy: BackoffPolicy, now: () => number = Date.now) {
    this.#policy = validateBackoffPolicy(policy);
    this.#now = now;
  }

  get consecutiveCrashes(): number {
    return this.#consecutive;
  }

  recordStart(): void {
    this.#startedAt = this.#now();
  }

  /** Record an unexpected exit; returns how long to wait before starting again. */
  recordCrash(): number {
    const ranFor = this.#startedAt === null ? 0 : this.#now() - this.#startedAt;
    if (ranFor >= this.#policy.stableAfterMs) this.#consecutive = 0;
    this.#startedAt = null;
    this.#consecutive += 1;
    return computeRestartDelay(this.#consecutive, this.#policy);
  }
}
