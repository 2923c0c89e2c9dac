/**
 * @file FaceRecognizerSF::alignCrop: a closed-form least-squares (Umeyama) similarity transform
 * from the 5 YuNet landmarks onto the ArcFace 112x112 template, then warpAffine with bilinear
 * sampling and a black (0) border (face-pipeline.md §2).
 */
import type { Point, RawImage } from './types';

/** ArcFace / SFace 112x112 destination template (insightface `arcface_src`, OpenCV alignCrop). */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];
export const ALIGNED_SIZE = 112;

/** 2x3 affine matrix [a b c; d e f] mapping (x, y) → (a x + b y + c, d x + e y + f). */
export type Affine = readonly [number, number, number, number, number, number];

interface Svd2 {
  /** U and Vᵀ as row-major 2x2, singular values σ1 ≥ σ2 ≥ 0. */
  readonly u: readonly [number, number, number, number];
  readonly s: readonly [number, number];
  readonly vt: readonly [number, number, number, number];
}

/**
 * Closed-form SVD of a 2x2 matrix [a b; c d]: A = Rot(φ)·diag(σ1, σ2')·Rot(θ) with a signed σ2',
 * then made conventional (σ2 ≥ 0) by flipping U's second column.
 */
export function svd2x2(a: number, b: number, c: number, d: number): Svd2 {
  const e = (a + d) / 2;
  const f = (a - d) / 2;
  const g = (c + b) / 2;
  const h = (c - b) / 2;
  const q = Math.hypot(e, h);
  const r = Math.hypot(f, g);
  const a1 = Math.atan2(g, f);
  const a2 = Math.atan2(h, e);
  const theta = (a2 - a1) / 2;
  const phi = (a2 + a1) / 2;
  const s1 = q + r;
  const s2 = q - r; // may be negative
  const cp = Math.cos(phi);
  const sp = Math.sin(phi);
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const flip = s2 < 0 ? -1 : 1;
  return {
    u: [cp, -sp * flip, sp, cp * flip],
    s: [s1, Math.abs(s2)],
    vt: [ct, -st, st, ct],
  };
}

const det2 = (m: readonly [number, number, number, number]): number => m[0] * m[3] - m[1] * m[2];
const mul2 = (
  x: readonly [number, number, number, number],
  y: readonly [number, number, number, number],
): [number, number, number, number] => [x[0] * y[0] + x[1] * y[2], x[0] * y[1] + x[1] * y[3], x[2] * y[0] + x[3] * y[2], x[2] * y[1] + x[3] * y[3]];

/**
 * Umeyama (1991) least-squares similarity (rotation, uniform scale, translation; no reflection,
 * no shear) mapping `src` points onto `dst` — the algorithm of OpenCV's alignCrop and skimage's
 * SimilarityTransform.estimate.
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Affine {
  const n = src.length;
  if (n < 2 || n !== dst.length) throw new Error('estimateSimilarity needs two equal-length point lists of at least 2 points');
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i]!.x;
    msy += src[i]!.y;
    mdx += dst[i]!.x;
    mdy += dst[i]!.y;
  }
  msx /= n;
  msy /= n;
  mdx /= n;
  mdy /= n;
  // A = (1/n) Σ dᵢ sᵢᵀ (template × source), var_s = (1/n) Σ ‖sᵢ − μs‖²
  let a00 = 0;
  let a01 = 0;
  let a10 = 0;
  let a11 = 0;
  let varS = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i]!.x - msx;
    const sy = src[i]!.y - msy;
    const dx = dst[i]!.x - mdx;
    const dy = dst[i]!.y - mdy;
    a00 += dx * sx;
    a01 += dx * sy;
    a10 += dy * sx;
    a11 += dy * sy;
    varS += sx * sx + sy * sy;
  }
  a00 /= n;
  a01 /= n;
  a10 /= n;
  a11 /= n;
  varS /= n;
  if (!(varS > 1e-12)) throw new Error('estimateSimilarity: source points coincide');
  const { u, s, vt } = svd2x2(a00, a01, a10, a11);
  const detA = a00 * a11 - a01 * a10;
  const d: [number, number] = detA < 0 ? [1, -1] : [1, 1];
  let rot: [number, number, number, number];
  const rank = (s[0] > 1e-12 ? 1 : 0) + (s[1] > 1e-12 * Math.max(1, s[0]) ? 1 : 0);
  if (rank === 1) {
    // Rank-1 special case (Umeyama eq. 43): U·Vᵀ if det(U)·det(V) > 0, else U·diag(1,−1)·Vᵀ.
    rot = det2(u) * det2(vt) > 0 ? mul2(u, vt) : mul2(mul2(u, [1, 0, 0, -1]), vt);
  } else {
    rot = mul2(mul2(u, [d[0], 0, 0, d[1]]), vt);
  }
  const scale = (s[0] * d[0] + s[1] * d[1]) / varS;
  const tx = mdx - scale * (rot[0] * msx + rot[1] * msy);
  const ty = mdy - scale * (rot[2] * msx + rot[3] * msy);
  return [scale * rot[0], scale * rot[1], tx, scale * rot[2], scale * rot[3], ty];
}

export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new Error('affine matrix is singular');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

export function applyAffine(m: Affine, p: Point): Point {
  return { x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}

/**
 * cv::warpAffine(src, dst, M, size, INTER_LINEAR, BORDER_CONSTANT, 0): each output pixel samples
 * the source at M⁻¹·(x, y) bilinearly; taps outside the frame read 0 (black). Output is packed
 * 8-bit RGB (rounded like saturate_cast). `out` may be passed to reuse a buffer.
 */
export function warpAffine(image: RawImage, m: Affine, outWidth: number, outHeight: number, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(outWidth * outHeight * 3);
  const inv = invertAffine(m);
  const { data: src, width, height, channels } = image;
  const stride = width * channels;
  let o = 0;
  for (let y = 0; y < outHeight; y++) {
    let sx = inv[1] * y + inv[2];
    let sy = inv[4] * y + inv[5];
    for (let x = 0; x < outWidth; x++, sx += inv[0], sy += inv[3], o += 3) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      let r = 0;
      let g = 0;
      let b = 0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        const p = y0 * stride + x0 * channels;
        const q = p + stride;
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        r = src[p]! * w00 + src[p + channels]! * w01 + src[q]! * w10 + src[q + channels]! * w11;
        g = src[p + 1]! * w00 + src[p + 1 + channels]! * w01 + src[q + 1]! * w10 + src[q + 1 + channels]! * w11;
        b = src[p + 2]! * w00 + src[p + 2 + channels]! * w01 + src[q + 2]! * w10 + src[q + 2 + channels]! * w11;
      } else if (x0 >= -1 && y0 >= -1 && x0 < width && y0 < height) {
        // Border: taps outside the frame contribute 0 (BORDER_CONSTANT).
        for (let dy = 0; dy < 2; dy++) {
          const yy = y0 + dy;
          if (yy < 0 || yy >= height) continue;
          const wy = dy === 0 ? 1 - fy : fy;
          for (let dx = 0; dx < 2; dx++) {
            const xx = x0 + dx;
            if (xx < 0 || xx >= width) continue;
            const w = wy * (dx === 0 ? 1 - fx : fx);
            const p = yy * stride + xx * channels;
            r += src[p]! * w;
            g += src[p + 1]! * w;
            b += src[p + 2]! * w;
          }
        }
      }
      dst[o] = Math.round(r);
      dst[o + 1] = Math.round(g);
      dst[o + 2] = Math.round(b);
    }
  }
  return dst;
}

/** alignCrop: the 112x112 RGB face for `landmarks` (YuNet order). */
export function alignFace(image: RawImage, landmarks: readonly Point[], out?: Uint8Array): { crop: Uint8Array; transform: Affine } {
  const transform = estimateSimilarity(landmarks, ARCFACE_TEMPLATE);
  return { crop: warpAffine(image, transform, ALIGNED_SIZE, ALIGNED_SIZE, out), transform };
}
