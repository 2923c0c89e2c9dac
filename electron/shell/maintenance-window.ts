/**
 * @file When a downloaded update may restart the kiosk: at night, when nobody clocks in.
 * A restart in the middle of a shift change would lock out a queue of employees.
 */

/** Default local hour for installing updates (03:00: after late shifts end, before early ones start). */
export const DEFAULT_MAINTENANCE_HOUR = 3;

/** Milliseconds from `now` to the next `hour`:00 local time (tomorrow if it has passed today). */
export function msUntilMaintenanceWindow(now: Date, hour: number = DEFAULT_MAINTENANCE_HOUR): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`maintenance hour must be 0-23, got ${hour}`);
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hour, 0, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}
