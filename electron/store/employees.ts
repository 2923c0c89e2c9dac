/**
 * @file The employees repository: who can be recognised, their role, status, optional PIN and
 * when they were last seen (which drives biometric retention).
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { appendAudit } from './audit';
import type { Db } from './database';
import { hashPin, verifyPinHash } from './pin-hash';
import { assertEmployeeId, assertTenantId, normalizeDisplayName } from './validate';

export const EMPLOYEE_ROLES = ['employee', 'manager'] as const;
export type EmployeeRole = (typeof EMPLOYEE_ROLES)[number];
export const EMPLOYEE_STATUSES = ['active', 'inactive'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

export interface Employee {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly role: EmployeeRole;
  readonly status: EmployeeStatus;
  readonly hasPin: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastSeenAt: string | null;
  /** Number of stored templates (any model). */
  readonly templateCount: number;
}

interface Row {
  id: string;
  tenant_id: string;
  display_name: string;
  pin_hash: string | null;
  role: EmployeeRole;
  status: EmployeeStatus;
  created_at: string;
  updated_at: string;
  last_seen_at: string | null;
  template_count: number;
}

const SELECT = `SELECT e.*, (SELECT COUNT(*) FROM templates t WHERE t.employee_id = e.id) AS template_count FROM employees e`;

function toEmployee(r: Row): Employee {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    displayName: r.display_name,
    role: r.role,
    status: r.status,
    hasPin: r.pin_hash !== null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSeenAt: r.last_seen_at,
    templateCount: r.template_count,
  };
}

export interface NewEmployee {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly role?: EmployeeRole;
}

export function createEmployee(db: Db, e: NewEmployee, actor: string | null = null, now: Date = new Date()): Employee {
  assertEmployeeId(e.id);
  assertTenantId(e.tenantId);
  const name = normalizeDisplayName(e.displayName);
  const role = e.role ?? 'employee';
  if (!EMPLOYEE_ROLES.includes(role)) throw new InvalidInputError(`invalid role ${JSON.stringify(role)}: employee or manager`);
  const at = now.toISOString();
  db.transaction(() => {
    if (db.prepare('SELECT 1 FROM employees WHERE id = ?').get(e.id)) throw new ConflictError(`employee ${e.id} already exists`, { employeeId: e.id });
    db.prepare('INSERT INTO employees (id, tenant_id, display_name, role, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      e.id,
      e.tenantId,
      name,
      role,
      'active',
      at,
      at,
    );
    appendAudit(db, { action: 'employee.created', actor, subject: e.id, details: { role }, at });
  })();
  return requireEmployee(db, e.id);
}

export function findEmployee(db: Db, id: string): Employee | null {
  assertEmployeeId(id);
  const r = db.prepare(`${SELECT} WHERE e.id = ?`).get(id) as Row | undefined;
  return r ? toEmployee(r) : null;
}

export function requireEmployee(db: Db, id: string): Employee {
  const e = findEmployee(db, id);
  if (!e) throw new NotFoundError(`employee ${id} not found`, { employeeId: id });
  return e;
}

export function listEmployees(db: Db, opts: { tenantId?: string; status?: EmployeeStatus } = {}): Employee[] {
  const where: string[] = [];
  const args: string[] = [];
  if (opts.tenantId !== undefined) {
    assertTenantId(opts.tenantId);
    where.push('e.tenant_id = ?');
    args.push(opts.tenantId);
  }
  if (opts.status !== undefined) {
    where.push('e.status = ?');
    args.push(opts.status);
  }
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.display_name COLLATE NOCASE, e.id`;
  return (db.prepare(sql).all(...args) as Row[]).map(toEmployee);
}

export function renameEmployee(db: Db, id: string, displayName: string, actor: string | null = null, now: Date = new Date()): Employee {
  requireEmployee(db, id);
  const name = normalizeDisplayName(displayName);
  db.prepare('UPDATE employees SET display_name = ?, updated_at = ? WHERE id = ?').run(name, now.toISOString(), id);
  appendAudit(db, { action: 'employee.renamed', actor, subject: id, at: now.toISOString() });
  return requireEmployee(db, id);
}

export function setEmployeeStatus(db: Db, id: string, status: EmployeeStatus, actor: string | null = null, now: Date = new Date()): Employee {
  requireEmployee(db, id);
  if (!EMPLOYEE_STATUSES.includes(status)) throw new InvalidInputError(`invalid status ${JSON.stringify(status)}: active or inactive`);
  db.prepare('UPDATE employees SET status = ?, updated_at = ? WHERE id = ?').run(status, now.toISOString(), id);
  appendAudit(db, { action: 'employee.status', actor, subject: id, details: { status }, at: now.toISOString() });
  return requireEmployee(db, id);
}

export function setEmployeeRole(db: Db, id: string, role: EmployeeRole, actor: string | null = null, now: Date = new Date()): Employee {
  requireEmployee(db, id);
  if (!EMPLOYEE_ROLES.includes(role)) throw new InvalidInputError(`invalid role ${JSON.stringify(role)}: employee or manager`);
  db.prepare('UPDATE employees SET role = ?, updated_at = ? WHERE id = ?').run(role, now.toISOString(), id);
  appendAudit(db, { action: 'employee.role', actor, subject: id, details: { role }, at: now.toISOString() });
  return requireEmployee(db, id);
}

/** Record an interaction (a punch by face or PIN); retention counts inactivity from here. */
export function markEmployeeSeen(db: Db, id: string, at: Date = new Date()): void {
  assertEmployeeId(id);
  db.prepare('UPDATE employees SET last_seen_at = ? WHERE id = ?').run(at.toISOString(), id);
}

export async function setPin(db: Db, id: string, pin: string, actor: string | null = null, now: Date = new Date()): Promise<void> {
  requireEmployee(db, id);
  const hash = await hashPin(pin);
  db.prepare('UPDATE employees SET pin_hash = ?, updated_at = ? WHERE id = ?').run(hash, now.toISOString(), id);
  appendAudit(db, { action: 'employee.pin_set', actor, subject: id, at: now.toISOString() });
}

export function clearPin(db: Db, id: string, actor: string | null = null, now: Date = new Date()): void {
  requireEmployee(db, id);
  db.prepare('UPDATE employees SET pin_hash = NULL, updated_at = ? WHERE id = ?').run(now.toISOString(), id);
  appendAudit(db, { action: 'employee.pin_cleared', actor, subject: id, at: now.toISOString() });
}

/** True only when the employee exists, is active, has a PIN, and it matches. Lockout is the caller's job (settings.pin). */
export async function verifyPin(db: Db, id: string, pin: string): Promise<boolean> {
  assertEmployeeId(id);
  const r = db.prepare('SELECT pin_hash, status FROM employees WHERE id = ?').get(id) as { pin_hash: string | null; status: string } | undefined;
  if (!r || r.pin_hash === null || r.status !== 'active') return false;
  return verifyPinHash(pin, r.pin_hash);
}
