import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../../../electron/common/errors';
import { listAudit } from '../../../electron/store/audit';
import { listConsents, recordConsent } from '../../../electron/store/consents';
import { createEmployee, findEmployee, markEmployeeSeen, requireEmployee, setPin } from '../../../electron/store/employees';
import { deleteEmployee, purgeExpiredTemplates, withdrawConsent } from '../../../electron/store/erasure';
import { storeTemplate } from '../../../electron/store/templates';
import { ensureTenantKey } from '../../../electron/store/tenant-keys';
import { openTempStore, randomUnit, seededRandom, type TempStore } from './store-fixtures';

let s: TempStore;
afterEach(() => s?.close());

const MODEL = 'mobilefacenet-128';
const DAY = 86_400_000;

async function enrol(id: string, at: Date, n = 2): Promise<void> {
  const dk = await ensureTenantKey(s.db, s.keys, 'acme');
  createEmployee(s.db, { id, tenantId: 'acme', displayName: `Person ${id}` }, null, at);
  const rand = seededRandom(id.length * 31 + id.charCodeAt(id.length - 1));
  for (let i = 0; i < n; i += 1) storeTemplate(s.db, dk, { employeeId: id, tenantId: 'acme', modelId: MODEL, quality: 0.9, embedding: randomUnit(rand) }, at);
}

describe('deleting an employee', () => {
  it('removes the row, templates and PIN at once and leaves a nameless tombstone', async () => {
    s = openTempStore();
    await enrol('E1', new Date());
    await setPin(s.db, 'E1', '1234');
    recordConsent(s.db, { employeeId: 'E1', decision: 'accepted', noticeVersion: 'v1' });
    const ciphertexts = s.db.prepare('SELECT sealed FROM templates').pluck().all() as Buffer[];
    expect(deleteEmployee(s.db, 'E1', { actor: 'mgr-7', reason: 'left the company' })).toEqual({ employeeId: 'E1', templatesRemoved: 2 });
    expect(findEmployee(s.db, 'E1')).toBeNull();
    expect(s.db.prepare('SELECT COUNT(*) FROM templates').pluck().get()).toBe(0);
    const [tomb] = listAudit(s.db, { action: 'employee.deleted' });
    expect(tomb).toMatchObject({ actor: 'mgr-7', subject: 'E1', details: { tombstone: true, templatesRemoved: 2, hadPin: true, reason: 'left the company' } });
    expect(JSON.stringify(tomb)).not.toContain('Person E1');
    // Consent records are kept as legal evidence.
    expect(listConsents(s.db, 'E1')).toHaveLength(1);
    // secure_delete: the freed pages no longer hold the ciphertext (checkpoint WAL first).
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = fs.readFileSync(s.dbFile);
    for (const c of ciphertexts) expect(file.includes(c.subarray(0, 32))).toBe(false);
    expect(() => deleteEmployee(s.db, 'E1')).toThrow(NotFoundError);
  });

  it('withdrawing consent destroys templates but keeps the employee', async () => {
    s = openTempStore();
    await enrol('E1', new Date());
    expect(withdrawConsent(s.db, 'E1', 'v1', 'mgr')).toBe(2);
    expect(requireEmployee(s.db, 'E1').templateCount).toBe(0);
    expect(listConsents(s.db, 'E1').at(-1)?.decision).toBe('withdrawn');
  });
});

describe('retention: purgeExpiredTemplates', () => {
  it('purges templates of employees inactive longer than the period, keeping the rest', async () => {
    s = openTempStore();
    const t0 = new Date('2023-01-01T00:00:00Z');
    await enrol('OLD', t0);
    await enrol('SEEN', t0);
    await enrol('NEW', new Date(t0.getTime() + 1000 * DAY));
    markEmployeeSeen(s.db, 'SEEN', new Date(t0.getTime() + 900 * DAY));
    const now = new Date(t0.getTime() + 1096 * DAY);
    const r = purgeExpiredTemplates(s.db, now, 1095);
    expect(r).toEqual({ employees: ['OLD'], templatesRemoved: 2 });
    expect(requireEmployee(s.db, 'OLD').templateCount).toBe(0);
    expect(requireEmployee(s.db, 'SEEN').templateCount).toBe(2);
    expect(requireEmployee(s.db, 'NEW').templateCount).toBe(2);
    expect(listAudit(s.db, { action: 'templates.erased' })[0]).toMatchObject({ subject: 'OLD', details: { reason: 'retention', inactiveDays: 1095 } });
    // Idempotent: running it again (daily) finds nothing new.
    expect(purgeExpiredTemplates(s.db, now, 1095)).toEqual({ employees: [], templatesRemoved: 0 });
    // Exactly at the boundary nothing is purged; one day later SEEN goes.
    expect(purgeExpiredTemplates(s.db, new Date(t0.getTime() + (900 + 1095) * DAY), 1095).employees).toEqual([]);
    expect(purgeExpiredTemplates(s.db, new Date(t0.getTime() + (901 + 1095) * DAY), 1095).employees).toEqual(['SEEN']);
  });

  it('rejects a bad period or date', () => {
    s = openTempStore();
    expect(() => purgeExpiredTemplates(s.db, new Date(), 0)).toThrow(InvalidInputError);
    expect(() => purgeExpiredTemplates(s.db, new Date(), 1.5)).toThrow(/whole number/);
    expect(() => purgeExpiredTemplates(s.db, new Date('nope'), 10)).toThrow(/valid date/);
  });
});
