/**
 * @file MiniFASNet passive liveness, as minivision's Silent-Face-Anti-Spoofing computes it
 * (face-pipeline.md §4): expanded crop per model scale (shrinking the scale when it cannot fit,
 * shifting — not clipping — the box into the frame, inclusive integer bounds), bilinear 80x80,
 * BGR raw 0..255, softmax, then sum the models' softmaxes and take the argmax; class 1 = real.
 */
import type { Box, LivenessVerdict, RawImage } from './types';
import type { Region } from './resample';
import { resampleToTensor } from './resample';

/** minivision CropImage._get_new_box, returning inclusive integer bounds. */
export function computeLivenessCrop(frameWidth: number, frameHeight: number, box: Box, scale: number): Region {
  const s = Math.min((frameHeight - 1) / box.height, (frameWidth - 1) / box.width, scale);
  const w = box.width * s;
  const h = box.height * s;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let left = cx - w / 2;
  let top = cy - h / 2;
  let right = cx + w / 2;
  let bottom = cy + h / 2;
  if (left < 0) {
    right -= left;
    left = 0;
  }
  if (top < 0) {
    bottom -= top;
    top = 0;
  }
  if (right > frameWidth - 1) {
    left -= right - frameWidth + 1;
    right = frameWidth - 1;
  }
  if (bottom > frameHeight - 1) {
    top -= bottom - frameHeight + 1;
    bottom = frameHeight - 1;
  }
  // Python int() truncates toward zero; clamp guards float dust at the edges.
  const clampX = (v: number): number => Math.min(frameWidth - 1, Math.max(0, Math.trunc(v)));
  const clampY = (v: number): number => Math.min(frameHeight - 1, Math.max(0, Math.trunc(v)));
  return { left: clampX(left), top: clampY(top), right: clampX(right), bottom: clampY(bottom) };
}

/** Crop + resize (cv2.resize bilinear) into an 80x80 BGR raw 0..255 NCHW tensor. */
export function fillLivenessInput(image: RawImage, region: Region, size: { width: number; height: number }, out: Float32Array): void {
  resampleToTensor(image, region, {
    data: out,
    planeWidth: size.width,
    planeHeight: size.height,
    outWidth: size.width,
    outHeight: size.height,
    order: 'BGR',
  });
}

export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/**
 * Upstream fusion: sum the softmax vectors, label = argmax, real iff label == realClass. The
 * reported score is the mean real-class probability. With `threshold` set, the face must also
 * reach that fused real probability (the APK's stricter rule, default 0.78 there).
 */
export function fuseLiveness(probs: readonly ArrayLike<number>[], realClass = 1, threshold = 0): LivenessVerdict {
  if (probs.length === 0) throw new Error('fuseLiveness needs at least one model output');
  const n = probs[0]!.length;
  const sum = new Float64Array(n);
  for (const p of probs) {
    if (p.length !== n) throw new Error('liveness outputs differ in class count');
    for (let i = 0; i < n; i++) sum[i]! += p[i]!;
  }
  let label = 0;
  for (let i = 1; i < n; i++) if (sum[i]! > sum[label]!) label = i;
  const score = sum[realClass]! / probs.length;
  return { real: label === realClass && score >= threshold, score, label, labelScore: sum[label]! / probs.length };
}
