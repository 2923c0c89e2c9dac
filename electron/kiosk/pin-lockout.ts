/**
 * @file Lock an id out after settings.pin.maxAttempts wrong PINs for settings.pin.lockoutSeconds.
 * Counted per typed id — existing or not — so the answer never reveals which ids exist; a
 * success clears the count. Counts live in memory; active lock-outs are restored at start from
 * the audit log (restoreLock), so restarting the kiosk does not lift them.
 */

export interface LockoutPolicy {
  readonly maxAttempts: number;
  readonly lockoutSeconds: number;
}

export type LockoutCheck = { locked: false } | { locked: true; retryAfterSeconds: number };

export class PinLockout {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    private readonly policy: LockoutPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  check(key: string): LockoutCheck {
    const f = this.failures.get(key);
    if (!f || f.lockedUntil === 0) return { locked: false };
    const left = f.lockedUntil - this.now();
    if (left <= 0) {
      this.failures.delete(key);
      return { locked: false };
    }
    return { locked: true, retryAfterSeconds: Math.ceil(left / 1000) };
  }

  /** Re-impose a lock-out that was in force before a restart. */
  restoreLock(key: string, lockedUntil: number): void {
    if (lockedUntil > this.now()) this.failures.set(key, { count: this.policy.maxAttempts, lockedUntil });
  }

  /** Record a failure; returns attempts left (0 means it is now locked). */
  fail(key: string): number {
    const f = this.failures.get(key) ?? { count: 0, lockedUntil: 0 };
    f.count += 1;
    if (f.count >= this.policy.maxAttempts) f.lockedUntil = this.now() + this.policy.lockoutSeconds * 1000;
    this.failures.set(key, f);
    return Math.max(0, this.policy.maxAttempts - f.count);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
