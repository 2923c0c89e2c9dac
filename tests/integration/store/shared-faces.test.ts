/**
 * Enrol + identify on the shared faces with MobileFaceNet through the real inference process,
 * the enrolment service, the sealed store and the gallery (the same path the kiosk and CLI use):
 * - every deepface identity, enrolled with part of its photos, is found rank-1 (and matched) on the rest;
 * - the face-api.js characters, not enrolled, are all "unknown";
 * - then, with the gallery rebuilt from the database (cold start), the same decisions come out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolmentService } from '../../../electron/enrolment/enrolment-service';
import { InferenceClient } from '../../../electron/inference/client';
import { Gallery } from '../../../electron/matching/gallery';
import { loadGallery } from '../../../electron/matching/load-gallery';
import { identifyProbe } from '../../../electron/matching/open-set';
import { IDENTIFICATION_THRESHOLDS, resolveOpenSetPolicy } from '../../../electron/matching/policy';
import { INSTALLED_MODELS_DIR, SHARED_FACES_DIR } from '../../helpers/paths';
import { openTempStore, type TempStore } from '../../unit/store/store-fixtures';

const MFN = 'mobilefacenet-128';
let client: InferenceClient;
let s: TempStore;
const labels = fs
  .readFileSync(path.join(SHARED_FACES_DIR, 'labels.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => {
    const [file, id] = l.split(',');
    return { file: file!, id: id! };
  });
const byId = new Map<string, string[]>();
for (const l of labels) byId.set(l.id, [...(byId.get(l.id) ?? []), l.file]);
const probesOf = new Map<string, string[]>();

beforeAll(async () => {
  client = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: MFN });
  s = openTempStore('kiosk-shared-faces-');
});
afterAll(async () => {
  await client?.close();
  s?.close();
});

describe('enrol + identify on the shared faces (MobileFaceNet)', { timeout: 180_000 }, () => {
  const policy = resolveOpenSetPolicy({}, { id: MFN, defaultThreshold: 0.355 });
  const gallery = new Gallery(MFN, 128);

  it('uses the evidence-based 1:N threshold', () => {
    expect(policy).toEqual({ threshold: IDENTIFICATION_THRESHOLDS[MFN], minMargin: 0.05 });
  });

  it('enrols every deepface identity with the first half of its photos', async () => {
    const svc = createEnrolmentService({ db: s.db, keys: s.keys, tenantId: 'default', gallery, policy, minSamples: 1, maxSamples: 5, requireLiveness: false });
    for (const [id, files] of byId) {
      if (!id.startsWith('deepface_')) continue;
      const k = Math.ceil(files.length / 2);
      svc.begin(id.replace('deepface_', 'df-'), id);
      const used: string[] = [];
      for (const f of files) {
        if (used.length >= k) break;
        const v = svc.addSample(await client.analyzeFile(path.join(SHARED_FACES_DIR, f), { purpose: 'enrol', liveness: false }));
        if (v.accepted) used.push(f);
      }
      expect(used.length, `${id} enrolment samples`).toBeGreaterThan(0);
      svc.recordConsent({ decision: 'accepted', noticeVersion: 'test-v1', recordedBy: 'test' });
      const r = await svc.commit();
      expect(r.duplicateOf, `${id} flagged as a duplicate`).toBeNull();
      probesOf.set(r.employeeId, files.filter((f) => !used.includes(f)));
    }
    expect(gallery.employeeCount).toBe(13);
  });

  async function identifyAll(g: Gallery) {
    const genuine: Array<{ file: string; want: string; got: string | null; similarity: number | null }> = [];
    for (const [emp, files] of probesOf) {
      for (const f of files) {
        const a = await client.analyzeFile(path.join(SHARED_FACES_DIR, f), { purpose: 'recognize', liveness: false });
        expect(a.embedding, `${f} has an embedding`).not.toBeNull();
        const id = identifyProbe(g, a.embedding!, policy);
        genuine.push({ file: f, want: emp, got: id.employeeId, similarity: id.similarity });
      }
    }
    const strangers: Array<{ file: string; got: string | null; similarity: number | null }> = [];
    for (const l of labels.filter((x) => x.id.startsWith('faceapi_'))) {
      const a = await client.analyzeFile(path.join(SHARED_FACES_DIR, l.file), { purpose: 'recognize', liveness: false });
      expect(a.embedding, `${l.file} has an embedding`).not.toBeNull();
      const id = identifyProbe(g, a.embedding!, policy);
      strangers.push({ file: l.file, got: id.employeeId, similarity: id.similarity });
    }
    return { genuine, strangers };
  }

  it('finds every enrolled identity rank-1 and calls every face-api.js character unknown', async () => {
    const { genuine, strangers } = await identifyAll(gallery);
    expect(genuine.length).toBeGreaterThanOrEqual(20);
    expect(genuine.filter((g) => g.got !== g.want)).toEqual([]);
    expect(strangers).toHaveLength(40);
    expect(strangers.filter((x) => x.got !== null)).toEqual([]);
  });

  it('gives the same decisions after a cold start from the sealed database', async () => {
    const { gallery: cold, report } = await loadGallery({ db: s.db, keys: s.keys, tenantId: 'default', modelId: MFN, dim: 128 });
    expect(report.tampered).toEqual([]);
    expect(cold.size).toBe(gallery.size);
    const { genuine, strangers } = await identifyAll(cold);
    expect(genuine.filter((g) => g.got !== g.want)).toEqual([]);
    expect(strangers.filter((x) => x.got !== null)).toEqual([]);
  });
});
