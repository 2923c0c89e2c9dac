import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClockGuard } from '../../../electron/attendance/clock-guard';
import { GENESIS_HASH, computeEventHash } from '../../../electron/attendance/event-hash';
import { listEvents } from '../../../electron/attendance/event-log';
import { onEventRecorded } from '../../../electron/attendance/notify';
import { isKnownEmployee, lastEventOf, recordCorrection, recordPunch, undoPunch } from '../../../electron/attendance/punch';
import { verifyEventChain } from '../../../electron/attendance/verify-chain';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../electron/common/errors';
import { listAudit } from '../../../electron/store/audit';
import { FACE_MATCH, addEmployee, openTempDb, type TempDb } from './helpers';

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
  addEmployee(t.db, 'E1');
  addEmployee(t.db, 'E2');
});
afterEach(() => t.cleanup());

const at = (iso: string): Date => new Date(iso);
const toggle = { mode: 'toggle' as const, breaks: true, repeatWindowSeconds: 60, maxShiftHours: 16, undoSeconds: 5 };

describe('recordPunch', () => {
  it('toggles clock_in / clock_out from the last event and stores UTC plus the offset', () => {
    const a = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-03T08:00:00Z'), tzOffsetMinutes: 60 });
    expect(a.status).toBe('recorded');
    expect(a.event).toMatchObject({ type: 'clock_in', seq: 1, occurredAt: '2026-12-03T08:00:00.000Z', tzOffsetMinutes: 60, method: 'face', match: FACE_MATCH, prevHash: GENESIS_HASH });
    const b = recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T16:00:00Z'), tzOffsetMinutes: 60 });
    expect(b.event).toMatchObject({ type: 'clock_out', seq: 2, method: 'pin', match: null, prevHash: a.event.hash });
    expect(b.event.hash).toBe(computeEventHash(b.event));
    expect(lastEventOf(t.db, 'E1')?.id).toBe(b.event.id);
    expect(lastEventOf(t.db, 'E2')).toBeNull();
  });

  it('acknowledges a repeat within the window without recording it, records after the window', () => {
    const a = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-03T08:00:00Z') });
    const r = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-03T08:00:59Z') });
    expect(r).toEqual({ status: 'repeat', event: a.event });
    expect(listEvents(t.db)).toHaveLength(1);
    expect(t.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    const c = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-03T08:01:00Z') });
    expect(c.status).toBe('recorded');
    expect(c.event.type).toBe('clock_out');
  });

  it('honours a custom repeat window and explicit mode (same type repeats, other type records)', () => {
    const explicit = { ...toggle, mode: 'explicit' as const, repeatWindowSeconds: 10 };
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T08:00:00Z') }, { punch: explicit })).toThrow(InvalidInputError);
    recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'clock_in', now: at('2026-12-03T08:00:00Z') }, { punch: explicit });
    expect(recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'clock_in', now: at('2026-12-03T08:00:05Z') }, { punch: explicit }).status).toBe('repeat');
    expect(recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'clock_in', now: at('2026-12-03T08:00:11Z') }, { punch: explicit }).status).toBe('recorded');
    expect(recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'break_start', now: at('2026-12-03T08:00:12Z') }, { punch: explicit }).event.type).toBe('break_start');
  });

  it('enforces break rules: enabled, in → break_start → break_end; toggle ends a break', () => {
    const noBreaks = { ...toggle, breaks: false };
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'break_start' }, { punch: noBreaks })).toThrow(/breaks are not enabled/);
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'break_start', now: at('2026-12-03T08:00:00Z') }, { punch: toggle })).toThrow(ConflictError);
    recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T08:00:00Z') }, { punch: toggle });
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'break_end', now: at('2026-12-03T10:00:00Z') }, { punch: toggle })).toThrow(/not on a break/);
    recordPunch(t.db, { employeeId: 'E1', method: 'pin', requestedType: 'break_start', now: at('2026-12-03T12:00:00Z') }, { punch: toggle });
    const back = recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T12:30:00Z') }, { punch: toggle });
    expect(back.event.type).toBe('break_end');
    expect(recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T17:00:00Z') }, { punch: toggle }).event.type).toBe('clock_out');
  });

  it('a forgotten clock-out starts a new shift after maxShiftHours, flagged on the event and in the audit log', () => {
    const friday = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-04T08:00:00Z') }, { punch: toggle });
    expect(friday.event.type).toBe('clock_in');
    // Within the limit the toggle still closes the shift.
    const e2 = recordPunch(t.db, { employeeId: 'E2', method: 'pin', now: at('2026-12-04T08:00:00Z') }, { punch: toggle });
    expect(recordPunch(t.db, { employeeId: 'E2', method: 'pin', now: at('2026-12-04T23:59:00Z') }, { punch: toggle }).event.type).toBe('clock_out');
    expect(e2.event.reason).toBeNull();
    // Monday: E1 never clocked out on Friday. Toggling would record a 72-hour shift; a new shift starts instead.
    const monday = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-07T08:00:00Z') }, { punch: toggle });
    expect(monday.event.type).toBe('clock_in');
    expect(monday.event.reason).toBe('previous shift open since 2026-12-04T08:00:00.000Z: no clock_out within 16 h');
    const [audit] = listAudit(t.db, { action: 'attendance.open_shift' });
    expect(audit).toMatchObject({ subject: 'E1', details: { openSinceEventId: friday.event.id, newShiftEventId: monday.event.id, maxShiftHours: 16 } });
    expect(verifyEventChain(t.db).ok).toBe(true);
    // The rule can be switched off (0): then the toggle closes the old shift as before.
    const off = { ...toggle, maxShiftHours: 0 };
    recordPunch(t.db, { employeeId: 'E2', method: 'pin', now: at('2026-12-05T08:00:00Z') }, { punch: off });
    expect(recordPunch(t.db, { employeeId: 'E2', method: 'pin', now: at('2026-12-08T08:00:00Z') }, { punch: off }).event.type).toBe('clock_out');
  });

  it('rejects bad input at the boundary with clear messages', () => {
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'face' })).toThrow(/face punch needs match/);
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'pin', match: FACE_MATCH })).toThrow(/PIN punch has no face match/);
    expect(() => recordPunch(t.db, { employeeId: '', method: 'pin' })).toThrow(InvalidInputError);
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'manager' as 'pin' })).toThrow(InvalidInputError);
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'face', match: { ...FACE_MATCH, similarity: 3 } })).toThrow(/similarity/);
    // An embedding smuggled into the match object is refused, never stored.
    expect(() =>
      recordPunch(t.db, { employeeId: 'E1', method: 'face', match: { ...FACE_MATCH, embedding: [0.1, 0.2] } as unknown as typeof FACE_MATCH }),
    ).toThrow(/Unrecognized key|embedding/);
    expect(() => recordPunch(t.db, { employeeId: 'E1', method: 'pin', tzOffsetMinutes: 5000 })).toThrow(/tzOffsetMinutes/);
    expect(() => recordPunch(t.db, { employeeId: 'NOPE', method: 'pin' })).toThrow(NotFoundError);
    addEmployee(t.db, 'GONE', 'inactive');
    expect(() => recordPunch(t.db, { employeeId: 'GONE', method: 'pin' })).toThrow(/inactive/);
    expect(listEvents(t.db)).toHaveLength(0);
  });

  it('keeps seq gap-free and the chain intact across employees, corrections and undos', () => {
    const base = Date.parse('2026-12-03T08:00:00Z');
    for (let i = 0; i < 30; i += 1) {
      recordPunch(t.db, { employeeId: i % 2 ? 'E1' : 'E2', method: 'pin', now: new Date(base + i * 120_000) });
    }
    recordCorrection(t.db, { employeeId: 'E1', type: 'clock_out', at: '2026-12-02T17:00:00Z', reason: 'forgot to clock out', actor: 'M1' });
    const seqs = listEvents(t.db).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(verifyEventChain(t.db)).toEqual({ ok: true, events: 31, firstBreak: null });
    // Tampering with any stored field breaks the chain at that event.
    t.db.prepare("UPDATE events SET employee_id = 'E9' WHERE seq = 17").run();
    expect(verifyEventChain(t.db)).toMatchObject({ ok: false, firstBreak: { seq: 17, problem: 'hash' } });
    t.db.prepare("UPDATE events SET employee_id = 'E2' WHERE seq = 17").run();
    expect(verifyEventChain(t.db).ok).toBe(true);
    // Deleting an event is visible as a gap.
    t.db.pragma('foreign_keys = OFF');
    t.db.prepare('DELETE FROM events WHERE seq = 20').run();
    expect(verifyEventChain(t.db)).toMatchObject({ ok: false, firstBreak: { seq: 21, problem: 'gap' } });
  });

  it('writes the event and its outbox row in one transaction (a failing outbox insert leaves neither)', () => {
    recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T08:00:00Z') });
    // Make the outbox insert fail: a row already claims the next seq.
    t.db.pragma('foreign_keys = OFF');
    t.db.prepare("INSERT INTO outbox (event_id, seq, state) VALUES ('ghost', 2, 'pending')").run();
    expect(() => recordPunch(t.db, { employeeId: 'E2', method: 'pin', now: at('2026-12-03T08:00:00Z') })).toThrow(/UNIQUE/);
    expect(listEvents(t.db)).toHaveLength(1);
  });

  it('flags an event recorded after the wall clock jumped backwards (monotonic and persisted checks)', () => {
    let wall = Date.parse('2026-12-03T08:00:00Z');
    let mono = 1000;
    const clock = new ClockGuard({ wallNow: () => wall, monoNow: () => mono });
    const a = recordPunch(t.db, { employeeId: 'E1', method: 'pin' }, { clock });
    expect(a.event.clockFlag).toBeNull();
    wall += 10 * 60_000;
    mono += 10 * 60_000;
    expect(recordPunch(t.db, { employeeId: 'E2', method: 'pin' }, { clock }).event.clockFlag).toBeNull();
    // Someone sets the clock back an hour: wall goes back while the monotonic clock moves on.
    wall -= 3_600_000;
    mono += 5_000;
    const c = recordPunch(t.db, { employeeId: 'E1', method: 'pin' }, { clock });
    expect(c.event.clockFlag).toBe('backward_jump');
    // A restarted process (fresh monotonic anchor) still sees it: the wall clock is behind the newest recorded_at.
    const fresh = new ClockGuard({ wallNow: () => wall, monoNow: () => 0 });
    expect(recordPunch(t.db, { employeeId: 'E2', method: 'pin' }, { clock: fresh }).event.clockFlag).toBe('backward_jump');
    expect(t.db.prepare("SELECT count(*) FROM events WHERE clock_flag = 'backward_jump'").pluck().get()).toBe(2);
  });

  it('notifies listeners after commit', () => {
    const seen: string[] = [];
    const off = onEventRecorded((e) => seen.push(e.id));
    const a = recordPunch(t.db, { employeeId: 'E1', method: 'pin' });
    recordPunch(t.db, { employeeId: 'E1', method: 'pin' }); // repeat: no notification
    off();
    recordPunch(t.db, { employeeId: 'E2', method: 'pin' });
    expect(seen).toEqual([a.event.id]);
  });
});

describe('recordCorrection', () => {
  it('records a past-dated manager punch with its reason and audits it', () => {
    recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T08:00:00Z') });
    const e = recordCorrection(t.db, { employeeId: 'E1', type: 'clock_out', at: '2026-12-02T17:30:00+01:00', reason: 'forgot to clock out', actor: 'M1', tzOffsetMinutes: 60 });
    expect(e).toMatchObject({ method: 'manager', type: 'clock_out', occurredAt: '2026-12-02T16:30:00.000Z', reason: 'forgot to clock out', kind: 'correction', match: null, seq: 2 });
    // Without --tz-offset, the zone written in `at` is the terminal's offset for that punch.
    const west = recordCorrection(t.db, { employeeId: 'E2', type: 'clock_in', at: '2026-12-02T08:00:00-05:00', reason: 'missed punch', actor: 'M1' });
    expect(west).toMatchObject({ occurredAt: '2026-12-02T13:00:00.000Z', tzOffsetMinutes: -300 });
    // The past-dated correction does not become the employee's "last" event.
    expect(lastEventOf(t.db, 'E1')?.seq).toBe(1);
    const audit = listAudit(t.db, { action: 'attendance.correction', subject: 'E1' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'M1', subject: 'E1', details: { eventId: e.id, reason: 'forgot to clock out' } });
  });

  it('refuses a missing reason, a future time, a time without zone and an unknown corrected event', () => {
    const ok = { employeeId: 'E1', type: 'clock_in' as const, at: '2026-12-03T08:00:00Z', reason: 'late badge', actor: 'M1' };
    expect(() => recordCorrection(t.db, { ...ok, reason: '  ' })).toThrow(/reason/);
    expect(() => recordCorrection(t.db, { ...ok, at: new Date(Date.now() + 3_600_000).toISOString() })).toThrow(/in the future/);
    expect(() => recordCorrection(t.db, { ...ok, at: '2026-12-03 08:00' })).toThrow(/ISO 8601/);
    expect(() => recordCorrection(t.db, { ...ok, at: '2026-13-45T08:00:00Z' })).toThrow(/not a real date/);
    expect(() => recordCorrection(t.db, { ...ok, employeeId: 'bad id!' })).toThrow(InvalidInputError);
    expect(() => recordCorrection(t.db, { ...ok, correctsEventId: 'missing' })).toThrow(NotFoundError);
    expect(listEvents(t.db)).toHaveLength(0);
  });

  it('accepts a correction for an employee the terminal no longer (or never) knew: history outlives the row', () => {
    expect(isKnownEmployee(t.db, 'GONE-7')).toBe(false);
    const e = recordCorrection(t.db, { employeeId: 'GONE-7', type: 'clock_out', at: '2026-12-01T17:00:00Z', reason: 'x', actor: 'M1' });
    expect(e).toMatchObject({ employeeId: 'GONE-7', method: 'manager', seq: 1 });
  });
});

describe('undoPunch', () => {
  it('appends a compensating event (never deletes) and the next punch counts again', () => {
    const a = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-03T08:00:00Z') });
    const u = undoPunch(t.db, a.event.id, 'E1', { now: at('2026-12-03T08:00:03Z') });
    expect(u).toMatchObject({ type: 'clock_out', kind: 'undo', correctsEventId: a.event.id, reason: `undo of ${a.event.id}`, method: 'face', match: null, seq: 2 });
    expect(listEvents(t.db)).toHaveLength(2);
    // Inside the repeat window, a new punch after an undo is recorded (not a repeat).
    const b = recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: at('2026-12-03T08:00:10Z') });
    expect(b).toMatchObject({ status: 'recorded', event: { type: 'clock_in' } });
    expect(listAudit(t.db, { action: 'attendance.undo' })[0]).toMatchObject({ actor: 'E1', details: { undoes: a.event.id } });
    expect(verifyEventChain(t.db).ok).toBe(true);
  });

  it('refuses after the undo window, twice, for a non-latest event, a correction or an unknown id', () => {
    const a = recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T08:00:00Z') });
    expect(() => undoPunch(t.db, a.event.id, 'E1', { now: at('2026-12-03T08:00:06Z') })).toThrow(/undo window of 5 s/);
    expect(() => undoPunch(t.db, a.event.id, 'E1', { now: at('2026-12-03T08:00:20Z'), punch: { ...toggle, undoSeconds: 30 } })).not.toThrow();
    expect(() => undoPunch(t.db, a.event.id, 'E1', { now: at('2026-12-03T08:00:21Z'), punch: { ...toggle, undoSeconds: 30 } })).toThrow(/already undone/);
    const b = recordPunch(t.db, { employeeId: 'E2', method: 'pin', now: at('2026-12-03T09:00:00Z') });
    recordPunch(t.db, { employeeId: 'E2', method: 'pin', now: at('2026-12-03T09:02:00Z') });
    expect(() => undoPunch(t.db, b.event.id, 'E2', { now: at('2026-12-03T09:02:01Z') })).toThrow(/no longer the employee's latest/);
    const c = recordCorrection(t.db, { employeeId: 'E1', type: 'clock_in', at: '2026-12-03T07:00:00Z', reason: 'fix', actor: 'M1' });
    expect(() => undoPunch(t.db, c.id, 'M1')).toThrow(/only a punch can be undone/);
    expect(() => undoPunch(t.db, 'nope', 'E1')).toThrow(NotFoundError);
    expect(() => undoPunch(t.db, a.event.id, '')).toThrow(InvalidInputError);
  });
});

describe('wall clock set back', () => {
  it('still records the next punch and toggles from the punch recorded last, not the one with the later wall time', () => {
    const a = recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T10:00:00Z') });
    expect(a.event.type).toBe('clock_in');
    // The clock is set back two hours; 30 minutes later (real time) the employee punches again.
    const b = recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T08:30:00Z') });
    expect(b.status).toBe('recorded');
    expect(b.event.type).toBe('clock_out');
    expect(b.event.clockFlag).toBe('backward_jump');
    expect(lastEventOf(t.db, 'E1')?.id).toBe(b.event.id);
    const c = recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T09:30:00Z') });
    expect(c.event.type).toBe('clock_in');
  });

  it('a manager correction dated now becomes the last event; a past-dated one does not', () => {
    recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T08:00:00Z') });
    const now = recordCorrection(t.db, { employeeId: 'E1', type: 'clock_out', at: '2026-12-03T12:00:00Z', reason: 'left early, badge lost', actor: 'M1', now: at('2026-12-03T12:00:30Z') });
    expect(lastEventOf(t.db, 'E1')?.id).toBe(now.id);
    expect(recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: at('2026-12-03T13:00:00Z') }).event.type).toBe('clock_in');
  });
});
