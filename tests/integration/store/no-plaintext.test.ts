/**
 * "We never store photos": after enrolment and identification through the real engine, no file in
 * the data directory (database, -wal, -shm, key file, logs, temp files) holds a plaintext embedding
 * (whole or any 8-byte window of it) or image bytes (JPEG/PNG/WebP signatures or chunks of the
 * input photos). Run twice: through the CLI (DB closed) and in-process with the database still open
 * (so the WAL and shared-memory files exist and are scanned).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolmentService } from '../../../electron/enrolment/enrolment-service';
import { InferenceClient } from '../../../electron/inference/client';
import { loadGallery } from '../../../electron/matching/load-gallery';
import { identifyProbe } from '../../../electron/matching/open-set';
import { resolveOpenSetPolicy } from '../../../electron/matching/policy';
import { openDatabase } from '../../../electron/store/database';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { runKiosk } from '../../helpers/cli';
import { INSTALLED_MODELS_DIR, sharedFace } from '../../helpers/paths';

const MFN = 'mobilefacenet-128';
const ENROL = ['deepface/img1.jpg', 'deepface/img10.jpg', 'deepface/img47.jpg' /* WebP inside */, 'face-api.js/sheldon/sheldon1.png'];
const PROBES = ['deepface/img2.jpg', 'face-api.js/sheldon/sheldon2.png', 'deepface/img48.jpg'];
let client: InferenceClient;
let root: string;
const embeddings = new Map<string, Float32Array>();

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Byte patterns that must never be on disk. */
function forbiddenPatterns(): Array<{ what: string; bytes: Buffer }> {
  const out: Array<{ what: string; bytes: Buffer }> = [];
  for (const [img, emb] of embeddings) {
    const b = Buffer.from(emb.buffer, emb.byteOffset, emb.byteLength);
    out.push({ what: `embedding of ${img}`, bytes: b });
    // Any 8-byte window (two floats) at a stride of 4 bytes: a partial plaintext leak would show.
    for (let o = 0; o + 8 <= b.length; o += 4) out.push({ what: `embedding window @${o} of ${img}`, bytes: b.subarray(o, o + 8) });
  }
  for (const img of [...ENROL, ...PROBES]) {
    const raw = fs.readFileSync(sharedFace(img));
    for (const o of [0, 1024, Math.floor(raw.length / 2), raw.length - 64]) out.push({ what: `bytes @${o} of ${img}`, bytes: raw.subarray(o, o + 32) });
  }
  // Image format signatures long enough not to occur by chance in ciphertext.
  out.push({ what: 'PNG signature', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) });
  out.push({ what: 'WebP header', bytes: Buffer.from('WEBPVP8', 'latin1') });
  for (const app of [0xe0, 0xe1, 0xdb, 0xee]) out.push({ what: `JPEG SOI+marker ${app.toString(16)}`, bytes: Buffer.from([0xff, 0xd8, 0xff, app]) });
  out.push({ what: 'JFIF', bytes: Buffer.from('JFIF\0', 'latin1') });
  out.push({ what: 'Exif', bytes: Buffer.from('Exif\0\0', 'latin1') });
  return out;
}

function scan(dirs: string[]): string[] {
  const patterns = forbiddenPatterns();
  const hits: string[] = [];
  for (const f of dirs.flatMap(filesUnder)) {
    const data = fs.readFileSync(f);
    for (const p of patterns) if (data.includes(p.bytes)) hits.push(`${path.basename(f)}: ${p.what}`);
  }
  return hits;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-noplain-'));
  client = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: MFN });
  // The plaintext embeddings the engine produces for these photos (deterministic), to search for.
  for (const img of ENROL) embeddings.set(img, (await client.analyzeFile(sharedFace(img), { purpose: 'enrol', liveness: false })).embedding!);
  for (const img of PROBES) embeddings.set(img, (await client.analyzeFile(sharedFace(img), { purpose: 'recognize', liveness: false })).embedding!);
  for (const [img, e] of embeddings) expect(e, img).toBeInstanceOf(Float32Array);
});
afterAll(async () => {
  await client?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('no images and no plaintext embeddings on disk', { timeout: 180_000 }, () => {
  it('the scan itself finds a planted plaintext embedding and a planted image (control)', () => {
    const d = path.join(root, 'control');
    fs.mkdirSync(d);
    const e = embeddings.get(ENROL[0]!)!;
    fs.writeFileSync(path.join(d, 'leak.bin'), Buffer.concat([Buffer.alloc(100), Buffer.from(e.buffer, e.byteOffset, 16)]));
    fs.copyFileSync(sharedFace('face-api.js/sheldon/sheldon1.png'), path.join(d, 'photo.png'));
    const hits = scan([d]);
    expect(hits.some((h) => h.startsWith('leak.bin: embedding window'))).toBe(true);
    expect(hits).toContain('photo.png: PNG signature');
  });

  it('after CLI enrolment and identification (database closed)', () => {
    const data = path.join(root, 'cli-data');
    const tmp = path.join(root, 'cli-tmp');
    fs.mkdirSync(tmp);
    const env = { KIOSK_DATA_DIR: data, KIOSK_EMBEDDER: MFN, TMPDIR: tmp };
    expect(runKiosk(['enroll', '--employee', 'p1', '--name', 'Person One', sharedFace(ENROL[0]!), sharedFace(ENROL[1]!)], env).code).toBe(0);
    expect(runKiosk(['enroll', '--employee', 'p3', '--name', 'Person Three', sharedFace(ENROL[2]!)], env).code).toBe(0);
    expect(runKiosk(['enroll', '--employee', 'p2', '--name', 'Person Two', sharedFace(ENROL[3]!)], env).code).toBe(0);
    const r = runKiosk(['--json', 'identify', ...PROBES.map(sharedFace)], env);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ employeeId: string | null }>).map((x) => x.employeeId)).toEqual(['p1', 'p2', 'p3']);
    const files = [...filesUnder(data), ...filesUnder(tmp)];
    expect(files.map((f) => path.basename(f)).sort()).toEqual(expect.arrayContaining(['kek.key', 'kiosk.db']));
    expect(scan([data, tmp])).toEqual([]);
  });

  it('in-process with the database open (WAL and shm present)', async () => {
    const data = path.join(root, 'live-data');
    const db = openDatabase(path.join(data, 'kiosk.db'));
    try {
      const keys = openFileKeyProvider(path.join(data, 'kek.key'), { create: true });
      const policy = resolveOpenSetPolicy({}, { id: MFN, defaultThreshold: 0.355 });
      const { gallery } = await loadGallery({ db, keys, tenantId: 'default', modelId: MFN, dim: 128 });
      const svc = createEnrolmentService({ db, keys, tenantId: 'default', gallery, policy, minSamples: 1, requireLiveness: false });
      svc.begin('p1', 'Person One');
      for (const img of ENROL.slice(0, 2)) expect(svc.addSample(await client.analyzeFile(sharedFace(img), { purpose: 'enrol', liveness: false })).accepted).toBe(true);
      svc.recordConsent({ decision: 'accepted', noticeVersion: 'v1' });
      await svc.commit();
      const id = identifyProbe(gallery, (await client.analyzeFile(sharedFace(PROBES[0]!), { purpose: 'recognize', liveness: false })).embedding!, policy);
      expect(id.employeeId).toBe('p1');
      const names = fs.readdirSync(data);
      expect(names).toEqual(expect.arrayContaining(['kiosk.db', 'kiosk.db-wal', 'kiosk.db-shm']));
      expect(fs.statSync(path.join(data, 'kiosk.db-wal')).size).toBeGreaterThan(0);
      expect(scan([data])).toEqual([]);
    } finally {
      db.close();
    }
    expect(scan([data])).toEqual([]);
  });
});
