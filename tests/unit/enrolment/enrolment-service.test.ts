import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, UnauthorizedError } from '../../../electron/common/errors';
import type { FaceAnalysis } from '../../../electron/engine/types';
import { createEnrolmentService, leaveOneOutConsistency } from '../../../electron/enrolment/enrolment-service';
import { Gallery } from '../../../electron/matching/gallery';
import { loadGallery } from '../../../electron/matching/load-gallery';
import { listAudit } from '../../../electron/store/audit';
import { listConsents } from '../../../electron/store/consents';
import { findEmployee, requireEmployee } from '../../../electron/store/employees';
import { openTempStore, nearby, randomUnit, seededRandom, type TempStore } from '../store/store-fixtures';

const MFN = 'mobilefacenet-128';
const policy = { threshold: 0.42, minMargin: 0.05 };
let s: TempStore;
afterEach(() => s?.close());

/** The shape the inference process returns for one good frame (synthetic embedding). */
function analysis(embedding: Float32Array | null, over: Partial<FaceAnalysis> = {}): FaceAnalysis {
  return {
    width: 640,
    height: 480,
    faces: [{ box: { x: 200, y: 100, width: 200, height: 220 }, landmarks: [{ x: 250, y: 180 }, { x: 350, y: 180 }, { x: 300, y: 230 }, { x: 260, y: 280 }, { x: 340, y: 280 }], score: 0.93 }],
    subject: 0,
    quality: { ok: true, reasons: [], metrics: null },
    liveness: { real: true, score: 0.9, label: 1 },
    embedding,
    modelId: MFN,
    timings: { decode: 0, detect: 0, align: 0, embed: 0, liveness: 0, total: 0, model: 0 },
    ...over,
  };
}

function service(gallery = new Gallery(MFN, 128)) {
  return { gallery, svc: createEnrolmentService({ db: s.db, keys: s.keys, tenantId: 'acme', gallery, policy, clock: () => new Date('2026-03-01T09:00:00Z') }) };
}

describe('enrolment service', () => {
  it('gathers samples, records consent, stores sealed templates and updates the live gallery', async () => {
    s = openTempStore();
    const rand = seededRandom(1);
    const face = randomUnit(rand);
    const { gallery, svc } = service();
    svc.begin('E1', 'Ada Lovelace', { actor: 'mgr' });
    let v = svc.addSample(analysis(nearby(face, rand, 0.3)));
    expect(v).toMatchObject({ accepted: true, samples: 1, needed: 3, ready: false, duplicateOf: null });
    svc.addSample(analysis(nearby(face, rand, 0.3)));
    v = svc.addSample(analysis(nearby(face, rand, 0.3)));
    expect(v).toMatchObject({ accepted: true, samples: 3, ready: true });
    svc.recordConsent({ decision: 'accepted', noticeVersion: 'bipa-2026-01' });
    const r = await svc.commit();
    expect(r).toEqual({ employeeId: 'E1', templatesStored: 3, templatesReplaced: 0, duplicateOf: null, created: true });
    expect(svc.active).toBe(false);
    expect(requireEmployee(s.db, 'E1')).toMatchObject({ displayName: 'Ada Lovelace', templateCount: 3 });
    expect(listConsents(s.db, 'E1')[0]).toMatchObject({ decision: 'accepted', noticeVersion: 'bipa-2026-01', recordedBy: 'mgr', recordedAt: '2026-03-01T09:00:00.000Z' });
    expect(gallery.search(nearby(face, rand, 0.3))!.employeeId).toBe('E1');
    // The stored rows reload into an equivalent gallery.
    const { gallery: g2, report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'acme', modelId: MFN, dim: 128 });
    expect(report.templates).toBe(3);
    expect(g2.search(face)!.employeeId).toBe('E1');
    expect(listAudit(s.db, { action: 'enrolment.committed' })[0]!.details).toMatchObject({ templates: 3, modelId: MFN });
  });

  it('rejects samples that fail quality, lack an embedding, come from another model, are not live, or beyond max', () => {
    s = openTempStore();
    const rand = seededRandom(2);
    const { svc } = service();
    svc.begin('E1', 'Ada');
    expect(svc.addSample(analysis(null, { quality: { ok: false, reasons: ['blurry', 'too_dark'], metrics: null } }))).toMatchObject({ accepted: false, reasons: ['blurry', 'too_dark'] });
    expect(svc.addSample(analysis(null)).reasons).toEqual(['no_embedding']);
    expect(svc.addSample(analysis(randomUnit(rand, 64))).reasons).toEqual(['no_embedding']);
    expect(svc.addSample(analysis(randomUnit(rand), { modelId: 'sface-2021dec' })).reasons).toEqual(['wrong_model']);
    expect(svc.addSample(analysis(randomUnit(rand), { liveness: { real: false, score: 0.1, label: 0 } })).reasons).toEqual(['not_live']);
    const face = randomUnit(rand);
    for (let i = 0; i < 5; i += 1) expect(svc.addSample(analysis(nearby(face, rand, 0.2))).accepted).toBe(true);
    expect(svc.addSample(analysis(nearby(face, rand, 0.2))).reasons).toEqual(['full']);
  });

  it('rejects a sample of someone else (not self-consistent) and refuses an inconsistent set', async () => {
    s = openTempStore();
    const rand = seededRandom(3);
    const { svc } = service();
    svc.begin('E1', 'Ada');
    const face = randomUnit(rand);
    svc.addSample(analysis(nearby(face, rand, 0.3)));
    expect(svc.addSample(analysis(randomUnit(rand)))).toMatchObject({ accepted: false, reasons: ['inconsistent'], samples: 1 });
    expect(leaveOneOutConsistency([face, randomUnit(rand)])[0]).toBeLessThan(0.42);
    // A set that drifts sample by sample (0°, 23°, 36.5° in one plane) passes each incremental
    // check against the mean so far (cos ≥ 0.9) but not the leave-one-out check at commit.
    const strict = createEnrolmentService({ db: s.db, keys: s.keys, tenantId: 'acme', gallery: new Gallery(MFN, 128), policy, consistencyBound: 0.9 });
    strict.begin('E2', 'Bob');
    const at = (deg: number) => {
      const v = new Float32Array(128);
      v[0] = Math.cos((deg * Math.PI) / 180);
      v[1] = Math.sin((deg * Math.PI) / 180);
      return v;
    };
    for (const deg of [0, 23, 36.5]) expect(strict.addSample(analysis(at(deg))).accepted).toBe(true);
    expect(Math.min(...leaveOneOutConsistency([at(0), at(23), at(36.5)]))).toBeLessThan(0.9);
    strict.recordConsent({ decision: 'accepted', noticeVersion: 'v1' });
    await expect(strict.commit()).rejects.toThrow(/do not look like one person/);
    expect(s.db.prepare('SELECT COUNT(*) FROM templates').pluck().get()).toBe(0);
  });

  it('requires consent before storing anything; a refusal is recorded and discards the samples', async () => {
    s = openTempStore();
    const rand = seededRandom(4);
    const { svc, gallery } = service();
    svc.begin('E1', 'Ada');
    const face = randomUnit(rand);
    for (let i = 0; i < 3; i += 1) svc.addSample(analysis(nearby(face, rand, 0.2)));
    await expect(svc.commit()).rejects.toThrow(UnauthorizedError);
    expect(s.db.prepare('SELECT COUNT(*) FROM templates').pluck().get()).toBe(0);
    svc.recordConsent({ decision: 'refused', noticeVersion: 'v1', recordedBy: 'mgr' });
    expect(svc.active).toBe(false);
    expect(listConsents(s.db, 'E1').map((c) => c.decision)).toEqual(['refused']);
    expect(findEmployee(s.db, 'E1')).toBeNull();
    expect(gallery.size).toBe(0);
    await expect(svc.commit()).rejects.toThrow(/no enrolment in progress/);
  });

  it('needs enough samples', async () => {
    s = openTempStore();
    const { svc } = service();
    svc.begin('E1', 'Ada');
    svc.addSample(analysis(randomUnit(seededRandom(5))));
    svc.recordConsent({ decision: 'accepted', noticeVersion: 'v1' });
    await expect(svc.commit()).rejects.toThrow(/needs 3 good samples, has 1/);
  });

  it('warns about a possible duplicate of another employee, and re-enrolment replaces templates', async () => {
    s = openTempStore();
    const rand = seededRandom(6);
    const { svc, gallery } = service();
    const face = randomUnit(rand);
    svc.begin('E1', 'Ada');
    for (let i = 0; i < 3; i += 1) svc.addSample(analysis(nearby(face, rand, 0.3)));
    svc.recordConsent({ decision: 'accepted', noticeVersion: 'v1' });
    await svc.commit();
    svc.begin('E2', 'Ada again');
    const v = svc.addSample(analysis(nearby(face, rand, 0.3)));
    expect(v.duplicateOf?.employeeId).toBe('E1');
    expect(v.duplicateOf!.similarity).toBeGreaterThan(0.42);
    svc.cancel();
    expect(listAudit(s.db, { action: 'enrolment.cancelled' })).toHaveLength(1);
    // Re-enrol E1 (renamed): old templates replaced, not duplicated as a warning of itself.
    svc.begin('E1', 'Ada L.');
    for (let i = 0; i < 3; i += 1) expect(svc.addSample(analysis(nearby(face, rand, 0.3))).duplicateOf).toBeNull();
    const r = await svc.commit(); // consent already on record
    expect(r).toMatchObject({ templatesStored: 3, templatesReplaced: 3, created: false });
    expect(requireEmployee(s.db, 'E1')).toMatchObject({ displayName: 'Ada L.', templateCount: 3 });
    expect(gallery.size).toBe(3);
  });

  it('validates begin() input', () => {
    s = openTempStore();
    const { svc } = service();
    expect(() => svc.begin('bad id', 'Ada')).toThrow(InvalidInputError);
    expect(() => svc.begin('E1', '')).toThrow(/must not be empty/);
    expect(() => svc.addSample(analysis(null))).toThrow(/no enrolment in progress/);
  });
});
