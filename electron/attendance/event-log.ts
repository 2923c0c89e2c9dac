/**
 * @file The append-only event log: append an event and its outbox row in one transaction,
 * read events back. Nothing here updates or deletes an event.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../store/database';
import { type ClockGuard, processClockGuard } from './clock-guard';
import { GENESIS_HASH, computeEventHash } from './event-hash';
import { emitEventRecorded } from './notify';
import type { AttendanceEvent, EventKind, EventType, MatchInfo, PunchMethod } from './types';

interface EventRow {
  id: string;
  seq: number;
  type: EventType;
  employee_id: string;
  occurred_at: string;
  tz_offset_minutes: number;
  method: PunchMethod;
  match: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
  corrects_event_id: string | null;
  kind: EventKind;
  recorded_at: string;
  clock_flag: 'backward_jump' | null;
}

export const EVENT_COLUMNS =
  'id, seq, type, employee_id, occurred_at, tz_offset_minutes, method, match, reason, prev_hash, hash, corrects_event_id, kind, recorded_at, clock_flag';

export function rowToEvent(r: EventRow): AttendanceEvent {
  return {
    id: r.id,
    seq: r.seq,
    type: r.type,
    employeeId: r.employee_id,
    occurredAt: r.occurred_at,
    tzOffsetMinutes: r.tz_offset_minutes,
    method: r.method,
    match: r.match ? (JSON.parse(r.match) as MatchInfo) : null,
    reason: r.reason,
    prevHash: r.prev_hash,
    hash: r.hash,
    kind: r.kind,
    correctsEventId: r.corrects_event_id,
    recordedAt: r.recorded_at,
    clockFlag: r.clock_flag,
  };
}

/** Prepared statements per connection: preparing costs more than a punch's insert. */
interface Statements {
  head: { get(): { seq: number; hash: string } | undefined };
  highWater: { get(): { at: string | null } | undefined };
  insertEvent: { run(...args: unknown[]): unknown };
  insertOutbox: { run(...args: unknown[]): unknown };
  lastPunchOf: { get(employeeId: string): EventRow | undefined };
  lastCorrectionOf: { get(employeeId: string): EventRow | undefined };
  byId: { get(id: string): EventRow | undefined };
}
const cache = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = cache.get(db);
  if (!s) {
    s = {
      head: db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1') as Statements['head'],
      highWater: db.prepare('SELECT MAX(recorded_at) AS at FROM events') as Statements['highWater'],
      insertEvent: db.prepare(
        `INSERT INTO events (id, seq, type, employee_id, occurred_at, tz_offset_minutes, method, match, reason, prev_hash, hash,
           corrects_event_id, kind, recorded_at, mono_session, mono_ms, clock_flag)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertOutbox: db.prepare("INSERT INTO outbox (event_id, seq, state, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, 0)"),
      lastPunchOf: db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE employee_id = ? AND kind != 'correction' ORDER BY seq DESC LIMIT 1`,
      ) as Statements['lastPunchOf'],
      lastCorrectionOf: db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE employee_id = ? AND kind = 'correction' ORDER BY occurred_at DESC, seq DESC LIMIT 1`,
      ) as Statements['lastCorrectionOf'],
      byId: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`) as Statements['byId'],
    };
    cache.set(db, s);
  }
  return s;
}

export interface NewEvent {
  readonly type: EventType;
  readonly employeeId: string;
  /** Wall time of the punch; for corrections the corrected time. Defaults to the clock reading. */
  readonly occurredAt?: Date;
  readonly tzOffsetMinutes: number;
  readonly method: PunchMethod;
  readonly match: MatchInfo | null;
  readonly reason: string | null;
  readonly kind: EventKind;
  readonly correctsEventId?: string | null;
}

export interface AppendOptions {
  readonly clock?: ClockGuard;
  /** Overrides the wall clock (tests, benchmarks). */
  readonly now?: Date;
}

/**
 * Append one event and its outbox row. Must run inside a transaction (callers use
 * `db.transaction(...).immediate()` so the seq read and the insert hold the write lock).
 */
export function appendEventInTx(db: Db, e: NewEvent, opts: AppendOptions = {}): AttendanceEvent {
  const s = statements(db);
  const head = s.head.get();
  const highWater = s.highWater.get()?.at ?? null;
  const clock = (opts.clock ?? processClockGuard()).read(highWater ? Date.parse(highWater) : null, opts.now?.getTime());
  const recordedAt = new Date(clock.wallMs).toISOString();
  const occurredAt = (e.occurredAt ?? new Date(clock.wallMs)).toISOString();
  const wire = {
    id: uuidv7({ msecs: clock.wallMs }),
    seq: head ? head.seq + 1 : 1,
    type: e.type,
    employeeId: e.employeeId,
    occurredAt,
    tzOffsetMinutes: e.tzOffsetMinutes,
    method: e.method,
    match: e.match,
    reason: e.reason,
    prevHash: head ? head.hash : GENESIS_HASH,
  };
  const hash = computeEventHash(wire);
  s.insertEvent.run(
    wire.id,
    wire.seq,
    wire.type,
    wire.employeeId,
    wire.occurredAt,
    wire.tzOffsetMinutes,
    wire.method,
    wire.match ? JSON.stringify(wire.match) : null,
    wire.reason,
    wire.prevHash,
    hash,
    e.correctsEventId ?? null,
    e.kind,
    recordedAt,
    clock.session,
    clock.monoMs,
    clock.flag,
  );
  s.insertOutbox.run(wire.id, wire.seq);
  return { ...wire, hash, kind: e.kind, correctsEventId: e.correctsEventId ?? null, recordedAt, clockFlag: clock.flag };
}

/** Append in its own transaction and notify listeners (the relay) after commit. */
export function appendEvent(db: Db, e: NewEvent, opts: AppendOptions = {}): AttendanceEvent {
  const event = db.transaction(() => appendEventInTx(db, e, opts)).immediate();
  emitEventRecorded(event);
  return event;
}

/**
 * The employee's current last event: their newest punch or undo in recording order (seq — a
 * wall clock set back must not make an older punch look newer), unless a manager correction is
 * dated later than it (a past-dated correction does not become "last"; one dated now does).
 */
export function lastEventOf(db: Db, employeeId: string): AttendanceEvent | null {
  const s = statements(db);
  const p = s.lastPunchOf.get(employeeId);
  const c = s.lastCorrectionOf.get(employeeId);
  const r = c && (!p || c.occurred_at > p.occurred_at) ? c : p;
  return r ? rowToEvent(r) : null;
}

export function getEvent(db: Db, id: string): AttendanceEvent | null {
  const r = statements(db).byId.get(id);
  return r ? rowToEvent(r) : null;
}

export interface EventQuery {
  readonly from?: string;
  readonly to?: string;
  readonly employeeId?: string;
  readonly afterSeq?: number;
  readonly limit?: number;
}

/** Events in seq order; `from` inclusive and `to` exclusive on occurred_at (ISO UTC strings compare in time order). */
export function listEvents(db: Db, q: EventQuery = {}): AttendanceEvent[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.from) {
    where.push('occurred_at >= ?');
    args.push(q.from);
  }
  if (q.to) {
    where.push('occurred_at < ?');
    args.push(q.to);
  }
  if (q.employeeId) {
    where.push('employee_id = ?');
    args.push(q.employeeId);
  }
  if (q.afterSeq !== undefined) {
    where.push('seq > ?');
    args.push(q.afterSeq);
  }
  const sql = `SELECT ${EVENT_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
  return (db.prepare(sql).all(...args, q.limit ?? -1) as EventRow[]).map(rowToEvent);
}
