/**
 * @file What an attendance event is, in memory and on the wire. Field names match the sync
 * protocol (docs/sync-protocol.md) so one object serves the hash, the relay and the export.
 */
import { z } from 'zod';

export const EVENT_TYPES = ['clock_in', 'clock_out', 'break_start', 'break_end'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const PUNCH_METHODS = ['face', 'pin', 'manager'] as const;
export type PunchMethod = (typeof PUNCH_METHODS)[number];

/** Why an event exists locally (not on the wire): a punch, a manager correction, an undo. */
export type EventKind = 'punch' | 'correction' | 'undo';

export const EmployeeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'employee id: 1-128 letters, digits or . _ : @ - (starting with a letter or digit)');

export const MatchInfoSchema = z
  .object({
    similarity: z.number().min(-1).max(1),
    /** Fused real-face probability; null when liveness is disabled in settings. */
    liveness: z.number().min(0).max(1).nullable(),
    modelId: z.string().min(1).max(64),
  })
  .strict();
export type MatchInfo = z.infer<typeof MatchInfoSchema>;

/** The hashed and transmitted part of an event. */
export interface ChainedEvent {
  readonly id: string;
  readonly seq: number;
  readonly type: EventType;
  readonly employeeId: string;
  readonly occurredAt: string;
  readonly tzOffsetMinutes: number;
  readonly method: PunchMethod;
  readonly match: MatchInfo | null;
  readonly reason: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** A stored event: the wire fields plus local-only facts. */
export interface AttendanceEvent extends ChainedEvent {
  readonly kind: EventKind;
  readonly correctsEventId: string | null;
  readonly recordedAt: string;
  /** Set when the wall clock was behind where the monotonic clock says it should be. */
  readonly clockFlag: 'backward_jump' | null;
}
