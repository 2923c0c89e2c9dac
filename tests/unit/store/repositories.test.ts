import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../electron/common/errors';
import { listAudit } from '../../../electron/store/audit';
import { hasAcceptedConsent, latestConsent, listConsents, recordConsent } from '../../../electron/store/consents';
import {
  clearPin,
  createEmployee,
  findEmployee,
  listEmployees,
  markEmployeeSeen,
  renameEmployee,
  requireEmployee,
  setEmployeeRole,
  setEmployeeStatus,
  setPin,
  verifyPin,
} from '../../../electron/store/employees';
import { countTemplatesByModel, listEmployeesNeedingReenrolment, storeTemplate } from '../../../electron/store/templates';
import { ensureTenantKey } from '../../../electron/store/tenant-keys';
import { openTempStore, randomUnit, seededRandom, type TempStore } from './store-fixtures';

let s: TempStore;
afterEach(() => s?.close());

describe('employees', () => {
  it('creates, reads, lists, renames and changes role/status, auditing each change', () => {
    s = openTempStore();
    const at = new Date('2026-01-02T03:04:05Z');
    const e = createEmployee(s.db, { id: 'E-001', tenantId: 'acme', displayName: '  Zoë Åström ' }, 'mgr', at);
    expect(e).toMatchObject({ id: 'E-001', tenantId: 'acme', displayName: 'Zoë Åström', role: 'employee', status: 'active', hasPin: false, templateCount: 0, createdAt: at.toISOString(), lastSeenAt: null });
    createEmployee(s.db, { id: 'E-002', tenantId: 'acme', displayName: 'adam', role: 'manager' });
    expect(listEmployees(s.db).map((x) => x.id)).toEqual(['E-002', 'E-001']);
    expect(renameEmployee(s.db, 'E-001', 'Zoe A').displayName).toBe('Zoe A');
    expect(setEmployeeStatus(s.db, 'E-001', 'inactive').status).toBe('inactive');
    expect(listEmployees(s.db, { status: 'active' }).map((x) => x.id)).toEqual(['E-002']);
    expect(setEmployeeRole(s.db, 'E-001', 'manager').role).toBe('manager');
    markEmployeeSeen(s.db, 'E-001', new Date('2026-02-01T00:00:00Z'));
    expect(requireEmployee(s.db, 'E-001').lastSeenAt).toBe('2026-02-01T00:00:00.000Z');
    expect(listAudit(s.db, { subject: 'E-001' }).map((a) => a.action).sort()).toEqual(
      ['employee.created', 'employee.renamed', 'employee.role', 'employee.status'].sort(),
    );
  });

  it('refuses duplicates, unknown ids and bad input with clear errors', () => {
    s = openTempStore();
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'Ada' });
    expect(() => createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'Ada' })).toThrow(ConflictError);
    expect(() => requireEmployee(s.db, 'E9')).toThrow(NotFoundError);
    expect(findEmployee(s.db, 'E9')).toBeNull();
    expect(() => createEmployee(s.db, { id: 'bad id', tenantId: 'acme', displayName: 'X' })).toThrow(/invalid employee id/);
    expect(() => createEmployee(s.db, { id: '', tenantId: 'acme', displayName: 'X' })).toThrow(InvalidInputError);
    expect(() => createEmployee(s.db, { id: 'E2', tenantId: 'acme', displayName: '   ' })).toThrow(/must not be empty/);
    expect(() => createEmployee(s.db, { id: 'E2', tenantId: 'acme', displayName: 'x'.repeat(81) })).toThrow(/too long/);
    expect(() => createEmployee(s.db, { id: 'E2', tenantId: 'acme', displayName: 'a\u0007b' })).toThrow(/control characters/);
    expect(() => createEmployee(s.db, { id: 'E2', tenantId: 'acme', displayName: 'X', role: 'boss' as 'manager' })).toThrow(/invalid role/);
    expect(() => createEmployee(s.db, { id: 'E2', tenantId: 'a/b', displayName: 'X' })).toThrow(/invalid tenant id/);
  });

  it('stores PINs only as salted scrypt hashes and verifies them', async () => {
    s = openTempStore();
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'Ada' });
    createEmployee(s.db, { id: 'E2', tenantId: 'acme', displayName: 'Bob' });
    await setPin(s.db, 'E1', '4821');
    await setPin(s.db, 'E2', '4821');
    const hashes = s.db.prepare('SELECT pin_hash FROM employees ORDER BY id').pluck().all() as string[];
    expect(hashes[0]).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hashes[0]).not.toContain('4821');
    expect(hashes[0]).not.toBe(hashes[1]); // salted
    expect(requireEmployee(s.db, 'E1').hasPin).toBe(true);
    expect(await verifyPin(s.db, 'E1', '4821')).toBe(true);
    expect(await verifyPin(s.db, 'E1', '4822')).toBe(false);
    expect(await verifyPin(s.db, 'E1', 'abcd')).toBe(false);
    expect(await verifyPin(s.db, 'E9', '4821')).toBe(false);
    await expect(setPin(s.db, 'E1', '12')).rejects.toThrow(/4 to 8 digits/);
    setEmployeeStatus(s.db, 'E1', 'inactive');
    expect(await verifyPin(s.db, 'E1', '4821')).toBe(false);
    clearPin(s.db, 'E2');
    expect(await verifyPin(s.db, 'E2', '4821')).toBe(false);
  });
});

describe('consents', () => {
  it('records accepted, refused and withdrawn decisions with notice version and recorder', () => {
    s = openTempStore();
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'Ada' });
    expect(latestConsent(s.db, 'E1')).toBeNull();
    recordConsent(s.db, { employeeId: 'E1', decision: 'refused', noticeVersion: 'v1', recordedBy: 'mgr' }, new Date('2026-01-01T00:00:00Z'));
    expect(hasAcceptedConsent(s.db, 'E1')).toBe(false);
    recordConsent(s.db, { employeeId: 'E1', decision: 'accepted', noticeVersion: 'v2', recordedBy: 'mgr' }, new Date('2026-01-02T00:00:00Z'));
    expect(hasAcceptedConsent(s.db, 'E1')).toBe(true);
    expect(listConsents(s.db, 'E1').map((c) => [c.decision, c.noticeVersion, c.recordedBy])).toEqual([
      ['refused', 'v1', 'mgr'],
      ['accepted', 'v2', 'mgr'],
    ]);
    expect(listAudit(s.db, { action: 'consent.refused' })).toHaveLength(1);
    expect(() => recordConsent(s.db, { employeeId: 'E1', decision: 'maybe' as 'accepted', noticeVersion: 'v1' })).toThrow(/invalid consent decision/);
    expect(() => recordConsent(s.db, { employeeId: 'E1', decision: 'accepted', noticeVersion: '' })).toThrow(/invalid notice version/);
  });
});

describe('templates', () => {
  it('stores sealed templates and counts them per model; flags employees needing re-enrolment', async () => {
    s = openTempStore();
    const dk = await ensureTenantKey(s.db, s.keys, 'acme');
    const rand = seededRandom(11);
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'Ada' });
    createEmployee(s.db, { id: 'E2', tenantId: 'acme', displayName: 'Bob' });
    storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: 'mobilefacenet-128', quality: 0.8, embedding: randomUnit(rand) });
    storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: 'mobilefacenet-128', quality: 0.8, embedding: randomUnit(rand) });
    storeTemplate(s.db, dk, { employeeId: 'E2', tenantId: 'acme', modelId: 'sface-2021dec', quality: 0.8, embedding: randomUnit(rand) });
    expect(countTemplatesByModel(s.db, 'acme')).toEqual([
      { modelId: 'mobilefacenet-128', templates: 2, employees: 1 },
      { modelId: 'sface-2021dec', templates: 1, employees: 1 },
    ]);
    expect(listEmployeesNeedingReenrolment(s.db, 'acme', 'mobilefacenet-128')).toEqual(['E2']);
    expect(requireEmployee(s.db, 'E1').templateCount).toBe(2);
    expect(() => storeTemplate(s.db, dk, { employeeId: 'E9', tenantId: 'acme', modelId: 'mobilefacenet-128', quality: 1, embedding: randomUnit(rand) })).toThrow(NotFoundError);
    expect(() => storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'globex', modelId: 'mobilefacenet-128', quality: 1, embedding: randomUnit(rand) })).toThrow(/belongs to tenant acme/);
    expect(() => storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: 'Bad Model', quality: 1, embedding: randomUnit(rand) })).toThrow(/invalid model id/);
  });
});
