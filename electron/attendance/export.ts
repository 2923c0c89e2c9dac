/**
 * @file Payroll export of the local event log as CSV or JSON. Includes the local-only facts
 * (kind, corrected event, clock-jump flag, local wall time) that payroll needs to judge a punch.
 */
import { InvalidInputError } from '../common/errors';
import type { Db } from '../store/database';
import { listEvents } from './event-log';
import type { AttendanceEvent } from './types';

export type ExportFormat = 'csv' | 'json';

export interface ExportQuery {
  /** Inclusive lower bound on occurredAt (ISO 8601 with zone). */
  readonly from?: string;
  /** Exclusive upper bound on occurredAt (ISO 8601 with zone). */
  readonly to?: string;
  readonly format: ExportFormat;
  readonly employeeId?: string;
}

const CSV_COLUMNS = [
  'id',
  'seq',
  'employee_id',
  'type',
  'occurred_at_utc',
  'local_time',
  'tz_offset_minutes',
  'method',
  'similarity',
  'liveness',
  'model_id',
  'kind',
  'reason',
  'corrects_event_id',
  'clock_flag',
  'recorded_at_utc',
  'hash',
] as const;

function normaliseBound(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
  const t = Date.parse(value);
  if (!iso.test(value) || Number.isNaN(t)) {
    throw new InvalidInputError(`--${name} must be an ISO 8601 date (2026-12-01) or date-time with zone (2026-12-01T00:00:00Z), got "${value}"`);
  }
  // Stored occurred_at values are all Date#toISOString() output, so string order is time order.
  return new Date(t).toISOString();
}

/** The punch's wall time at the terminal, "YYYY-MM-DD HH:MM:SS" in its own offset. */
export function localTimeOf(e: Pick<AttendanceEvent, 'occurredAt' | 'tzOffsetMinutes'>): string {
  const local = new Date(Date.parse(e.occurredAt) + e.tzOffsetMinutes * 60_000);
  return local.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * One CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula (= + - @ tab CR)
 * is prefixed with "'" — reasons and ids are typed by people and payroll opens this in Excel.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsvRow(e: AttendanceEvent): string {
  const cells: Array<string | number | null> = [
    e.id,
    e.seq,
    e.employeeId,
    e.type,
    e.occurredAt,
    localTimeOf(e),
    e.tzOffsetMinutes,
    e.method,
    e.match?.similarity ?? null,
    e.match?.liveness ?? null,
    e.match?.modelId ?? null,
    e.kind,
    e.reason,
    e.correctsEventId,
    e.clockFlag,
    e.recordedAt,
    e.hash,
  ];
  return cells.map(csvCell).join(',');
}

export function exportEvents(db: Db, q: ExportQuery): string {
  if (q.format !== 'csv' && q.format !== 'json') throw new InvalidInputError(`--format must be csv or json, got "${String(q.format)}"`);
  const from = normaliseBound(q.from, 'from');
  const to = normaliseBound(q.to, 'to');
  if (from && to && from >= to) throw new InvalidInputError('--from must be before --to');
  const events = listEvents(db, { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(q.employeeId ? { employeeId: q.employeeId } : {}) });
  if (q.format === 'json') {
    return JSON.stringify(events.map((e) => ({ ...e, localTime: localTimeOf(e) })), null, 2);
  }
  return [CSV_COLUMNS.join(','), ...events.map(toCsvRow)].join('\r\n') + '\r\n';
}
