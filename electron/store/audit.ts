/**
 * @file The append-only audit log: who did what to whom, never biometric data.
 * `details` is JSON of plain facts (ids, reasons, counts) — callers must not put tokens,
 * keys, PINs or embeddings in it.
 */
import type { Db } from './database';

export interface AuditEntry {
  readonly action: string;
  readonly actor?: string | null;
  readonly subject?: string | null;
  readonly details?: Record<string, unknown> | null;
  /** ISO 8601 UTC; defaults to now. */
  readonly at?: string;
}

export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly subject: string | null;
  readonly details: Record<string, unknown> | null;
}

export function appendAudit(db: Db, e: AuditEntry): number {
  const info = db
    .prepare('INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)')
    .run(e.at ?? new Date().toISOString(), e.actor ?? null, e.action, e.subject ?? null, e.details ? JSON.stringify(e.details) : null);
  return Number(info.lastInsertRowid);
}

export function listAudit(db: Db, opts: { action?: string; subject?: string; limit?: number } = {}): AuditRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.action) {
    where.push('action = ?');
    args.push(opts.action);
  }
  if (opts.subject) {
    where.push('subject = ?');
    args.push(opts.subject);
  }
  const sql = `SELECT id, at, actor, action, subject, details FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, opts.limit ?? 1000) as Array<Omit<AuditRow, 'details'> & { details: string | null }>;
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
}
