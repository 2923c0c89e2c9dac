/**
 * @file Consent records: who agreed (or refused, or withdrew), when, to which version of the
 * biometric notice, and who recorded it. Kept after the employee is deleted — it is the proof that
 * templates were collected lawfully — and holds no biometric data.
 */
import { v4 as uuidv4 } from 'uuid';
import { InvalidInputError } from '../common/errors';
import { appendAudit } from './audit';
import type { Db } from './database';
import { assertEmployeeId } from './validate';

export const CONSENT_DECISIONS = ['accepted', 'refused', 'withdrawn'] as const;
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number];

export interface ConsentInput {
  readonly employeeId: string;
  readonly decision: ConsentDecision;
  /** Version of the notice shown, e.g. "2026-01" or "bipa-v3". */
  readonly noticeVersion: string;
  /** The manager (or "self") who recorded it. */
  readonly recordedBy?: string | null;
}

export interface ConsentRecord {
  readonly id: string;
  readonly employeeId: string;
  readonly decision: ConsentDecision;
  readonly noticeVersion: string;
  readonly recordedBy: string | null;
  readonly recordedAt: string;
}

export function recordConsent(db: Db, c: ConsentInput, now: Date = new Date()): ConsentRecord {
  assertEmployeeId(c.employeeId);
  if (!CONSENT_DECISIONS.includes(c.decision)) throw new InvalidInputError(`invalid consent decision ${JSON.stringify(c.decision)}: accepted, refused or withdrawn`);
  if (typeof c.noticeVersion !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(c.noticeVersion)) {
    throw new InvalidInputError(`invalid notice version ${JSON.stringify(c.noticeVersion)}`);
  }
  const rec: ConsentRecord = {
    id: uuidv4(),
    employeeId: c.employeeId,
    decision: c.decision,
    noticeVersion: c.noticeVersion,
    recordedBy: c.recordedBy ?? null,
    recordedAt: now.toISOString(),
  };
  db.transaction(() => {
    db.prepare('INSERT INTO consents (id, employee_id, decision, notice_version, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      rec.id,
      rec.employeeId,
      rec.decision,
      rec.noticeVersion,
      rec.recordedBy,
      rec.recordedAt,
    );
    appendAudit(db, { action: `consent.${rec.decision}`, actor: rec.recordedBy, subject: rec.employeeId, details: { noticeVersion: rec.noticeVersion }, at: rec.recordedAt });
  })();
  return rec;
}

interface Row {
  id: string;
  employee_id: string;
  decision: ConsentDecision;
  notice_version: string;
  recorded_by: string | null;
  recorded_at: string;
}

export function listConsents(db: Db, employeeId: string): ConsentRecord[] {
  assertEmployeeId(employeeId);
  return (db.prepare('SELECT * FROM consents WHERE employee_id = ? ORDER BY recorded_at, rowid').all(employeeId) as Row[]).map((r) => ({
    id: r.id,
    employeeId: r.employee_id,
    decision: r.decision,
    noticeVersion: r.notice_version,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  }));
}

/** The most recent decision, or null if none was ever recorded. */
export function latestConsent(db: Db, employeeId: string): ConsentRecord | null {
  const all = listConsents(db, employeeId);
  return all.length ? all[all.length - 1]! : null;
}

export function hasAcceptedConsent(db: Db, employeeId: string): boolean {
  return latestConsent(db, employeeId)?.decision === 'accepted';
}
