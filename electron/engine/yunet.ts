/**
 * @file YuNet pre- and post-processing, a port of OpenCV's FaceDetectorYN (face-pipeline.md §1):
 * letterbox into the network input (BGR, raw 0..255, NCHW, zero padding right/bottom), decode the
 * three strides (score = sqrt(cls*obj), priors at (c*s, r*s) with no +0.5, exp sizes), NMS on
 * integer rects like cv::dnn::NMSBoxes, and mapping back to frame coordinates.
 */
import type { Box, FaceDetection, Point, RawImage } from './types';
import { resampleToTensor } from './resample';

export interface DetectorGeometry {
  /** Network input size (multiple of 32). */
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Frame → network scale (network = frame * scale). */
  readonly scale: number;
  /** Scaled frame size inside the input (the rest is zero padding). */
  readonly scaledWidth: number;
  readonly scaledHeight: number;
}

/** Round up to a multiple of 32, as OpenCV pads: (⌊(W−1)/32⌋+1)·32. */
export function padTo32(n: number): number {
  return (Math.floor((n - 1) / 32) + 1) * 32;
}

/**
 * Where the frame goes in the network input. Frames are only ever shrunk (never enlarged: a
 * tight 150 px crop enlarged to 640 would push the face past YuNet's ~300 px useful size).
 * `maxScale` < 1 shrinks further, used to retry when a close-up face is too large to detect.
 */
export function planLetterbox(
  frameWidth: number,
  frameHeight: number,
  model: { inputWidth: number; inputHeight: number; dynamicInput: boolean },
  maxScale = 1,
): DetectorGeometry {
  const scale = Math.min(model.inputWidth / frameWidth, model.inputHeight / frameHeight, maxScale);
  const scaledWidth = Math.max(1, Math.min(model.inputWidth, Math.round(frameWidth * scale)));
  const scaledHeight = Math.max(1, Math.min(model.inputHeight, Math.round(frameHeight * scale)));
  if (model.dynamicInput) {
    return { inputWidth: padTo32(scaledWidth), inputHeight: padTo32(scaledHeight), scale, scaledWidth, scaledHeight };
  }
  return { inputWidth: model.inputWidth, inputHeight: model.inputHeight, scale, scaledWidth, scaledHeight };
}

/**
 * Fill `tensor` (length 3*inputHeight*inputWidth) with the letterboxed frame. The caller zeroes
 * the buffer when it is new or the geometry changed; the padding is never written here.
 */
export function fillDetectorInput(image: RawImage, g: DetectorGeometry, tensor: Float32Array): void {
  resampleToTensor(
    image,
    { left: 0, top: 0, right: image.width - 1, bottom: image.height - 1 },
    { data: tensor, planeWidth: g.inputWidth, planeHeight: g.inputHeight, outWidth: g.scaledWidth, outHeight: g.scaledHeight, order: 'BGR' },
  );
}

/** One decoded candidate in network-input coordinates: OpenCV's 15-float row. */
export interface Candidate {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** 10 numbers: 5 (x, y) landmarks in YuNet order. */
  readonly kps: readonly number[];
  readonly score: number;
}

export interface YuNetOutputs {
  /** Keyed by output name: cls_8, obj_8, bbox_8, kps_8, ... */
  readonly [name: string]: Float32Array;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Decode every stride's grid into candidates scoring at least `scoreThreshold` (CV-FD, exact). */
export function decodeYuNet(
  outputs: YuNetOutputs,
  opts: { inputWidth: number; inputHeight: number; strides: readonly number[]; scoreThreshold: number },
): Candidate[] {
  const faces: Candidate[] = [];
  for (const s of opts.strides) {
    const cols = opts.inputWidth / s;
    const rows = opts.inputHeight / s;
    const cls = outputs[`cls_${s}`];
    const obj = outputs[`obj_${s}`];
    const bbox = outputs[`bbox_${s}`];
    const kps = outputs[`kps_${s}`];
    if (!cls || !obj || !bbox || !kps) throw new Error(`YuNet output for stride ${s} is missing`);
    const n = rows * cols;
    if (cls.length < n || obj.length < n || bbox.length < 4 * n || kps.length < 10 * n) {
      throw new Error(`YuNet output for stride ${s} is smaller than the ${cols}x${rows} grid`);
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const idx = r * cols + c;
        const score = Math.sqrt(clamp01(cls[idx]!) * clamp01(obj[idx]!));
        if (!(score >= opts.scoreThreshold)) continue;
        const b = idx * 4;
        const cx = (c + bbox[b]!) * s;
        const cy = (r + bbox[b + 1]!) * s;
        const w = Math.exp(bbox[b + 2]!) * s;
        const h = Math.exp(bbox[b + 3]!) * s;
        const k = idx * 10;
        const points: number[] = new Array<number>(10);
        for (let i = 0; i < 5; i++) {
          points[2 * i] = (kps[k + 2 * i]! + c) * s;
          points[2 * i + 1] = (kps[k + 2 * i + 1]! + r) * s;
        }
        faces.push({ x: cx - w / 2, y: cy - h / 2, w, h, kps: points, score });
      }
    }
  }
  return faces;
}

interface IntRect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** IoU of two integer rects as cv::Rect computes it (area = w*h, empty intersection = 0). */
export function rectIoU(a: IntRect, b: IntRect): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w);
  const y2 = Math.min(a.y + a.h, b.y + b.h);
  const inter = x2 > x1 && y2 > y1 ? (x2 - x1) * (y2 - y1) : 0;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * cv::dnn::NMSBoxes(eta = 1): keep scores strictly above the threshold, stable-sort descending,
 * truncate to topK, then greedily keep boxes whose IoU with every kept box is ≤ nmsThreshold.
 * Returns indices into `rects`.
 */
export function nmsBoxes(rects: readonly IntRect[], scores: readonly number[], scoreThreshold: number, nmsThreshold: number, topK: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > scoreThreshold) order.push(i);
  // Array.prototype.sort is stable (ES2019), as OpenCV's std::stable_sort.
  order.sort((a, b) => scores[b]! - scores[a]!);
  if (topK > 0 && order.length > topK) order.length = topK;
  const kept: number[] = [];
  for (const i of order) {
    const r = rects[i]!;
    let keep = true;
    for (const k of kept) {
      if (rectIoU(r, rects[k]!) > nmsThreshold) {
        keep = false;
        break;
      }
    }
    if (keep) kept.push(i);
  }
  return kept;
}

/** OpenCV runs NMS only when there is more than one candidate; boxes are truncated to int first. */
export function suppressCandidates(cands: readonly Candidate[], scoreThreshold: number, nmsThreshold: number, topK: number): Candidate[] {
  if (cands.length <= 1) return [...cands];
  const rects = cands.map((c) => ({ x: Math.trunc(c.x), y: Math.trunc(c.y), w: Math.trunc(c.w), h: Math.trunc(c.h) }));
  return nmsBoxes(
    rects,
    cands.map((c) => c.score),
    scoreThreshold,
    nmsThreshold,
    topK,
  ).map((i) => cands[i]!);
}

/** Network coordinates → frame coordinates (divide by the letterbox scale; no offset since padding is right/bottom). */
export function mapToFrame(c: Candidate, scale: number): FaceDetection {
  const box: Box = { x: c.x / scale, y: c.y / scale, width: c.w / scale, height: c.h / scale };
  const p = (i: number): Point => ({ x: c.kps[2 * i]! / scale, y: c.kps[2 * i + 1]! / scale });
  return { box, landmarks: [p(0), p(1), p(2), p(3), p(4)], score: c.score };
}
