import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDecodeError, InvalidInputError } from '../../../electron/common/errors';
import { decodeImage, sniffImageFormat, validateRawImage } from '../../../electron/engine/image';
import { sharedFace } from '../../helpers/paths';
import { pngClaiming } from './png-bomb';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-image-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('decodeImage', () => {
  it('decodes by content: deepface/img47.jpg is really WebP', async () => {
    const bytes = fs.readFileSync(sharedFace('deepface/img47.jpg'));
    expect(sniffImageFormat(bytes)).toBe('webp');
    const img = await decodeImage(bytes);
    expect(img.channels).toBe(3);
    expect(img.data.length).toBe(img.width * img.height * 3);
  });

  it('honours EXIF orientation 6: the anti-spoofing samples are stored 640x480 but upright 480x640', async () => {
    const img = await decodeImage(fs.readFileSync(sharedFace('silent-face-anti-spoofing/image_T1.jpg')));
    expect([img.width, img.height]).toEqual([480, 640]);
  });

  it('expands 8-bit grayscale PNG crops to 3 equal channels', async () => {
    const bytes = fs.readFileSync(sharedFace('face-api.js/amy/amy1.png'));
    expect((await sharp(bytes).metadata()).channels).toBe(1);
    const img = await decodeImage(bytes);
    expect([img.width, img.height, img.channels]).toEqual([150, 150, 3]);
    for (let i = 0; i < img.data.length; i += 3 * 97) expect(img.data[i]).toBe(img.data[i + 1]);
  });

  it('shrinks large photos to fit 1280 px', async () => {
    const big = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 9, g: 9, b: 9 } } }).jpeg().toBuffer();
    const img = await decodeImage(big);
    expect([img.width, img.height]).toEqual([1280, 853]);
  });

  it('drops alpha from RGBA PNGs', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } }).png().toBuffer();
    const img = await decodeImage(png);
    expect(img.channels).toBe(3);
    expect(Array.from(img.data.subarray(0, 3))).toEqual([10, 20, 30]);
  });

  it('rejects empty, non-image, truncated and huge input with ImageDecodeError', async () => {
    await expect(decodeImage(new Uint8Array(0))).rejects.toThrow(ImageDecodeError);
    await expect(decodeImage(new Uint8Array(0))).rejects.toThrow(/empty/);
    await expect(decodeImage(Buffer.from('this is not an image at all, just some text'))).rejects.toThrow(/not a JPEG, PNG or WebP/);
    const jpeg = fs.readFileSync(sharedFace('deepface/img1.jpg'));
    await expect(decodeImage(jpeg.subarray(0, 2000))).rejects.toThrow(ImageDecodeError);
    const huge = pngClaiming(20000, 20000);
    const file = path.join(tmp, 'huge.png');
    fs.writeFileSync(file, huge);
    const t0 = Date.now();
    await expect(decodeImage(fs.readFileSync(file))).rejects.toThrow(/megapixel limit/);
    expect(Date.now() - t0).toBeLessThan(5000); // refused from the header, not after decoding 400 MP
  });
});

describe('validateRawImage', () => {
  it('accepts RGB and RGBA Uint8 frames', () => {
    const f = validateRawImage({ width: 2, height: 2, channels: 4, data: new Uint8Array(16) });
    expect(f.channels).toBe(4);
    expect(validateRawImage({ width: 1, height: 1, channels: 3, data: new Uint8ClampedArray(3) }).data).toBeInstanceOf(Uint8Array);
  });

  it('converts float frames of integral 0..255 values', () => {
    const f = validateRawImage({ width: 1, height: 1, channels: 3, data: Float32Array.from([0, 127.6, 255]) });
    expect(Array.from(f.data)).toEqual([0, 128, 255]);
  });

  it('rejects NaN-filled, out-of-range and mis-sized frames and bad dimensions', () => {
    const nan = new Float32Array(12).fill(NaN);
    expect(() => validateRawImage({ width: 2, height: 2, channels: 3, data: nan })).toThrow(InvalidInputError);
    expect(() => validateRawImage({ width: 2, height: 2, channels: 3, data: nan })).toThrow(/NaN/);
    expect(() => validateRawImage({ width: 1, height: 1, channels: 3, data: [0, 300, 0] })).toThrow(/0\.\.255/);
    expect(() => validateRawImage({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) })).toThrow(/expected 2x2x3 = 12/);
    expect(() => validateRawImage({ width: 0, height: 2, channels: 3, data: new Uint8Array(0) })).toThrow(/width/);
    expect(() => validateRawImage({ width: 20000, height: 20000, channels: 3, data: new Uint8Array(3) })).toThrow(/width/);
    expect(() => validateRawImage({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) })).toThrow(/channels/);
    expect(() => validateRawImage({ width: 1, height: 1, channels: 3, data: 'abc' })).toThrow(/Uint8Array/);
    expect(() => validateRawImage(null)).toThrow(/object/);
  });
});
