import { describe, expect, it } from 'vitest';
import { computeLivenessCrop, fillLivenessInput, fuseLiveness, softmax } from '../../../electron/engine/liveness';
import type { RawImage } from '../../../electron/engine/types';

describe('MiniFASNet crop (minivision CropImage)', () => {
  it('expands the box about its centre when it fits', () => {
    // 100x100 box centred at (300, 250) in 640x480, scale 2 → 200x200 from (200,150) to (400,350)
    expect(computeLivenessCrop(640, 480, { x: 250, y: 200, width: 100, height: 100 }, 2)).toEqual({ left: 200, top: 150, right: 400, bottom: 350 });
  });

  it('shrinks the scale when the expanded box cannot fit', () => {
    // scale 4 on a 200 px box in 480 px height → min((480−1)/200, (640−1)/200, 4) = 2.395
    const r = computeLivenessCrop(640, 480, { x: 220, y: 140, width: 200, height: 200 }, 4);
    expect(r.bottom - r.top).toBeGreaterThanOrEqual(478);
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(r.bottom).toBeLessThanOrEqual(479);
  });

  it('shifts (does not clip) a box that leaves the frame on the left/top', () => {
    const r = computeLivenessCrop(640, 480, { x: 0, y: 0, width: 100, height: 100 }, 2.7);
    expect(r).toEqual({ left: 0, top: 0, right: 270, bottom: 270 });
  });

  it('shifts a box that leaves the frame on the right/bottom', () => {
    const r = computeLivenessCrop(640, 480, { x: 560, y: 400, width: 80, height: 80 }, 2);
    expect(r).toEqual({ left: 479, top: 319, right: 639, bottom: 479 });
  });

  it('resizes the inclusive crop to 80x80 BGR raw values', () => {
    const img: RawImage = { width: 4, height: 4, channels: 3, data: new Uint8Array(48).map((_, i) => (i % 3 === 0 ? 200 : i % 3 === 1 ? 100 : 7)) };
    const out = new Float32Array(3 * 80 * 80);
    fillLivenessInput(img, { left: 0, top: 0, right: 3, bottom: 3 }, { width: 80, height: 80 }, out);
    expect([out[0], out[6400], out[12800]]).toEqual([7, 100, 200]);
  });
});

describe('softmax and fusion', () => {
  it('softmax sums to 1 and is stable for large logits', () => {
    const p = softmax([1000, 1001, 999]);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(p[1]).toBeGreaterThan(p[0]!);
  });

  it('fuses by summing softmaxes, argmax label, real iff label 1', () => {
    const v = fuseLiveness([
      [0.1, 0.7, 0.2],
      [0.2, 0.5, 0.3],
    ]);
    expect(v).toEqual({ real: true, score: 0.6, label: 1, labelScore: 0.6 });
    const f = fuseLiveness([
      [0.1, 0.3, 0.6],
      [0.2, 0.5, 0.3],
    ]);
    expect(f.real).toBe(false);
    expect(f.label).toBe(2);
    expect(f.labelScore).toBeCloseTo(0.45, 12);
  });

  it('applies the optional threshold on the fused real probability', () => {
    const probs = [
      [0.3, 0.4, 0.3],
      [0.3, 0.4, 0.3],
    ];
    expect(fuseLiveness(probs, 1, 0).real).toBe(true);
    expect(fuseLiveness(probs, 1, 0.78).real).toBe(false);
  });

  it('refuses empty or mismatched outputs', () => {
    expect(() => fuseLiveness([])).toThrow();
    expect(() => fuseLiveness([[1, 0], [1, 0, 0]])).toThrow(/class count/);
  });
});
