/**
 * @file Retry timing. Full jitter — delay = random(0, min(cap, base·2^attempt)) — spreads a fleet
 * of terminals that all lost the network at once (AWS Architecture Blog, "Exponential Backoff
 * And Jitter"). Retry-After (RFC 9110 §10.2.3) is a floor, never shortened by jitter.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  /** Upper bound on a server's Retry-After we are willing to honour. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 };

/** `attempt` counts failures so far, starting at 0 for the first retry. */
export function fullJitterDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * exp);
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP-date. null when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number = Date.now()): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, t - nowMs);
}

export function retryDelayMs(attempt: number, retryAfterMs: number | null, policy: BackoffPolicy, random: () => number = Math.random): number {
  const jitter = fullJitterDelayMs(attempt, policy, random);
  if (retryAfterMs === null) return jitter;
  return Math.max(Math.min(retryAfterMs, policy.maxRetryAfterMs), jitter);
}
