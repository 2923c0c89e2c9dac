/**
 * @file Capped exponential backoff for reloading a crashed renderer.
 *
 * A page that crashes on load (a GPU driver fault, an out-of-memory loop) must not be reloaded
 * in a tight loop that pins both cores of a small terminal, yet a one-off crash after days of
 * service should come back at once. So the delay doubles per crash up to a cap.
 * (The inference process has its own restart backoff in electron/inference/client.ts.)
 */

export interface BackoffPolicy {
  /** Delay before the first restart. */
  readonly baseMs: number;
  /** Never wait longer than this. */
  readonly maxMs: number;
  /** Growth per consecutive crash. */
  readonly factor: number;
}

export function validateBackoffPolicy(p: BackoffPolicy): BackoffPolicy {
  const ok = (n: number): boolean => Number.isFinite(n) && n >= 0;
  if (!ok(p.baseMs) || !ok(p.maxMs) || !(Number.isFinite(p.factor) && p.factor >= 1) || p.maxMs < p.baseMs) {
    throw new RangeError(`invalid backoff policy ${JSON.stringify(p)}: need 0 <= baseMs <= maxMs, factor >= 1`);
  }
  return p;
}

/** Delay before restart number `consecutiveCrashes` (1 = first crash). */
export function computeRestartDelay(consecutiveCrashes: number, p: BackoffPolicy): number {
  if (!Number.isInteger(consecutiveCrashes) || consecutiveCrashes < 1) throw new RangeError(`consecutiveCrashes must be an integer >= 1, got ${consecutiveCrashes}`);
  return Math.min(p.maxMs, p.baseMs * p.factor ** (consecutiveCrashes - 1));
}
