/**
 * @file Bilinear resampling of a region of an 8-bit RGB/RGBA image straight into a float tensor
 * (NCHW planes, chosen channel order), the way cv2.resize(INTER_LINEAR) samples: pixel centres
 * aligned (src = (dst + 0.5) * ratio - 0.5), coordinates clamped to the region's edge.
 * Column taps are precomputed once per call so the inner loop has no closures or divisions.
 */
import type { RawImage } from './types';

export interface Region {
  /** Inclusive integer pixel bounds inside the image. */
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface TensorTarget {
  /** NCHW float32 buffer, at least 3 * planeHeight * planeWidth long. */
  readonly data: Float32Array;
  readonly planeWidth: number;
  readonly planeHeight: number;
  /** Size of the area written (top-left aligned inside the plane); the rest is left untouched. */
  readonly outWidth: number;
  readonly outHeight: number;
  readonly order: 'RGB' | 'BGR';
}

function taps(outSize: number, srcStart: number, srcSize: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const f = new Float32Array(outSize);
  const ratio = srcSize / outSize;
  for (let d = 0; d < outSize; d++) {
    let s = (d + 0.5) * ratio - 0.5;
    if (s < 0) s = 0;
    let a = Math.floor(s);
    if (a > srcSize - 1) a = srcSize - 1;
    const b = Math.min(a + 1, srcSize - 1);
    i0[d] = srcStart + a;
    i1[d] = srcStart + b;
    f[d] = Math.min(1, s - a);
  }
  return { i0, i1, f };
}

/**
 * Resample `region` of `image` to outWidth x outHeight into `target` as raw 0..255 floats.
 * When the region and output sizes match this is an exact copy.
 */
export function resampleToTensor(image: RawImage, region: Region, target: TensorTarget): void {
  const { data: src, width, channels } = image;
  const rw = region.right - region.left + 1;
  const rh = region.bottom - region.top + 1;
  const { data: out, planeWidth, planeHeight, outWidth, outHeight } = target;
  const plane = planeWidth * planeHeight;
  // Output plane offsets for R, G, B source channels.
  const oR = target.order === 'RGB' ? 0 : 2 * plane;
  const oG = plane;
  const oB = target.order === 'RGB' ? 2 * plane : 0;
  const stride = width * channels;
  if (rw === outWidth && rh === outHeight) {
    // Same size: a plain copy (the common 640x480 camera frame into the detector), ~4x faster.
    for (let y = 0; y < outHeight; y++) {
      let p = (region.top + y) * stride + region.left * channels;
      const orow = y * planeWidth;
      for (let x = 0; x < outWidth; x++, p += channels) {
        const o = orow + x;
        out[oR + o] = src[p]!;
        out[oG + o] = src[p + 1]!;
        out[oB + o] = src[p + 2]!;
      }
    }
    return;
  }
  const xs = taps(outWidth, region.left, rw);
  const ys = taps(outHeight, region.top, rh);
  for (let y = 0; y < outHeight; y++) {
    const fy = ys.f[y]!;
    const row0 = ys.i0[y]! * stride;
    const row1 = ys.i1[y]! * stride;
    const orow = y * planeWidth;
    for (let x = 0; x < outWidth; x++) {
      const fx = xs.f[x]!;
      const c0 = xs.i0[x]! * channels;
      const c1 = xs.i1[x]! * channels;
      const p00 = row0 + c0;
      const p01 = row0 + c1;
      const p10 = row1 + c0;
      const p11 = row1 + c1;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const o = orow + x;
      out[oR + o] = src[p00]! * w00 + src[p01]! * w01 + src[p10]! * w10 + src[p11]! * w11;
      out[oG + o] = src[p00 + 1]! * w00 + src[p01 + 1]! * w01 + src[p10 + 1]! * w10 + src[p11 + 1]! * w11;
      out[oB + o] = src[p00 + 2]! * w00 + src[p01 + 2]! * w01 + src[p10 + 2]! * w10 + src[p11 + 2]! * w11;
    }
  }
}
