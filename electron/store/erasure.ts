/**
 * @file Erasure and retention of biometric data.
 *
 * - Deleting an employee removes the row, every template (FK cascade) and the PIN hash at once;
 *   `secure_delete` overwrites the freed pages. What remains is a tombstone in the audit log (who,
 *   when, why, how many templates) with no name and no biometric data. Attendance events and
 *   consent records stay: they are payroll and legal records, not biometrics.
 * - Retention: BIPA (740 ILCS 14/15(a)) requires destroying biometric identifiers when the purpose
 *   is satisfied or within 3 years of the individual's last interaction, whichever is first — so
 *   templates of employees not seen for settings.retention.inactiveDays (default 1095) are purged.
 *   The employee row is kept (PIN punching and history still work); they re-enrol to use their face.
 */
import { InvalidInputError } from '../common/errors';
import { appendAudit } from './audit';
import type { Db } from './database';
import { requireEmployee } from './employees';
import { recordConsent } from './consents';

export interface DeletedEmployee {
  readonly employeeId: string;
  readonly templatesRemoved: number;
}

/** Delete an employee, their templates and PIN in one transaction; leave an audit tombstone. */
export function deleteEmployee(db: Db, employeeId: string, opts: { actor?: string | null; reason?: string; now?: Date } = {}): DeletedEmployee {
  const now = opts.now ?? new Date();
  const emp = requireEmployee(db, employeeId);
  return db.transaction(() => {
    const templatesRemoved = db.prepare('DELETE FROM templates WHERE employee_id = ?').run(employeeId).changes;
    db.prepare('DELETE FROM employees WHERE id = ?').run(employeeId);
    appendAudit(db, {
      action: 'employee.deleted',
      actor: opts.actor ?? null,
      subject: employeeId,
      details: { tombstone: true, tenantId: emp.tenantId, templatesRemoved, hadPin: emp.hasPin, reason: opts.reason ?? 'manager request' },
      at: now.toISOString(),
    });
    return { employeeId, templatesRemoved };
  })();
}

/** Consent withdrawn: record it and destroy the templates now (the employee row and PIN stay). */
export function withdrawConsent(db: Db, employeeId: string, noticeVersion: string, actor: string | null = null, now: Date = new Date()): number {
  requireEmployee(db, employeeId);
  return db.transaction(() => {
    recordConsent(db, { employeeId, decision: 'withdrawn', noticeVersion, recordedBy: actor }, now);
    const n = db.prepare('DELETE FROM templates WHERE employee_id = ?').run(employeeId).changes;
    appendAudit(db, { action: 'templates.erased', actor, subject: employeeId, details: { templatesRemoved: n, reason: 'consent withdrawn' }, at: now.toISOString() });
    return n;
  })();
}

export interface PurgeResult {
  readonly employees: string[];
  readonly templatesRemoved: number;
}

/**
 * Purge templates of every employee whose last interaction is more than `inactiveDays` before
 * `now`. Last interaction = the latest of last_seen_at, the newest template's creation (an
 * enrolment is an interaction) and the employee's creation. Run at start and daily.
 */
export function purgeExpiredTemplates(db: Db, now: Date, inactiveDays: number): PurgeResult {
  if (!Number.isInteger(inactiveDays) || inactiveDays < 1) throw new InvalidInputError(`retention period must be a whole number of days ≥ 1, got ${inactiveDays}`);
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new InvalidInputError('purgeExpiredTemplates needs a valid date for now');
  const cutoff = new Date(now.getTime() - inactiveDays * 86_400_000).toISOString();
  // ISO-8601 UTC strings of one format compare correctly as text.
  const expired = db
    .prepare(
      `SELECT e.id FROM employees e
       WHERE EXISTS (SELECT 1 FROM templates t WHERE t.employee_id = e.id)
         AND MAX(COALESCE(e.last_seen_at, ''), e.created_at, (SELECT MAX(created_at) FROM templates t WHERE t.employee_id = e.id)) < ?
       ORDER BY e.id`,
    )
    .pluck()
    .all(cutoff) as string[];
  let templatesRemoved = 0;
  db.transaction(() => {
    const del = db.prepare('DELETE FROM templates WHERE employee_id = ?');
    for (const id of expired) {
      const n = del.run(id).changes;
      templatesRemoved += n;
      appendAudit(db, { action: 'templates.erased', subject: id, details: { templatesRemoved: n, reason: 'retention', inactiveDays }, at: now.toISOString() });
    }
  })();
  return { employees: expired, templatesRemoved };
}
