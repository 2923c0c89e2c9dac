import { describe, expect, it } from 'vitest';
import { resampleToTensor } from '../../../electron/engine/resample';
import type { RawImage } from '../../../electron/engine/types';

function image(w: number, h: number, channels: 3 | 4, f: (x: number, y: number) => number): RawImage {
  const data = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * channels;
      data[o] = f(x, y);
      data[o + 1] = 2 * f(x, y);
      data[o + 2] = 3 * f(x, y);
      if (channels === 4) data[o + 3] = 255;
    }
  return { width: w, height: h, channels, data };
}

describe('resampleToTensor (cv2.resize INTER_LINEAR geometry)', () => {
  it('halving averages each 2x2 block (pixel centres aligned)', () => {
    const img = image(4, 4, 3, (x, y) => x + 4 * y);
    const out = new Float32Array(3 * 4);
    resampleToTensor(img, { left: 0, top: 0, right: 3, bottom: 3 }, { data: out, planeWidth: 2, planeHeight: 2, outWidth: 2, outHeight: 2, order: 'RGB' });
    expect(Array.from(out.subarray(0, 4))).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(Array.from(out.subarray(4, 8))).toEqual([5, 9, 21, 25]);
  });

  it('copies a same-size region exactly, RGBA → BGR planes', () => {
    const img = image(5, 3, 4, (x, y) => 10 * y + x);
    const out = new Float32Array(3 * 2 * 2);
    resampleToTensor(img, { left: 2, top: 1, right: 3, bottom: 2 }, { data: out, planeWidth: 2, planeHeight: 2, outWidth: 2, outHeight: 2, order: 'BGR' });
    // B plane = 3·v, G = 2·v, R = v for v = 12, 13, 22, 23
    expect(Array.from(out)).toEqual([36, 39, 66, 69, 24, 26, 44, 46, 12, 13, 22, 23]);
  });

  it('enlarging clamps at the edges instead of reading outside the region', () => {
    const img = image(2, 1, 3, (x) => (x === 0 ? 0 : 100));
    const out = new Float32Array(3 * 4);
    resampleToTensor(img, { left: 0, top: 0, right: 1, bottom: 0 }, { data: out, planeWidth: 4, planeHeight: 1, outWidth: 4, outHeight: 1, order: 'RGB' });
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 25, 75, 100]);
  });
});
