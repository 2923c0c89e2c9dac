/**
 * `kiosk detect|embed|verify|liveness|bench|evaluate` run as a user would (real CLI, real
 * inference process, real models, shared photos).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKiosk, runKioskJson } from '../../helpers/cli';
import { INSTALLED_MODELS_DIR, sharedFace } from '../../helpers/paths';

// SFace cannot be obtained here; the identical code path runs with MobileFaceNet.
const env = { KIOSK_EMBEDDER: 'mobilefacenet-128', KIOSK_MODELS_DIR: INSTALLED_MODELS_DIR };
let tmp: string;
let blank: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-cli-engine-'));
  // An empty data dir so no developer settings.json leaks into the run.
  Object.assign(env, { KIOSK_DATA_DIR: path.join(tmp, 'data') });
  blank = path.join(tmp, 'blank.png');
  await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120, g: 130, b: 140 } } }).png().toFile(blank);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface FaceJson {
  box: { x: number; y: number; width: number; height: number };
  landmarks: { x: number; y: number }[];
  score: number;
}

describe('kiosk engine commands', () => {
  it('detect prints box, 5 landmarks and score per face', () => {
    const r = runKioskJson<{ image: string; width: number; height: number; faces: FaceJson[] }>(['detect', sharedFace('deepface/img1.jpg')], env);
    expect(r.code).toBe(0);
    expect(r.json.faces).toHaveLength(1);
    const f = r.json.faces[0]!;
    expect(f.landmarks).toHaveLength(5);
    expect(f.score).toBeGreaterThan(0.9);
    expect(f.box.width).toBeGreaterThan(100);
    const none = runKioskJson<{ faces: FaceJson[] }>(['detect', blank], env);
    expect(none.json.faces).toEqual([]);
  });

  it('embed prints one row per image: embedding of the largest face, or faces 0 and no embedding', () => {
    const r = runKioskJson<Array<{ image: string; faces: number; modelId: string; embedding?: number[] }>>(['embed', sharedFace('deepface/img2.jpg'), blank], env);
    expect(r.code).toBe(0);
    expect(r.json).toHaveLength(2);
    expect(r.json[0]).toMatchObject({ faces: 1, modelId: 'mobilefacenet-128' });
    expect(r.json[0]!.embedding).toHaveLength(128);
    expect(Math.hypot(...r.json[0]!.embedding!)).toBeCloseTo(1, 4);
    expect(r.json[1]).toEqual({ image: blank, faces: 0, modelId: 'mobilefacenet-128' });
  });

  it('verify matches the same person and not different people', () => {
    const same = runKioskJson<{ similarity: number; threshold: number; match: boolean; modelId: string }>(['verify', sharedFace('deepface/img1.jpg'), sharedFace('deepface/img2.jpg')], env);
    expect(same.code).toBe(0);
    expect(Object.keys(same.json).sort()).toEqual(['match', 'modelId', 'similarity', 'threshold']);
    expect(same.json).toMatchObject({ match: true, threshold: 0.355, modelId: 'mobilefacenet-128' });
    const diff = runKioskJson<{ match: boolean; similarity: number }>(['verify', sharedFace('deepface/img1.jpg'), sharedFace('face-api.js/penny/penny1.png')], env);
    expect(diff.json.match).toBe(false);
    expect(diff.json.similarity).toBeLessThan(0.355);
  });

  it('liveness classifies upstream samples (EXIF-rotated)', () => {
    const real = runKioskJson<{ real: boolean; score: number }>(['liveness', sharedFace('silent-face-anti-spoofing/image_T1.jpg')], env);
    expect(real.json).toMatchObject({ real: true });
    expect(real.json.score).toBeGreaterThan(0.9);
    const fake = runKioskJson<{ real: boolean; score: number }>(['liveness', sharedFace('silent-face-anti-spoofing/image_F2.jpg')], env);
    expect(fake.json.real).toBe(false);
  });

  it('evaluate on ../shared/faces/labels.csv meets FNMR ≤ 2% at FMR ≤ 0.1% at the default threshold', () => {
    const r = runKioskJson<{
      modelId: string;
      samples: number;
      failureToAcquireRate: number;
      threshold: number;
      fnmr: number;
      fmr: number;
      eer: number;
      tarAtFmr1e3: number;
      thresholdAtFmr1e3: number;
      genuinePairs: number;
      impostorPairs: number;
    }>(['evaluate', '--labels', sharedFace('labels.csv')], env);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ modelId: 'mobilefacenet-128', samples: 102, failureToAcquireRate: 0, threshold: 0.355 });
    expect(r.json.genuinePairs + r.json.impostorPairs).toBe((102 * 101) / 2);
    expect(r.json.fnmr).toBeLessThanOrEqual(0.02);
    expect(r.json.fmr).toBeLessThanOrEqual(0.001);
    expect(r.json.eer).toBeLessThan(0.02);
    expect(r.json.tarAtFmr1e3).toBeGreaterThanOrEqual(0.98);
    expect(r.json.thresholdAtFmr1e3).toBeLessThan(r.json.threshold);
  }, 120_000);

  it('bench prints per-stage p50/p95/p99 and throughput', () => {
    const r = runKioskJson<{ runs: number; stages: Record<string, { p50: number; p95: number; p99: number }>; throughputPerSecond: number }>(
      ['bench', '--images', sharedFace('labels.csv'), '--runs', '6', '--warmup', '1'],
      env,
    );
    expect(r.code).toBe(0);
    expect(Object.keys(r.json.stages).sort()).toEqual(['align', 'decode', 'detect', 'embed', 'liveness', 'model', 'total']);
    for (const s of Object.values(r.json.stages)) expect(s.p50).toBeLessThanOrEqual(s.p99);
    expect(r.json.stages.total!.p50).toBeGreaterThan(0);
    expect(r.json.throughputPerSecond).toBeGreaterThan(0);
  }, 120_000);

  it('bad input: one stderr line, exit 2 for usage, 1 for an undecodable image', () => {
    const missing = runKiosk(['detect', path.join(tmp, 'nope.jpg')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/no such file/);

    const zero = path.join(tmp, 'zero.jpg');
    fs.writeFileSync(zero, '');
    const z = runKiosk(['detect', zero], env);
    expect(z.code).toBe(1);
    expect(z.stderr.trim()).toMatch(/^kiosk: .*empty/);
    expect(z.stderr.trim().split('\n')).toHaveLength(1);

    const noFace = runKiosk(['verify', blank, sharedFace('deepface/img1.jpg')], env);
    expect(noFace.code).toBe(1);
    expect(noFace.stderr).toMatch(/no face found in/);

    expect(runKiosk(['verify', blank, blank, '--threshold', 'abc'], env).code).toBe(2);
    expect(runKiosk(['evaluate'], env).code).toBe(2);
  }, 120_000);

  it('names the install command when the chosen embedder is not installed', () => {
    const r = runKiosk(['detect', sharedFace('deepface/img1.jpg')], { ...env, KIOSK_EMBEDDER: 'sface-2021dec' });
    if (fs.existsSync(path.join(INSTALLED_MODELS_DIR, 'face_recognition_sface_2021dec.onnx'))) {
      expect(r.code).toBe(0);
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/sface-2021dec .*not installed.*models install/);
    }
  });
});
