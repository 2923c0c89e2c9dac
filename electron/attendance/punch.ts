/**
 * @file The attendance API the kiosk screen and the CLI call: record a punch, a manager
 * correction, or an undo. Each writes the event and its outbox row in one transaction.
 */
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { defaultSettings, type Settings } from '../config/settings';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/database';
import type { ClockGuard } from './clock-guard';
import { appendEventInTx, getEvent, lastEventOf } from './event-log';
import { emitEventRecorded } from './notify';
import { compensatingType, decidePunchType, isForgottenShift, isRepeatPunch, type LastEventFacts } from './punch-rules';
import { EVENT_TYPES, EmployeeIdSchema, MatchInfoSchema, type AttendanceEvent, type EventType, type MatchInfo } from './types';

export type PunchSettings = Settings['punch'];

export interface PunchOptions {
  /** settings.punch; defaults to the schema defaults (toggle, no breaks, 60 s, 5 s undo). */
  readonly punch?: PunchSettings;
  readonly clock?: ClockGuard;
}

export interface PunchRequest {
  readonly employeeId: string;
  readonly method: 'face' | 'pin';
  /** Required for face punches, must be null/absent for PIN. Never an embedding. */
  readonly match?: MatchInfo | null;
  /** Explicit mode (or a break button): what the employee chose. */
  readonly requestedType?: EventType;
  /** Overrides the wall clock (tests). */
  readonly now?: Date;
  /** Minutes east of UTC; defaults to the terminal's current offset. */
  readonly tzOffsetMinutes?: number;
}

export type PunchResult =
  | { readonly status: 'recorded'; readonly event: AttendanceEvent }
  /** Acknowledged, not recorded again: `event` is the earlier punch it repeats. */
  | { readonly status: 'repeat'; readonly event: AttendanceEvent };

const TzOffsetSchema = z.number().int().min(-840).max(840);

const PunchRequestSchema = z
  .object({
    employeeId: EmployeeIdSchema,
    method: z.enum(['face', 'pin']),
    match: MatchInfoSchema.nullable().optional(),
    requestedType: z.enum(EVENT_TYPES).optional(),
    now: z.date().optional(),
    tzOffsetMinutes: TzOffsetSchema.optional(),
  })
  .strict();

function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new InvalidInputError(`${what}: ${first?.path.join('.') || 'input'}: ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Minutes east of UTC at `at` on this machine (JS getTimezoneOffset is minutes west). */
export function terminalTzOffsetMinutes(at: Date = new Date()): number {
  const off = -at.getTimezoneOffset();
  return off === 0 ? 0 : off; // never -0
}

function facts(e: AttendanceEvent | null): LastEventFacts | null {
  return e ? { type: e.type, kind: e.kind, occurredAtMs: Date.parse(e.occurredAt) } : null;
}

const employeeStatus = new WeakMap<Db, { get(id: string): unknown }>();

function requireEmployee(db: Db, employeeId: string, activeOnly: boolean): void {
  let stmt = employeeStatus.get(db);
  if (!stmt) {
    stmt = db.prepare('SELECT status FROM employees WHERE id = ?');
    employeeStatus.set(db, stmt);
  }
  const row = stmt.get(employeeId) as { status: string } | undefined;
  if (!row) throw new NotFoundError(`no employee with id ${employeeId}`);
  if (activeOnly && row.status !== 'active') throw new ConflictError(`employee ${employeeId} is ${row.status}`);
}

/**
 * Record an identified employee's punch (face or PIN). The type comes from their last event
 * (toggle) or from `requestedType` (explicit mode, break buttons). A second punch inside the
 * repeat window is acknowledged with `status: 'repeat'` and records nothing.
 */
export function recordPunch(db: Db, request: PunchRequest, opts: PunchOptions = {}): PunchResult {
  const req = parseInput(PunchRequestSchema, request, 'punch');
  if (req.method === 'face' && !req.match) throw new InvalidInputError('punch: a face punch needs match {similarity, liveness, modelId}');
  if (req.method === 'pin' && req.match) throw new InvalidInputError('punch: a PIN punch has no face match');
  const rules = opts.punch ?? defaultSettings().punch;
  const result = db
    .transaction((): PunchResult => {
      requireEmployee(db, req.employeeId, true);
      const last = lastEventOf(db, req.employeeId);
      const nowMs = (req.now ?? new Date()).getTime();
      if (last && isRepeatPunch(facts(last), nowMs, rules, req.requestedType)) return { status: 'repeat', event: last };
      const type = decidePunchType(facts(last), rules, req.requestedType, nowMs);
      // A new shift over a forgotten clock-out: say so on the event (payroll sees it) and in the audit log (the manager corrects it).
      const forgotten = last !== null && req.requestedType === undefined && isForgottenShift(facts(last), nowMs, rules);
      const reason = forgotten ? `previous shift open since ${last.occurredAt}: no clock_out within ${rules.maxShiftHours} h` : null;
      const event = appendEventInTx(
        db,
        {
          type,
          employeeId: req.employeeId,
          tzOffsetMinutes: req.tzOffsetMinutes ?? terminalTzOffsetMinutes(req.now),
          method: req.method,
          match: req.match ?? null,
          reason,
          kind: 'punch',
        },
        { ...(opts.clock ? { clock: opts.clock } : {}), ...(req.now ? { now: req.now } : {}) },
      );
      if (forgotten) {
        appendAudit(db, {
          action: 'attendance.open_shift',
          subject: req.employeeId,
          details: { openSinceEventId: last.id, openSince: last.occurredAt, newShiftEventId: event.id, maxShiftHours: rules.maxShiftHours },
        });
      }
      return { status: 'recorded', event };
    })
    .immediate();
  if (result.status === 'recorded') emitEventRecorded(result.event);
  return result;
}

export interface CorrectionRequest {
  readonly employeeId: string;
  readonly type: EventType;
  /** When the punch really happened (ISO 8601 with zone, or a Date). Not in the future. */
  readonly at: string | Date;
  readonly reason: string;
  /** Who made the correction (manager id), for the audit log. */
  readonly actor: string;
  /** Optional: the event this correction answers (kept locally and in the audit log). */
  readonly correctsEventId?: string;
  readonly tzOffsetMinutes?: number;
  readonly now?: Date;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const CorrectionSchema = z
  .object({
    employeeId: EmployeeIdSchema,
    type: z.enum(EVENT_TYPES),
    at: z.union([z.date(), z.string().regex(ISO_WITH_ZONE, 'must be ISO 8601 with a time zone, e.g. 2026-12-03T08:00:00Z')]),
    reason: z.string().trim().min(1, 'a correction needs a reason').max(500),
    actor: z.string().trim().min(1).max(128),
    correctsEventId: z.string().min(1).max(64).optional(),
    tzOffsetMinutes: TzOffsetSchema.optional(),
    now: z.date().optional(),
  })
  .strict();

/**
 * "2026-12-03T08:00:00+01:00" says the manager meant 08:00 at UTC+1: keep that offset for the
 * event. "Z" (or a Date) says nothing about the terminal's zone, so the caller's default applies.
 */
function offsetWrittenIn(at: string | Date): number | undefined {
  if (typeof at !== 'string') return undefined;
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(at);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Allowed skew for a correction's time ahead of the terminal clock. */
const CORRECTION_FUTURE_SLACK_MS = 60_000;

/** Whether the terminal knows this employee id (any status). */
export function isKnownEmployee(db: Db, employeeId: string): boolean {
  return db.prepare('SELECT 1 FROM employees WHERE id = ?').get(employeeId) !== undefined;
}

/** A manager's corrected punch: a new event with method 'manager' and a reason, audited. */
export function recordCorrection(db: Db, request: CorrectionRequest, opts: PunchOptions = {}): AttendanceEvent {
  const req = parseInput(CorrectionSchema, request, 'correction');
  const at = req.at instanceof Date ? req.at : new Date(req.at);
  if (Number.isNaN(at.getTime())) throw new InvalidInputError(`correction: at: not a real date: ${String(request.at)}`);
  const now = req.now ?? new Date();
  if (at.getTime() - now.getTime() > CORRECTION_FUTURE_SLACK_MS) {
    throw new InvalidInputError(`correction: at ${at.toISOString()} is in the future`);
  }
  const event = db
    .transaction(() => {
      // No employee check: payroll may need a correction for someone inactive, deleted (history
      // outlives the employee row) or never enrolled on this terminal. The CLI warns instead.
      if (req.correctsEventId && !getEvent(db, req.correctsEventId)) throw new NotFoundError(`no event with id ${req.correctsEventId}`);
      const e = appendEventInTx(
        db,
        {
          type: req.type,
          employeeId: req.employeeId,
          occurredAt: at,
          tzOffsetMinutes: req.tzOffsetMinutes ?? offsetWrittenIn(req.at) ?? terminalTzOffsetMinutes(at),
          method: 'manager',
          match: null,
          reason: req.reason,
          kind: 'correction',
          correctsEventId: req.correctsEventId ?? null,
        },
        { ...(opts.clock ? { clock: opts.clock } : {}), ...(req.now ? { now: req.now } : {}) },
      );
      appendAudit(db, {
        action: 'attendance.correction',
        actor: req.actor,
        subject: req.employeeId,
        details: { eventId: e.id, seq: e.seq, type: e.type, occurredAt: e.occurredAt, reason: req.reason, correctsEventId: req.correctsEventId ?? null },
        at: e.recordedAt,
      });
      return e;
    })
    .immediate();
  emitEventRecorded(event);
  return event;
}

/**
 * Undo a punch within `punch.undoSeconds` of recording it. The chain is never edited: this
 * appends a compensating event of the opposite type (reason "undo of <id>") and audits it.
 * Only the employee's latest event, only a punch (not a correction or another undo), only once.
 */
export function undoPunch(db: Db, eventId: string, actor: string, opts: PunchOptions & { now?: Date } = {}): AttendanceEvent {
  if (typeof eventId !== 'string' || eventId.length === 0 || eventId.length > 64) throw new InvalidInputError('undo: event id is required');
  if (typeof actor !== 'string' || actor.trim().length === 0) throw new InvalidInputError('undo: actor is required');
  const rules = opts.punch ?? defaultSettings().punch;
  const now = opts.now ?? new Date();
  const event = db
    .transaction(() => {
      const target = getEvent(db, eventId);
      if (!target) throw new NotFoundError(`no event with id ${eventId}`);
      if (target.kind !== 'punch') throw new ConflictError(`event ${eventId} is a ${target.kind}, only a punch can be undone`);
      const undone = db.prepare("SELECT 1 FROM events WHERE corrects_event_id = ? AND kind = 'undo'").get(eventId);
      if (undone) throw new ConflictError(`event ${eventId} was already undone`);
      const later = db.prepare('SELECT 1 FROM events WHERE employee_id = ? AND seq > ? LIMIT 1').get(target.employeeId, target.seq);
      if (later) throw new ConflictError(`event ${eventId} is no longer the employee's latest punch`);
      // |age|: after a backward clock jump a negative age must not make the window endless.
      const ageMs = Math.abs(now.getTime() - Date.parse(target.recordedAt));
      if (ageMs > rules.undoSeconds * 1000) {
        throw new ConflictError(`undo window of ${rules.undoSeconds} s has passed (${Math.round(ageMs / 1000)} s); ask a manager for a correction`);
      }
      const e = appendEventInTx(
        db,
        {
          type: compensatingType(target.type),
          employeeId: target.employeeId,
          tzOffsetMinutes: target.tzOffsetMinutes,
          method: target.method,
          match: null,
          reason: `undo of ${target.id}`,
          kind: 'undo',
          correctsEventId: target.id,
        },
        { ...(opts.clock ? { clock: opts.clock } : {}), now },
      );
      appendAudit(db, {
        action: 'attendance.undo',
        actor,
        subject: target.employeeId,
        details: { eventId: e.id, undoes: target.id, type: e.type },
        at: e.recordedAt,
      });
      return e;
    })
    .immediate();
  emitEventRecorded(event);
  return event;
}

export { lastEventOf };
