/**
 * @file Embedder pre- and post-processing driven by the manifest descriptor, so SFace (RGB raw
 * 0..255) and MobileFaceNet (RGB, /255 then ImageNet mean/std) share one code path.
 */
import type { Preprocess } from '../models/manifest';

/**
 * Packed 8-bit RGB crop (w*h*3) → model tensor: value = (pixel*scale − mean[c]) / std[c], in the
 * descriptor's channel order and layout. Writes into `out` (length 3*w*h).
 */
export function fillEmbedderInput(rgb: Uint8Array, width: number, height: number, pre: Preprocess, out: Float32Array): void {
  const plane = width * height;
  if (rgb.length !== plane * 3) throw new Error(`crop has ${rgb.length} bytes, expected ${plane * 3}`);
  if (out.length !== plane * 3) throw new Error(`tensor has ${out.length} floats, expected ${plane * 3}`);
  // Tensor channel c reads source channel src[c] (RGB order: 0,1,2; BGR: 2,1,0).
  const srcCh = pre.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c++) {
    const sc = srcCh[c]!;
    const k = pre.scale / pre.std[c]!;
    const b = -pre.mean[c]! / pre.std[c]!;
    if (pre.layout === 'NCHW') {
      const base = c * plane;
      for (let i = 0; i < plane; i++) out[base + i] = rgb[i * 3 + sc]! * k + b;
    } else {
      for (let i = 0; i < plane; i++) out[i * 3 + c] = rgb[i * 3 + sc]! * k + b;
    }
  }
}

/** L2-normalise into a new Float32Array; a zero or non-finite vector is an error (the model misbehaved). */
export function l2Normalize(v: ArrayLike<number>): Float32Array {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i]! * v[i]!;
  const norm = Math.sqrt(ss);
  if (!Number.isFinite(norm) || norm < 1e-12) throw new Error('embedding has zero or non-finite norm');
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

/** Cosine similarity of two embeddings (dot product of their L2-normalised forms), −1..1. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`embedding lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  const d = Math.sqrt(na) * Math.sqrt(nb);
  if (!(d > 0)) throw new Error('cosine of a zero vector');
  return dot / d;
}

/** Mirror a packed RGB crop left↔right (for the optional flip-embedding trick). */
export function flipHorizontal(rgb: Uint8Array, width: number, height: number, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const s = row + x * 3;
      const d = row + (width - 1 - x) * 3;
      dst[d] = rgb[s]!;
      dst[d + 1] = rgb[s + 1]!;
      dst[d + 2] = rgb[s + 2]!;
    }
  }
  return dst;
}
