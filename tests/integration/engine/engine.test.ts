/**
 * Real models on real photos, in-process (the inference process wraps exactly this engine).
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelMissingError } from '../../../electron/common/errors';
import { cosineSimilarity } from '../../../electron/engine/embedding';
import { parseLabelsCsv } from '../../../electron/engine/evaluation';
import { FaceEngine } from '../../../electron/engine/face-engine';
import { decodeImage } from '../../../electron/engine/image';
import type { RawImage } from '../../../electron/engine/types';
import { INSTALLED_MODELS_DIR, sharedFace } from '../../helpers/paths';

let engine: FaceEngine;
const env = { KIOSK_EMBEDDER: 'mobilefacenet-128' };

beforeAll(async () => {
  engine = await FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, env });
});
afterAll(async () => engine?.release());

async function load(rel: string): Promise<RawImage> {
  return decodeImage(fs.readFileSync(sharedFace(rel)));
}

/** A photo as a camera would deliver it: 640x480 RGBA, raw. */
async function cameraFrame(rel: string): Promise<RawImage> {
  const { data, info } = await sharp(fs.readFileSync(sharedFace(rel)))
    .rotate()
    .resize(640, 480, { fit: 'contain', background: { r: 0, g: 0, b: 0 } })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 4, data: new Uint8Array(data) };
}

describe('detection on the shared faces', () => {
  const labelled = parseLabelsCsv(fs.readFileSync(sharedFace('labels.csv'), 'utf8')).map((r) => r.path);
  const expressions = ['angry', 'disgusted', 'fearful', 'happy', 'neutral', 'sad', 'surprised'].map((e) => `face-api.js/${e}.jpg`);

  it('finds the face in every single-face image (labels.csv + face-api.js expressions); recognition quality gates pass them all', async () => {
    const missed: string[] = [];
    const poor: string[] = [];
    for (const rel of [...labelled, ...expressions]) {
      const a = await engine.analyze(await load(rel), { liveness: false, purpose: 'recognize' });
      if (a.faces.length === 0) missed.push(rel);
      if (!a.quality.ok) poor.push(`${rel}: ${a.quality.reasons.join(',')}`);
      for (const f of a.faces) {
        expect(f.score).toBeGreaterThanOrEqual(0.6);
        expect(f.landmarks).toHaveLength(5);
      }
    }
    expect(missed).toEqual([]);
    expect(poor).toEqual([]);
    expect(labelled.length).toBe(102);
  }, 120_000);

  it('enrolment gates are stricter: a turned head and a second prominent face are refused', async () => {
    const enrol = async (rel: string) => (await engine.analyze(await load(rel), { liveness: false, purpose: 'enrol' })).quality;
    expect((await enrol('face-api.js/stuart/stuart5.png')).reasons).toEqual(['pose']);
    expect((await enrol('deepface/img62.jpg')).reasons).toEqual(['multiple_faces']);
    expect((await enrol('deepface/img1.jpg')).ok).toBe(true);
  });

  it('finds every person in group stills', async () => {
    const faces = await engine.detect(await load('face-api.js/bbt4.jpg'));
    expect(faces.length).toBeGreaterThanOrEqual(5);
  });

  it('places landmarks in YuNet order: image-left eye first, eyes above nose above mouth', async () => {
    const [f] = await engine.detect(await load('deepface/img1.jpg'));
    const [re, le, nose, rm, lm] = f!.landmarks;
    expect(re.x).toBeLessThan(le.x);
    expect(rm.x).toBeLessThan(lm.x);
    expect(nose.y).toBeGreaterThan(Math.max(re.y, le.y));
    expect(Math.min(rm.y, lm.y)).toBeGreaterThan(nose.y);
    expect(nose.x).toBeGreaterThan(f!.box.x);
    expect(nose.x).toBeLessThan(f!.box.x + f!.box.width);
  });

  it('returns no face for a blank frame', async () => {
    const blank: RawImage = { width: 640, height: 480, channels: 4, data: new Uint8Array(640 * 480 * 4).fill(128) };
    const a = await engine.analyze(blank);
    expect(a.faces).toEqual([]);
    expect(a.subject).toBe(-1);
    expect(a.quality.reasons).toEqual(['no_face']);
    expect(a.embedding).toBeNull();
    expect(a.liveness).toBeNull();
  });

  it('the dynamic model at 640x480 agrees with the letterboxed fixed model', async () => {
    const frame = await cameraFrame('deepface/img2.jpg');
    const dyn = await FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, env, detector: 'yunet-2023mar-dynamic' });
    try {
      const a = await engine.detect(frame);
      const b = await dyn.detect(frame);
      expect(b).toHaveLength(a.length);
      expect(b[0]!.box.x).toBeCloseTo(a[0]!.box.x, 0);
      expect(b[0]!.box.width).toBeCloseTo(a[0]!.box.width, 0);
    } finally {
      await dyn.release();
    }
  });
});

describe('liveness as upstream classifies its samples', () => {
  it('image_F1 is fake with fused score ≈ 0.73, image_F2 fake, image_T1 real', async () => {
    const rows = fs.readFileSync(sharedFace('liveness_labels.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    const verdict = async (rel: string) => {
      const img = await load(rel);
      const a = await engine.analyze(img, { liveness: true });
      return a.liveness!;
    };
    const f1 = await verdict('silent-face-anti-spoofing/image_F1.jpg');
    expect(f1.real).toBe(false);
    expect(f1.labelScore).toBeGreaterThan(0.71);
    expect(f1.labelScore).toBeLessThan(0.75);
    const f2 = await verdict('silent-face-anti-spoofing/image_F2.jpg');
    expect(f2.real).toBe(false);
    expect(f2.labelScore).toBeGreaterThan(0.99);
    const t1 = await verdict('silent-face-anti-spoofing/image_T1.jpg');
    expect(t1.real).toBe(true);
    expect(t1.score).toBeGreaterThan(0.99);
  });
});

describe('embedding', () => {
  it('same person scores above the threshold, different people below', async () => {
    const emb = async (rel: string) => (await engine.analyze(await load(rel), { liveness: false, embedEvenIfPoorQuality: true })).embedding!;
    const a1 = await emb('deepface/img1.jpg');
    const a2 = await emb('deepface/img2.jpg');
    const other = await emb('face-api.js/sheldon/sheldon1.png');
    expect(a1).toHaveLength(128);
    expect(Math.hypot(...a1)).toBeCloseTo(1, 5);
    const t = engine.info().threshold;
    expect(cosineSimilarity(a1, a2)).toBeGreaterThan(t);
    expect(cosineSimilarity(a1, other)).toBeLessThan(t);
  });

  it('a raw RGBA camera frame and the encoded photo give the same person', async () => {
    const frame = await engine.analyze(await cameraFrame('deepface/img3.jpg'));
    const photo = await engine.analyze(await load('deepface/img3.jpg'));
    expect(frame.quality.ok).toBe(true);
    expect(cosineSimilarity(frame.embedding!, photo.embedding!)).toBeGreaterThan(0.8);
    expect(frame.timings.model).toBeGreaterThan(0);
    expect(frame.timings.total).toBeGreaterThanOrEqual(frame.timings.detect);
  });

  it('refuses bad engine options before loading anything', async () => {
    await expect(FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, env, intraOpThreads: 0 })).rejects.toThrow(/intraOpThreads/);
    await expect(FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, env, livenessThreshold: 2 })).rejects.toThrow(/livenessThreshold/);
    await expect(FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, env, detectMaxSide: 10 })).rejects.toThrow(/detectMaxSide/);
    await expect(FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, env: {}, embedder: 'nope' })).rejects.toThrow(/unknown model id "nope"/);
  });

  it('SFace goes through the same loader and refuses clearly when it is not installed', async () => {
    const err = await FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, env: {}, embedder: 'sface-2021dec' }).catch((e: unknown) => e);
    // SFace cannot be obtained on this network; where it is installed the engine loads it like MobileFaceNet.
    if (err instanceof FaceEngine) {
      expect(err.info().embedderId).toBe('sface-2021dec');
      await err.release();
    } else {
      expect(err).toBeInstanceOf(ModelMissingError);
      expect((err as Error).message).toMatch(/sface-2021dec.*models install/);
    }
  });
});
