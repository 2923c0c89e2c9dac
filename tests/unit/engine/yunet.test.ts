import { describe, expect, it } from 'vitest';
import { decodeYuNet, fillDetectorInput, mapToFrame, nmsBoxes, padTo32, planLetterbox, rectIoU, suppressCandidates, type Candidate } from '../../../electron/engine/yunet';
import type { RawImage } from '../../../electron/engine/types';

/** Empty YuNet outputs for an input size, every cell scoring 0. */
function emptyOutputs(w: number, h: number, strides = [8, 16, 32]): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const s of strides) {
    const n = (w / s) * (h / s);
    out[`cls_${s}`] = new Float32Array(n);
    out[`obj_${s}`] = new Float32Array(n);
    out[`bbox_${s}`] = new Float32Array(4 * n);
    out[`kps_${s}`] = new Float32Array(10 * n);
  }
  return out;
}

describe('letterbox geometry', () => {
  it('rounds up to a multiple of 32 like OpenCV', () => {
    expect(padTo32(480)).toBe(480);
    expect(padTo32(481)).toBe(512);
    expect(padTo32(1)).toBe(32);
  });

  it('shrinks a 1280x960 frame into the fixed 640x640 input, keeping the ratio', () => {
    const g = planLetterbox(1280, 960, { inputWidth: 640, inputHeight: 640, dynamicInput: false });
    expect(g).toEqual({ inputWidth: 640, inputHeight: 640, scale: 0.5, scaledWidth: 640, scaledHeight: 480 });
  });

  it('never enlarges a small crop (faces would exceed the useful ~300 px)', () => {
    const g = planLetterbox(150, 150, { inputWidth: 640, inputHeight: 640, dynamicInput: false });
    expect(g.scale).toBe(1);
    expect(g.scaledWidth).toBe(150);
  });

  it('runs the dynamic model at the frame size padded to 32', () => {
    const g = planLetterbox(640, 470, { inputWidth: 640, inputHeight: 640, dynamicInput: true });
    expect(g).toEqual({ inputWidth: 640, inputHeight: 480, scale: 1, scaledWidth: 640, scaledHeight: 470 });
    const half = planLetterbox(640, 480, { inputWidth: 640, inputHeight: 640, dynamicInput: true }, 0.5);
    expect([half.inputWidth, half.inputHeight]).toEqual([320, 256]);
  });

  it('fills the tensor as BGR planes with raw 0..255 values and leaves the padding at zero', () => {
    const img: RawImage = { width: 2, height: 1, channels: 4, data: Uint8Array.from([10, 20, 30, 255, 40, 50, 60, 255]) };
    const g = { inputWidth: 32, inputHeight: 32, scale: 1, scaledWidth: 2, scaledHeight: 1 };
    const t = new Float32Array(3 * 32 * 32);
    fillDetectorInput(img, g, t);
    const plane = 32 * 32;
    expect([t[0], t[1], t[plane], t[plane + 1], t[2 * plane], t[2 * plane + 1]]).toEqual([30, 60, 20, 50, 10, 40]);
    expect(t[2]).toBe(0);
    expect(t[32]).toBe(0);
  });
});

describe('decodeYuNet', () => {
  it('decodes one cell exactly: sqrt(cls*obj), prior at (c*s, r*s), exp sizes, landmarks', () => {
    const out = emptyOutputs(64, 64);
    // stride 16, grid 4x4: cell row 2, col 1 → idx 9
    const idx = 2 * 4 + 1;
    out.cls_16![idx] = 0.81;
    out.obj_16![idx] = 1.0;
    out.bbox_16!.set([0.5, 0.25, Math.log(2), Math.log(3)], idx * 4);
    out.kps_16!.set([0, 0, 1, 0, 0.5, 0.5, 0, 1, 1, 1], idx * 10);
    const faces = decodeYuNet(out, { inputWidth: 64, inputHeight: 64, strides: [8, 16, 32], scoreThreshold: 0.5 });
    expect(faces).toHaveLength(1);
    const f = faces[0]!;
    expect(f.score).toBeCloseTo(0.9, 6);
    // cx = (1 + 0.5)*16 = 24, cy = (2 + 0.25)*16 = 36, w = 32, h = 48
    expect(f.x).toBeCloseTo(24 - 16, 5);
    expect(f.y).toBeCloseTo(36 - 24, 5);
    expect(f.w).toBeCloseTo(32, 5);
    expect(f.h).toBeCloseTo(48, 5);
    expect(f.kps).toEqual([16, 32, 32, 32, 24, 40, 16, 48, 32, 48]);
  });

  it('clamps cls/obj to [0,1] and drops cells below the threshold', () => {
    const out = emptyOutputs(32, 32);
    out.cls_8![0] = 1.5; // clamped to 1
    out.obj_8![0] = 0.36; // score 0.6
    out.cls_8![1] = 0.3;
    out.obj_8![1] = 0.3; // score 0.3
    out.cls_32![0] = -0.2; // clamped to 0
    out.obj_32![0] = 1;
    const faces = decodeYuNet(out, { inputWidth: 32, inputHeight: 32, strides: [8, 16, 32], scoreThreshold: 0.5 });
    expect(faces).toHaveLength(1);
    expect(faces[0]!.score).toBeCloseTo(0.6, 6);
  });

  it('refuses outputs that do not match the grid', () => {
    const out = emptyOutputs(32, 32);
    expect(() => decodeYuNet(out, { inputWidth: 64, inputHeight: 64, strides: [8], scoreThreshold: 0.5 })).toThrow(/smaller than/);
    delete out.kps_8;
    expect(() => decodeYuNet(out, { inputWidth: 32, inputHeight: 32, strides: [8], scoreThreshold: 0.5 })).toThrow(/missing/);
  });
});

describe('NMS as cv::dnn::NMSBoxes', () => {
  it('computes IoU on integer rects', () => {
    expect(rectIoU({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150, 12);
    expect(rectIoU({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 10, h: 10 })).toBe(0);
  });

  it('keeps scores strictly above the threshold, sorted, suppressing IoU > nms', () => {
    const rects = [
      { x: 0, y: 0, w: 10, h: 10 },
      { x: 1, y: 0, w: 10, h: 10 }, // IoU with 0 = 90/110 > 0.3
      { x: 50, y: 50, w: 10, h: 10 },
      { x: 100, y: 100, w: 10, h: 10 },
    ];
    expect(nmsBoxes(rects, [0.8, 0.9, 0.7, 0.5], 0.5, 0.3, 5000)).toEqual([1, 2]);
    expect(nmsBoxes(rects, [0.8, 0.9, 0.7, 0.5], 0.5, 0.3, 1)).toEqual([1]);
  });

  it('keeps a box whose IoU equals the threshold (≤ keeps)', () => {
    const rects = [
      { x: 0, y: 0, w: 10, h: 10 },
      { x: 5, y: 0, w: 10, h: 10 }, // IoU 1/3
    ];
    expect(nmsBoxes(rects, [0.9, 0.8], 0, 1 / 3, 0)).toEqual([0, 1]);
  });

  it('is stable for equal scores', () => {
    const rects = [
      { x: 0, y: 0, w: 10, h: 10 },
      { x: 0, y: 0, w: 10, h: 10 },
    ];
    expect(nmsBoxes(rects, [0.9, 0.9], 0, 0.3, 0)).toEqual([0]);
  });

  it('truncates float boxes to int before NMS and returns one candidate untouched', () => {
    const mk = (x: number, score: number): Candidate => ({ x, y: 0, w: 10.9, h: 10.9, kps: new Array<number>(10).fill(0), score });
    // Truncated: x 0 w 10 and x 5 w 10 → IoU 1/3 ≤ 0.34 keeps both; as floats it would differ.
    expect(suppressCandidates([mk(0.9, 0.9), mk(5.99, 0.8)], 0, 0.34, 10)).toHaveLength(2);
    const single = [mk(0, 0.1)];
    expect(suppressCandidates(single, 0.5, 0.3, 10)).toEqual(single);
  });

  it('maps network coordinates back by dividing by the scale', () => {
    const c: Candidate = { x: 10, y: 20, w: 30, h: 40, kps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], score: 0.9 };
    const f = mapToFrame(c, 0.5);
    expect(f.box).toEqual({ x: 20, y: 40, width: 60, height: 80 });
    expect(f.landmarks[4]).toEqual({ x: 18, y: 20 });
  });
});
