/**
 * @file The one manager session a kiosk can have, ended by logout or by
 * settings.kiosk.managerIdleSeconds without activity. The service is the authority; the
 * renderer's own countdown is only a display.
 */

export interface ActiveManager {
  readonly employeeId: string;
  readonly name: string;
}

export class ManagerSessionClock {
  private current: (ActiveManager & { lastActivity: number }) | null = null;

  constructor(
    private readonly idleSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  open(m: ActiveManager): void {
    this.current = { ...m, lastActivity: this.now() };
  }

  close(): ActiveManager | null {
    const c = this.current;
    this.current = null;
    return c;
  }

  /** The active session (null when none or expired — expiry closes it). */
  active(): (ActiveManager & { idleSecondsLeft: number }) | null {
    const c = this.current;
    if (!c) return null;
    const left = this.idleSeconds - (this.now() - c.lastActivity) / 1000;
    if (left <= 0) {
      this.current = null;
      return null;
    }
    return { employeeId: c.employeeId, name: c.name, idleSecondsLeft: Math.floor(left) };
  }

  /** Activity: restart the idle timer. Returns the session after the touch, or null. */
  touch(): (ActiveManager & { idleSecondsLeft: number }) | null {
    if (!this.active()) return null;
    this.current!.lastActivity = this.now();
    return this.active();
  }
}
