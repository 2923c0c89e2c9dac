import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, computeEventHash } from '../../../electron/attendance/event-hash';
import { csvCell, exportEvents, localTimeOf } from '../../../electron/attendance/export';
import { recordCorrection, recordPunch } from '../../../electron/attendance/punch';
import { InvalidInputError } from '../../../electron/common/errors';
import { FACE_MATCH, addEmployee, openTempDb, type TempDb } from './helpers';

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
  addEmployee(t.db, 'E1');
  recordPunch(t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: new Date('2026-11-30T23:30:00Z'), tzOffsetMinutes: 60 });
  recordPunch(t.db, { employeeId: 'E1', method: 'pin', now: new Date('2026-12-01T08:00:00Z'), tzOffsetMinutes: 60 });
  recordCorrection(t.db, { employeeId: 'E1', type: 'clock_in', at: '2026-12-02T08:00:00Z', reason: '=HYPERLINK("http://x"), "quoted"', actor: 'M1', tzOffsetMinutes: -300 });
});
afterEach(() => t.cleanup());

describe('exportEvents', () => {
  it('exports CSV with a header, local wall time, quoting and formula neutralising', () => {
    const csv = exportEvents(t.db, { format: 'csv' });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,seq,employee_id,type,occurred_at_utc,local_time,tz_offset_minutes,method,similarity,liveness,model_id,kind,reason,corrects_event_id,clock_flag,recorded_at_utc,hash',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(',1,E1,clock_in,2026-11-30T23:30:00.000Z,2026-12-01 00:30:00,60,face,0.72,0.97,mobilefacenet-128,punch,');
    expect(lines[3]).toContain(`,2026-12-02 03:00:00,-300,manager,`);
    expect(lines[3]).toContain(`"'=HYPERLINK(""http://x""), ""quoted"""`);
  });

  it('filters by --from (inclusive) and --to (exclusive) and exports JSON', () => {
    const json = JSON.parse(exportEvents(t.db, { format: 'json', from: '2026-12-01', to: '2026-12-02T08:00:00Z' })) as Array<{ seq: number; localTime: string }>;
    expect(json.map((e) => e.seq)).toEqual([2]);
    expect(json[0]!.localTime).toBe('2026-12-01 09:00:00');
    const all = JSON.parse(exportEvents(t.db, { format: 'json', from: '2026-12-01T00:30:00+01:00' })) as unknown[];
    expect(all).toHaveLength(3);
  });

  it('refuses a bad format, a bad date and an empty range', () => {
    expect(() => exportEvents(t.db, { format: 'xml' as 'csv' })).toThrow(/--format must be csv or json/);
    expect(() => exportEvents(t.db, { format: 'csv', from: 'yesterday' })).toThrow(InvalidInputError);
    expect(() => exportEvents(t.db, { format: 'csv', from: '2026-12-02', to: '2026-12-01' })).toThrow(/before --to/);
  });
});

describe('hash and csv helpers', () => {
  it('canonical JSON sorts keys at every level with no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });

  it('the event hash is the SHA-256 of the canonical wire event without hash', () => {
    const e = { id: 'x', seq: 1, type: 'clock_in' as const, employeeId: 'E', occurredAt: '2026-01-01T00:00:00.000Z', tzOffsetMinutes: 0, method: 'pin' as const, match: null, reason: null, prevHash: '0'.repeat(64) };
    // Computed independently: echo -n '{"employeeId":"E","id":"x","match":null,"method":"pin","occurredAt":"2026-01-01T00:00:00.000Z","prevHash":"000…","reason":null,"seq":1,"type":"clock_in","tzOffsetMinutes":0}' | sha256sum
    const canonical = `{"employeeId":"E","id":"x","match":null,"method":"pin","occurredAt":"2026-01-01T00:00:00.000Z","prevHash":"${'0'.repeat(64)}","reason":null,"seq":1,"type":"clock_in","tzOffsetMinutes":0}`;
    expect(computeEventHash(e)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('csvCell quotes and neutralises', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(localTimeOf({ occurredAt: '2026-06-01T12:00:00.000Z', tzOffsetMinutes: 345 })).toBe('2026-06-01 17:45:00');
  });
});
