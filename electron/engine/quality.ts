/**
 * @file Quality gates: is this face good enough to enrol or to recognise? Each failure is a
 * QualityReason the UI turns into guidance. Thresholds were calibrated on ../shared/faces so the
 * labelled photos pass (see BENCHMARKS.md "Face engine"); enrolment is stricter.
 */
import { ALIGNED_SIZE } from './align';
import type { FaceDetection, QualityMetrics, QualityReason, QualityVerdict } from './types';

export interface QualityThresholds {
  /** Minimum inter-ocular distance in frame px (template has 35.2 px at 112). */
  readonly minEyeDistance: number;
  /** Max |nose offset from the eye midpoint| / eye distance, along the eye line. */
  readonly maxYawRatio: number;
  readonly maxRollDegrees: number;
  /** Min Laplacian variance on the aligned gray crop's central region. */
  readonly minSharpness: number;
  readonly minBrightness: number;
  readonly maxBrightness: number;
  /** Subject detection score below this is "low_score". */
  readonly minScore: number;
  /**
   * A second face whose eye distance is at least this fraction of the subject's makes the frame
   * ambiguous ("one person at a time"). 0 = any second face fails.
   */
  readonly otherFaceRatio: number;
}

export const RECOGNIZE_THRESHOLDS: QualityThresholds = {
  minEyeDistance: 20,
  maxYawRatio: 0.45,
  maxRollDegrees: 35,
  minSharpness: 15,
  minBrightness: 40,
  maxBrightness: 225,
  minScore: 0.6,
  otherFaceRatio: 0.8,
};

export const ENROL_THRESHOLDS: QualityThresholds = {
  minEyeDistance: 30,
  maxYawRatio: 0.3,
  maxRollDegrees: 25,
  minSharpness: 25,
  minBrightness: 50,
  maxBrightness: 215,
  minScore: 0.8,
  otherFaceRatio: 0.5,
};

const eyeDistanceOf = (f: FaceDetection): number => Math.hypot(f.landmarks[1].x - f.landmarks[0].x, f.landmarks[1].y - f.landmarks[0].y);

/**
 * Yaw proxy and roll from landmark geometry: roll is the eye line's angle; yaw is how far the
 * nose sits from the eye midpoint along the eye line, in eye distances (0 = frontal).
 */
export function measurePose(f: FaceDetection): { yawRatio: number; rollDegrees: number; eyeDistance: number } {
  const [re, le, nose] = f.landmarks;
  const dx = le.x - re.x;
  const dy = le.y - re.y;
  const eyeDistance = Math.hypot(dx, dy);
  const rollDegrees = (Math.atan2(dy, dx) * 180) / Math.PI;
  if (eyeDistance < 1e-6) return { yawRatio: Infinity, rollDegrees, eyeDistance };
  const mx = (re.x + le.x) / 2;
  const my = (re.y + le.y) / 2;
  const yawRatio = ((nose.x - mx) * dx + (nose.y - my) * dy) / (eyeDistance * eyeDistance);
  return { yawRatio, rollDegrees, eyeDistance };
}

/**
 * Sharpness and brightness of the aligned 112x112 RGB crop, over its central 56x56 (cheeks, eyes,
 * nose: the black warp border and background stay out). Sharpness is the variance of the
 * 4-neighbour Laplacian [0,1,0;1,−4,1;0,1,0] on gray = 0.299R + 0.587G + 0.114B (Ente's measure).
 */
export function measureCrop(rgb: Uint8Array, size = ALIGNED_SIZE): { sharpness: number; brightness: number } {
  const gray = new Float32Array(size * size);
  for (let i = 0, p = 0; i < gray.length; i++, p += 3) gray[i] = 0.299 * rgb[p]! + 0.587 * rgb[p + 1]! + 0.114 * rgb[p + 2]!;
  const lo = Math.floor(size / 4);
  const hi = size - lo;
  let sum = 0;
  let sumL = 0;
  let sumL2 = 0;
  let n = 0;
  for (let y = lo; y < hi; y++) {
    for (let x = lo; x < hi; x++) {
      const i = y * size + x;
      const l = gray[i - size]! + gray[i + size]! + gray[i - 1]! + gray[i + 1]! - 4 * gray[i]!;
      sum += gray[i]!;
      sumL += l;
      sumL2 += l * l;
      n++;
    }
  }
  const meanL = sumL / n;
  return { sharpness: sumL2 / n - meanL * meanL, brightness: sum / n };
}

/** Judge the subject face; `crop` is its aligned RGB crop (null when there is no face). */
export function assessQuality(
  faces: readonly FaceDetection[],
  subject: number,
  crop: Uint8Array | null,
  t: QualityThresholds,
): QualityVerdict {
  const f = faces[subject];
  if (!f || !crop) return { ok: false, reasons: ['no_face'], metrics: null };
  const reasons: QualityReason[] = [];
  const pose = measurePose(f);
  const { sharpness, brightness } = measureCrop(crop);
  const metrics: QualityMetrics = {
    eyeDistance: pose.eyeDistance,
    faceSize: Math.max(f.box.width, f.box.height),
    yawRatio: pose.yawRatio,
    rollDegrees: pose.rollDegrees,
    sharpness,
    brightness,
    faceCount: faces.length,
  };
  const others = faces.filter((_, i) => i !== subject);
  if (others.some((o) => eyeDistanceOf(o) >= t.otherFaceRatio * pose.eyeDistance)) reasons.push('multiple_faces');
  if (pose.eyeDistance < t.minEyeDistance) reasons.push('too_small');
  if (!(Math.abs(pose.yawRatio) <= t.maxYawRatio) || Math.abs(pose.rollDegrees) > t.maxRollDegrees) reasons.push('pose');
  if (f.score < t.minScore) reasons.push('low_score');
  if (brightness < t.minBrightness) reasons.push('too_dark');
  else if (brightness > t.maxBrightness) reasons.push('too_bright');
  else if (sharpness < t.minSharpness) reasons.push('blurry'); // a dark crop has little contrast; say "light" first
  return { ok: reasons.length === 0, reasons, metrics };
}

/** The subject is the face with the largest eye distance × box area proxy: the largest box. */
export function pickSubject(faces: readonly FaceDetection[]): number {
  let best = -1;
  let bestArea = -1;
  faces.forEach((f, i) => {
    const a = f.box.width * f.box.height;
    if (a > bestArea) {
      bestArea = a;
      best = i;
    }
  });
  return best;
}
