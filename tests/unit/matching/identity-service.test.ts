import { afterEach, describe, expect, it } from 'vitest';
import type { FaceAnalysis } from '../../../electron/engine/types';
import { startIdentityService } from '../../../electron/matching/identity-service';
import { listAudit } from '../../../electron/store/audit';
import { markEmployeeSeen, requireEmployee } from '../../../electron/store/employees';
import { nearby, openTempStore, randomUnit, seededRandom, type TempStore } from '../store/store-fixtures';

let s: TempStore;
afterEach(() => s?.close());
const embedder = { id: 'mobilefacenet-128', dim: 128, defaultThreshold: 0.355 };

function analysis(embedding: Float32Array): FaceAnalysis {
  return {
    width: 640,
    height: 480,
    faces: [{ box: { x: 0, y: 0, width: 200, height: 200 }, landmarks: [{ x: 60, y: 80 }, { x: 140, y: 80 }, { x: 100, y: 120 }, { x: 70, y: 160 }, { x: 130, y: 160 }], score: 0.9 }],
    subject: 0,
    quality: { ok: true, reasons: [], metrics: null },
    liveness: null,
    embedding,
    modelId: embedder.id,
    timings: { decode: 0, detect: 0, align: 0, embed: 0, liveness: 0, total: 0, model: 0 },
  };
}

describe('identity service', () => {
  it('enrols, identifies by name, deletes and purges, keeping the gallery in step with the database', async () => {
    s = openTempStore();
    let now = new Date('2026-01-01T00:00:00Z');
    const rand = seededRandom(5);
    const svc = await startIdentityService({ db: s.db, keys: s.keys, tenantId: 'acme', embedder, recognition: { minMargin: 0.05 }, inactiveDays: 1095, clock: () => now });
    expect(svc.policy).toEqual({ threshold: 0.42, minMargin: 0.05 });
    const faces = [randomUnit(rand), randomUnit(rand)];
    for (const [i, face] of faces.entries()) {
      svc.enrolment.begin(`E${i}`, `Person ${i}`);
      for (let k = 0; k < 3; k += 1) svc.enrolment.addSample(analysis(nearby(face, rand, 0.3)));
      svc.enrolment.recordConsent({ decision: 'accepted', noticeVersion: 'v1' });
      await svc.enrolment.commit();
    }
    expect(svc.identify(nearby(faces[0]!, rand, 0.3))).toMatchObject({ employeeId: 'E0', name: 'Person 0', reason: 'match' });
    expect(svc.identify(randomUnit(rand))).toMatchObject({ employeeId: null, name: null });

    expect(svc.deleteEmployee('E0', 'mgr', 'left').templatesRemoved).toBe(3);
    expect(svc.identify(faces[0]!).employeeId).toBeNull();
    expect(listAudit(s.db, { action: 'employee.deleted' })).toHaveLength(1);

    // Three years and a day without being seen: the daily purge removes E1's templates and gallery rows.
    markEmployeeSeen(s.db, 'E1', now);
    now = new Date(now.getTime() + 1096 * 86_400_000);
    expect(svc.purgeExpired()).toEqual({ employees: ['E1'], templatesRemoved: 3 });
    expect(svc.gallery.size).toBe(0);
    expect(requireEmployee(s.db, 'E1').templateCount).toBe(0);
    svc.close();
  });

  it('purges expired templates at start, before loading them', async () => {
    s = openTempStore();
    const rand = seededRandom(6);
    let now = new Date('2020-01-01T00:00:00Z');
    const first = await startIdentityService({ db: s.db, keys: s.keys, tenantId: 'acme', embedder, recognition: {}, inactiveDays: 30, clock: () => now });
    const face = randomUnit(rand);
    first.enrolment.begin('E1', 'Old');
    for (let k = 0; k < 3; k += 1) first.enrolment.addSample(analysis(nearby(face, rand, 0.2)));
    first.enrolment.recordConsent({ decision: 'accepted', noticeVersion: 'v1' });
    await first.enrolment.commit();
    first.close();
    now = new Date('2020-03-01T00:00:00Z');
    const second = await startIdentityService({ db: s.db, keys: s.keys, tenantId: 'acme', embedder, recognition: {}, inactiveDays: 30, clock: () => now });
    expect(second.startupPurge).toEqual({ employees: ['E1'], templatesRemoved: 3 });
    expect(second.report.templates).toBe(0);
    second.close();
  });

  it('withdrawing consent removes the face from recognition immediately', async () => {
    s = openTempStore();
    const rand = seededRandom(7);
    const svc = await startIdentityService({ db: s.db, keys: s.keys, tenantId: 'acme', embedder, recognition: {}, inactiveDays: 1095 });
    const face = randomUnit(rand);
    svc.enrolment.begin('E1', 'Ada');
    for (let k = 0; k < 3; k += 1) svc.enrolment.addSample(analysis(nearby(face, rand, 0.2)));
    svc.enrolment.recordConsent({ decision: 'accepted', noticeVersion: 'v1' });
    await svc.enrolment.commit();
    expect(svc.withdrawConsent('E1', 'v1', 'E1')).toBe(3);
    expect(svc.identify(face).employeeId).toBeNull();
    svc.close();
  });
});
