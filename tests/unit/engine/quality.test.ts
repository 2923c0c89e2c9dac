import { describe, expect, it } from 'vitest';
import { ENROL_THRESHOLDS, RECOGNIZE_THRESHOLDS, assessQuality, measureCrop, measurePose, pickSubject } from '../../../electron/engine/quality';
import type { FaceDetection } from '../../../electron/engine/types';

function face(cx: number, cy: number, eye: number, opts: { noseDx?: number; roll?: number; score?: number } = {}): FaceDetection {
  const r = ((opts.roll ?? 0) * Math.PI) / 180;
  const rot = (dx: number, dy: number): { x: number; y: number } => ({ x: cx + dx * Math.cos(r) - dy * Math.sin(r), y: cy + dx * Math.sin(r) + dy * Math.cos(r) });
  const h = eye / 2;
  return {
    box: { x: cx - eye, y: cy - eye, width: 2 * eye, height: 2.5 * eye },
    landmarks: [rot(-h, 0), rot(h, 0), rot((opts.noseDx ?? 0) * eye, 0.6 * eye), rot(-0.4 * eye, eye), rot(0.4 * eye, eye)],
    score: opts.score ?? 0.95,
  };
}

/** A 112x112 crop: flat gray or a fine checkerboard (sharp). */
function crop(level: number, checker = 0): Uint8Array {
  const out = new Uint8Array(112 * 112 * 3);
  for (let y = 0; y < 112; y++)
    for (let x = 0; x < 112; x++) {
      const v = Math.max(0, Math.min(255, level + ((x + y) % 2 === 0 ? checker : -checker)));
      out.fill(v, (y * 112 + x) * 3, (y * 112 + x) * 3 + 3);
    }
  return out;
}

describe('pose and crop measures', () => {
  it('measures roll from the eye line and yaw from the nose offset', () => {
    const p = measurePose(face(100, 100, 60, { roll: 10, noseDx: 0.2 }));
    expect(p.rollDegrees).toBeCloseTo(10, 6);
    expect(p.yawRatio).toBeCloseTo(0.2, 6);
    expect(p.eyeDistance).toBeCloseTo(60, 6);
  });

  it('a flat crop has zero sharpness; a checkerboard is sharp', () => {
    expect(measureCrop(crop(128)).sharpness).toBe(0);
    expect(measureCrop(crop(128)).brightness).toBeCloseTo(128, 3);
    expect(measureCrop(crop(128, 20)).sharpness).toBeGreaterThan(1000);
  });
});

describe('assessQuality', () => {
  const good = crop(128, 20);

  it('passes a good frontal face', () => {
    const v = assessQuality([face(100, 100, 60)], 0, good, RECOGNIZE_THRESHOLDS);
    expect(v).toMatchObject({ ok: true, reasons: [] });
    expect(v.metrics?.faceCount).toBe(1);
  });

  it('reports no_face without a subject', () => {
    expect(assessQuality([], -1, null, RECOGNIZE_THRESHOLDS)).toEqual({ ok: false, reasons: ['no_face'], metrics: null });
  });

  it('reports each failure with its reason code', () => {
    expect(assessQuality([face(100, 100, 10)], 0, good, RECOGNIZE_THRESHOLDS).reasons).toContain('too_small');
    expect(assessQuality([face(100, 100, 60, { noseDx: 0.6 })], 0, good, RECOGNIZE_THRESHOLDS).reasons).toContain('pose');
    expect(assessQuality([face(100, 100, 60, { roll: 50 })], 0, good, RECOGNIZE_THRESHOLDS).reasons).toContain('pose');
    expect(assessQuality([face(100, 100, 60)], 0, crop(128), RECOGNIZE_THRESHOLDS).reasons).toEqual(['blurry']);
    expect(assessQuality([face(100, 100, 60)], 0, crop(15, 10), RECOGNIZE_THRESHOLDS).reasons).toEqual(['too_dark']);
    expect(assessQuality([face(100, 100, 60)], 0, crop(245, 10), RECOGNIZE_THRESHOLDS).reasons).toEqual(['too_bright']);
    expect(assessQuality([face(100, 100, 60, { score: 0.5 })], 0, good, RECOGNIZE_THRESHOLDS).reasons).toEqual(['low_score']);
  });

  it('flags a second face of similar size; enrolment is stricter', () => {
    const subject = face(100, 100, 60);
    const small = face(400, 100, 35);
    expect(assessQuality([subject, small], 0, good, RECOGNIZE_THRESHOLDS).ok).toBe(true);
    expect(assessQuality([subject, small], 0, good, ENROL_THRESHOLDS).reasons).toContain('multiple_faces');
    expect(assessQuality([subject, face(400, 100, 55)], 0, good, RECOGNIZE_THRESHOLDS).reasons).toContain('multiple_faces');
  });

  it('enrolment rejects a pose recognition accepts', () => {
    const turned = face(100, 100, 60, { noseDx: 0.38 });
    expect(assessQuality([turned], 0, good, RECOGNIZE_THRESHOLDS).ok).toBe(true);
    expect(assessQuality([turned], 0, good, ENROL_THRESHOLDS).reasons).toEqual(['pose']);
  });

  it('the subject is the largest face', () => {
    expect(pickSubject([face(0, 0, 20), face(0, 0, 80), face(0, 0, 40)])).toBe(1);
    expect(pickSubject([])).toBe(-1);
  });
});
