import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyError } from '../../../electron/common/errors';
import { loadGallery } from '../../../electron/matching/load-gallery';
import { createEmployee } from '../../../electron/store/employees';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { storeTemplate } from '../../../electron/store/templates';
import { ensureTenantKey } from '../../../electron/store/tenant-keys';
import { openTempStore, randomUnit, seededRandom, type TempStore } from '../store/store-fixtures';

let s: TempStore;
afterEach(() => s?.close());
const MFN = 'mobilefacenet-128';

async function seed(): Promise<Map<string, Float32Array>> {
  const rand = seededRandom(21);
  const dk = await ensureTenantKey(s.db, s.keys, 'acme');
  const faces = new Map<string, Float32Array>();
  for (const id of ['E1', 'E2', 'E3']) {
    createEmployee(s.db, { id, tenantId: 'acme', displayName: id });
    const v = randomUnit(rand);
    faces.set(id, v);
    storeTemplate(s.db, dk, { employeeId: id, tenantId: 'acme', modelId: MFN, quality: 0.9, embedding: v });
  }
  createEmployee(s.db, { id: 'OLD', tenantId: 'acme', displayName: 'Old model' });
  storeTemplate(s.db, dk, { employeeId: 'OLD', tenantId: 'acme', modelId: 'sface-2021dec', quality: 0.9, embedding: randomUnit(rand) });
  return faces;
}

describe('loadGallery', () => {
  it('decrypts the active model only and reports other models as needing re-enrolment', async () => {
    s = openTempStore();
    const faces = await seed();
    const { gallery, report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'acme', modelId: MFN, dim: 128 });
    expect(report).toMatchObject({ templates: 3, employees: 3, tampered: [], needsReenrolment: ['OLD'], otherModels: [{ modelId: 'sface-2021dec', templates: 1, employees: 1 }] });
    expect(gallery.hasEmployee('OLD')).toBe(false);
    for (const [id, v] of faces) expect(gallery.search(v)!.employeeId).toBe(id);
  });

  it('an empty tenant gives an empty gallery', async () => {
    s = openTempStore();
    const { gallery, report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'nobody', modelId: MFN, dim: 128 });
    expect(gallery.size).toBe(0);
    expect(report.tampered).toEqual([]);
  });

  it('skips and reports tampered rows without crashing, leaving them in the database', async () => {
    s = openTempStore();
    const faces = await seed();
    const [t1, t2] = s.db.prepare("SELECT id FROM templates WHERE model_id = ? ORDER BY employee_id").pluck().all(MFN) as string[];
    // Flip one ciphertext bit of E1's template; move E2's template to E3 (a copied row).
    const ct = s.db.prepare('SELECT sealed FROM templates WHERE id = ?').pluck().get(t1) as Buffer;
    ct[12 + 3]! ^= 0x10; // a ciphertext byte (after the 12-byte nonce)
    s.db.prepare('UPDATE templates SET sealed = ? WHERE id = ?').run(ct, t1);
    s.db.prepare("UPDATE templates SET employee_id = 'E3' WHERE id = ?").run(t2);
    const { gallery, report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'acme', modelId: MFN, dim: 128 });
    expect(report.tampered.map((t) => [t.templateId, t.employeeId])).toEqual([
      [t1, 'E1'],
      [t2, 'E3'],
    ]);
    expect(report.tampered[0]!.reason).toMatch(/failed authentication/);
    expect(gallery.size).toBe(1);
    expect(gallery.search(faces.get('E3')!)!.employeeId).toBe('E3');
    expect(s.db.prepare('SELECT COUNT(*) FROM templates').pluck().get()).toBe(4);
  });

  it('a row copied into another tenant fails to open there', async () => {
    s = openTempStore();
    await seed();
    const dkB = await ensureTenantKey(s.db, s.keys, 'globex');
    createEmployee(s.db, { id: 'G1', tenantId: 'globex', displayName: 'G' });
    storeTemplate(s.db, dkB, { employeeId: 'G1', tenantId: 'globex', modelId: MFN, quality: 1, embedding: randomUnit(seededRandom(3)) });
    s.db.prepare("INSERT INTO templates SELECT 'copied', 'G1', 'globex', model_id, quality, sealed, created_at FROM templates WHERE employee_id = 'E1'").run();
    const { gallery, report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'globex', modelId: MFN, dim: 128 });
    expect(gallery.size).toBe(1);
    expect(report.tampered.map((t) => t.templateId)).toEqual(['copied']);
  });

  it('a wrong key file is a KeyError before anything is decrypted', async () => {
    s = openTempStore();
    await seed();
    const wrong = openFileKeyProvider(path.join(s.dir, 'wrong.key'), { create: true });
    await expect(loadGallery({ db: s.db, keys: wrong, tenantId: 'acme', modelId: MFN, dim: 128 })).rejects.toThrow(KeyError);
  });

  it('a row of the wrong dimension is reported, not loaded', async () => {
    s = openTempStore();
    await seed();
    const dk = await ensureTenantKey(s.db, s.keys, 'acme');
    storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: MFN, quality: 1, embedding: randomUnit(seededRandom(4), 64) });
    const { report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'acme', modelId: MFN, dim: 128 });
    expect(report.tampered).toHaveLength(1);
    expect(report.tampered[0]!.reason).toMatch(/64 dimensions/);
  });
});

describe('loadGallery on worker threads', () => {
  it('gives the same gallery, reports the same tampered rows, as the single-thread path', async () => {
    s = openTempStore();
    const rand = seededRandom(31);
    const dk = await ensureTenantKey(s.db, s.keys, 'acme');
    const faces = new Map<string, Float32Array>();
    for (let e = 0; e < 300; e += 1) {
      const id = `P${e}`;
      createEmployee(s.db, { id, tenantId: 'acme', displayName: id });
      const v = randomUnit(rand);
      faces.set(id, v);
      for (let t = 0; t < 3; t += 1) storeTemplate(s.db, dk, { employeeId: id, tenantId: 'acme', modelId: MFN, quality: 0.9, embedding: v });
    }
    // Rows of another tenant and model interleaved, one altered row, one moved row, one short row.
    const dkB = await ensureTenantKey(s.db, s.keys, 'globex');
    createEmployee(s.db, { id: 'G1', tenantId: 'globex', displayName: 'G' });
    storeTemplate(s.db, dkB, { employeeId: 'G1', tenantId: 'globex', modelId: MFN, quality: 1, embedding: randomUnit(rand) });
    storeTemplate(s.db, dk, { employeeId: 'P1', tenantId: 'acme', modelId: 'sface-2021dec', quality: 1, embedding: randomUnit(rand) });
    storeTemplate(s.db, dk, { employeeId: 'P2', tenantId: 'acme', modelId: MFN, quality: 1, embedding: randomUnit(rand, 64) });
    const ids = s.db.prepare("SELECT id FROM templates WHERE tenant_id = 'acme' AND model_id = ? ORDER BY rowid").pluck().all(MFN) as string[];
    const ct = s.db.prepare('SELECT sealed FROM templates WHERE id = ?').pluck().get(ids[5]) as Buffer;
    ct[100]! ^= 1;
    s.db.prepare('UPDATE templates SET sealed = ? WHERE id = ?').run(ct, ids[5]);
    s.db.prepare("UPDATE templates SET employee_id = 'P0' WHERE id = ?").run(ids[700]);
    const one = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'acme', modelId: MFN, dim: 128, workers: 0 });
    const two = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'acme', modelId: MFN, dim: 128, workers: 2 });
    expect(two.report.templates).toBe(one.report.templates);
    expect(two.report.templates).toBe(900 - 2);
    expect(two.report.tampered.map((t) => [t.templateId, t.employeeId])).toEqual(one.report.tampered.map((t) => [t.templateId, t.employeeId]));
    expect(two.report.tampered).toHaveLength(3);
    expect(two.report.tampered.map((t) => t.reason).join('\n')).toMatch(/failed authentication[\s\S]*malformed|malformed[\s\S]*failed authentication/);
    for (const [id, v] of faces) {
      const a = one.gallery.search(v)!;
      const b = two.gallery.search(v)!;
      expect(b.employeeId).toBe(id);
      expect(b.similarity).toBeCloseTo(a.similarity, 6);
    }
    // A wrong key is still refused before any worker starts.
    const wrong = openFileKeyProvider(path.join(s.dir, 'w.key'), { create: true });
    await expect(loadGallery({ db: s.db, keys: wrong, tenantId: 'acme', modelId: MFN, dim: 128, workers: 2 })).rejects.toThrow(KeyError);
  });
});

describe('loadGallery worker fallback', () => {
  it('loads on this thread when the workers cannot start, and says why', async () => {
    s = openTempStore();
    const dk = await ensureTenantKey(s.db, s.keys, 'acme');
    const rand = seededRandom(41);
    const v = randomUnit(rand);
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'E1' });
    storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: MFN, quality: 1, embedding: v });
    const { gallery, report } = await loadGallery({
      db: s.db,
      keys: s.keys,
      tenantId: 'acme',
      modelId: MFN,
      dim: 128,
      workers: 2,
      sqliteModulePath: path.join(s.dir, 'no-such-module.js'),
    });
    expect(report.workers).toBe(0);
    expect(report.workerFallback).toMatch(/no-such-module/);
    expect(report.templates).toBe(1);
    expect(gallery.search(v)!.employeeId).toBe('E1');
  });

  it('reports the workers it used', async () => {
    s = openTempStore();
    const dk = await ensureTenantKey(s.db, s.keys, 'acme');
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'E1' });
    storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: MFN, quality: 1, embedding: randomUnit(seededRandom(42)) });
    const { report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'acme', modelId: MFN, dim: 128, workers: 2 });
    expect(report).toMatchObject({ workers: 2, workerFallback: null, templates: 1 });
  });
});
