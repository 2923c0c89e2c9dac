/**
 * @file Image input: encoded bytes (JPEG/PNG/WebP, detected by content) and raw camera frames
 * become one `RawImage` shape. Decoding uses sharp (libvips), never a hand-written codec.
 */
import sharp from 'sharp';
import { ImageDecodeError, InvalidInputError } from '../common/errors';
import type { RawImage } from './types';

/**
 * Refuse images above this many pixels before decoding them, so a 20000x20000 bomb fails fast
 * with ImageDecodeError instead of allocating 1.2 GB. 50 MP still admits any camera photo.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Decoded photos are shrunk to fit this side. Faces in such photos stay far above the 112 px
 * the embedder needs, and the detector's letterbox would shrink them anyway (YuNet's useful
 * face range is ~10–300 px at network input, face-pipeline.md §1).
 */
export const MAX_DECODED_SIDE = 1280;

/** Largest raw frame side accepted from a camera or IPC (4K UHD cameras deliver 3840x2160). */
export const MAX_FRAME_SIDE = 4096;

const MAGIC: ReadonlyArray<{ format: string; test: (b: Uint8Array) => boolean }> = [
  { format: 'jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { format: 'png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  {
    format: 'webp',
    test: (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50,
  },
];

/** Which of the accepted formats the bytes are, by their magic number (file names lie: deepface/img47.jpg is WebP). */
export function sniffImageFormat(bytes: Uint8Array): 'jpeg' | 'png' | 'webp' | null {
  for (const m of MAGIC) if (bytes.length >= 12 && m.test(bytes)) return m.format as 'jpeg' | 'png' | 'webp';
  return null;
}

/**
 * Decode JPEG/PNG/WebP bytes into 8-bit RGB, upright per EXIF orientation, grayscale expanded
 * to three channels, alpha dropped, shrunk to fit MAX_DECODED_SIDE.
 */
export async function decodeImage(bytes: Uint8Array, opts: { maxSide?: number } = {}): Promise<RawImage> {
  if (!(bytes instanceof Uint8Array)) throw new InvalidInputError('image bytes must be a Uint8Array');
  if (bytes.length === 0) throw new ImageDecodeError('image is empty (0 bytes)');
  const format = sniffImageFormat(bytes);
  if (!format) throw new ImageDecodeError('not a JPEG, PNG or WebP image (unrecognised file signature)');
  const maxSide = opts.maxSide ?? MAX_DECODED_SIDE;
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true })
      .rotate() // EXIF orientation: the anti-spoofing samples are stored sideways with orientation 6
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageDecodeError(`decoder produced ${info.channels} channels, expected 3`);
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (e) {
    if (e instanceof ImageDecodeError) throw e;
    const msg = (e as Error).message ?? String(e);
    if (/pixel limit/i.test(msg)) {
      throw new ImageDecodeError(`image is larger than the ${MAX_INPUT_PIXELS / 1e6} megapixel limit; refusing to decode it`);
    }
    throw new ImageDecodeError(`cannot decode ${format.toUpperCase()} image: ${msg.split('\n')[0]}`);
  }
}

/**
 * Validate a raw frame arriving across a boundary (IPC, the inference protocol). Accepts a
 * Uint8Array/Uint8ClampedArray/Buffer, or a plain number array / Float32Array whose every value
 * must be a finite integer 0..255 (frames may be serialised as floats; NaN is refused).
 */
export function validateRawImage(input: unknown): RawImage {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('frame must be an object {width, height, channels, data}');
  const o = input as Record<string, unknown>;
  const { width, height, channels } = o;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || width > MAX_FRAME_SIDE) {
    throw new InvalidInputError(`frame width must be an integer 1..${MAX_FRAME_SIDE}, got ${String(width)}`);
  }
  if (typeof height !== 'number' || !Number.isInteger(height) || height < 1 || height > MAX_FRAME_SIDE) {
    throw new InvalidInputError(`frame height must be an integer 1..${MAX_FRAME_SIDE}, got ${String(height)}`);
  }
  if (channels !== 3 && channels !== 4) throw new InvalidInputError(`frame channels must be 3 (RGB) or 4 (RGBA), got ${String(channels)}`);
  const expected = width * height * channels;
  const d = o.data;
  let data: Uint8Array;
  if (d instanceof Uint8Array || d instanceof Uint8ClampedArray) {
    data = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  } else if (d instanceof Float32Array || d instanceof Float64Array || Array.isArray(d)) {
    const src = d as ArrayLike<unknown>;
    if (src.length !== expected) throw new InvalidInputError(`frame data has ${src.length} values, expected ${width}x${height}x${channels} = ${expected}`);
    data = new Uint8Array(expected);
    for (let i = 0; i < expected; i++) {
      const v = src[i];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 255) {
        throw new InvalidInputError(`frame data value at ${i} is ${String(v)}; pixels must be finite numbers 0..255`);
      }
      data[i] = Math.round(v);
    }
  } else {
    throw new InvalidInputError('frame data must be a Uint8Array (or an array of numbers 0..255)');
  }
  if (data.length !== expected) throw new InvalidInputError(`frame data has ${data.length} bytes, expected ${width}x${height}x${channels} = ${expected}`);
  return { width, height, channels, data };
}
