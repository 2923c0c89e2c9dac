import { describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE, alignFace, applyAffine, estimateSimilarity, invertAffine, svd2x2, warpAffine, type Affine } from '../../../electron/engine/align';
import type { Point, RawImage } from '../../../electron/engine/types';

function similarity(scale: number, angle: number, tx: number, ty: number): Affine {
  const c = Math.cos(angle) * scale;
  const s = Math.sin(angle) * scale;
  return [c, -s, tx, s, c, ty];
}

describe('2x2 SVD', () => {
  it('reconstructs matrices, including negative determinants', () => {
    for (const [a, b, c, d] of [
      [3, 1, 2, 4],
      [1, 2, 2, -3],
      [0, 1, -1, 0],
      [2, 0, 0, 0],
    ] as const) {
      const { u, s, vt } = svd2x2(a, b, c, d);
      expect(s[0]).toBeGreaterThanOrEqual(s[1]);
      expect(s[1]).toBeGreaterThanOrEqual(0);
      const us = [u[0] * s[0], u[1] * s[1], u[2] * s[0], u[3] * s[1]];
      const r = [us[0]! * vt[0] + us[1]! * vt[2], us[0]! * vt[1] + us[1]! * vt[3], us[2]! * vt[0] + us[3]! * vt[2], us[2]! * vt[1] + us[3]! * vt[3]];
      r.forEach((v, i) => expect(v).toBeCloseTo([a, b, c, d][i]!, 10));
    }
  });
});

describe('Umeyama similarity', () => {
  it('recovers known similarity transforms exactly from 5 points', () => {
    for (const [scale, angle, tx, ty] of [
      [1, 0, 0, 0],
      [0.5, 0.3, 12, -7],
      [2.7, -1.2, -100, 40],
      [0.05, Math.PI * 0.9, 3, 3],
    ] as const) {
      const m = similarity(scale, angle, tx, ty);
      const dst = ARCFACE_TEMPLATE;
      const src = dst.map((p) => applyAffine(invertAffine(m), p));
      const est = estimateSimilarity(src, dst);
      est.forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 8));
    }
  });

  it('never returns a reflection, even for mirrored landmarks', () => {
    const mirrored: Point[] = ARCFACE_TEMPLATE.map((p) => ({ x: 112 - p.x, y: p.y }));
    const m = estimateSimilarity(mirrored, ARCFACE_TEMPLATE);
    expect(m[0] * m[4] - m[1] * m[3]).toBeGreaterThan(0);
    // Proper similarity form: [a -b; b a]
    expect(m[0]).toBeCloseTo(m[4], 10);
    expect(m[1]).toBeCloseTo(-m[3], 10);
  });

  it('is the least-squares fit for noisy points (matches the closed-form a,b solution)', () => {
    const src: Point[] = [
      { x: 100, y: 120 },
      { x: 160, y: 118 },
      { x: 133, y: 150 },
      { x: 108, y: 181 },
      { x: 155, y: 183 },
    ];
    const m = estimateSimilarity(src, ARCFACE_TEMPLATE);
    const ms = src.reduce((a, p) => ({ x: a.x + p.x / 5, y: a.y + p.y / 5 }), { x: 0, y: 0 });
    const md = ARCFACE_TEMPLATE.reduce((a, p) => ({ x: a.x + p.x / 5, y: a.y + p.y / 5 }), { x: 0, y: 0 });
    let num1 = 0;
    let num2 = 0;
    let den = 0;
    src.forEach((p, i) => {
      const sx = p.x - ms.x;
      const sy = p.y - ms.y;
      const dx = ARCFACE_TEMPLATE[i]!.x - md.x;
      const dy = ARCFACE_TEMPLATE[i]!.y - md.y;
      num1 += sx * dx + sy * dy;
      num2 += sx * dy - sy * dx;
      den += sx * sx + sy * sy;
    });
    expect(m[0]).toBeCloseTo(num1 / den, 10);
    expect(m[3]).toBeCloseTo(num2 / den, 10);
  });

  it('refuses degenerate input', () => {
    const p = { x: 1, y: 1 };
    expect(() => estimateSimilarity([p, p, p], [p, { x: 2, y: 2 }, p])).toThrow(/coincide/);
    expect(() => estimateSimilarity([p], [p])).toThrow();
  });
});

function gradient(w: number, h: number): RawImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      data[o] = x;
      data[o + 1] = y;
      data[o + 2] = 200;
    }
  return { width: w, height: h, channels: 3, data };
}

describe('warpAffine (bilinear, black border)', () => {
  it('copies pixels under the identity', () => {
    const img = gradient(20, 10);
    const out = warpAffine(img, [1, 0, 0, 0, 1, 0], 20, 10);
    expect(Array.from(out.subarray(0, 30))).toEqual(Array.from(img.data.subarray(0, 30)));
  });

  it('shifts by a translation and fills outside pixels with 0', () => {
    const img = gradient(20, 10);
    // dst = src + (3, 2): dst(5, 4) samples src(2, 2)
    const out = warpAffine(img, [1, 0, 3, 0, 1, 2], 20, 10);
    const at = (x: number, y: number): number[] => Array.from(out.subarray((y * 20 + x) * 3, (y * 20 + x) * 3 + 3));
    expect(at(5, 4)).toEqual([2, 2, 200]);
    expect(at(0, 0)).toEqual([0, 0, 0]);
  });

  it('interpolates bilinearly at half pixels', () => {
    const img = gradient(20, 10);
    // 2x upscale: dst(3,3) samples src(1.5,1.5) → (1.5, 1.5) rounds to 2
    const out = warpAffine(img, [2, 0, 0, 0, 2, 0], 10, 10);
    const o = (3 * 10 + 3) * 3;
    expect([out[o], out[o + 1], out[o + 2]]).toEqual([2, 2, 200]);
  });

  it('aligns landmarks onto the ArcFace template', () => {
    const img = gradient(200, 200);
    const m = similarity(1.7, 0.2, 40, 30);
    const landmarks = ARCFACE_TEMPLATE.map((p) => applyAffine(m, p));
    const { crop, transform } = alignFace(img, landmarks);
    expect(crop.length).toBe(112 * 112 * 3);
    landmarks.forEach((p, i) => {
      const q = applyAffine(transform, p);
      expect(q.x).toBeCloseTo(ARCFACE_TEMPLATE[i]!.x, 6);
      expect(q.y).toBeCloseTo(ARCFACE_TEMPLATE[i]!.y, 6);
    });
  });
});
