/**
 * @file Camera-like frames for the kiosk service tests: a shared face photo, upright (EXIF),
 * letterboxed into 640x480 RGBA like a webcam frame, decoded with sharp. Read from ../shared,
 * never copied into the project.
 */
import sharp from 'sharp';
import { sharedFace } from '../../helpers/paths';

export interface TestFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const cache = new Map<string, TestFrame>();

export async function cameraFrameOf(rel: string): Promise<TestFrame> {
  const hit = cache.get(rel);
  if (hit) return hit;
  const { data, info } = await sharp(sharedFace(rel))
    .rotate()
    .resize(640, 480, { fit: 'contain', background: '#000' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const frame = { width: info.width, height: info.height, data: new Uint8Array(data) };
  cache.set(rel, frame);
  return frame;
}

/** A fresh copy: the service wipes every frame it is given. */
export function copyFrame(f: TestFrame): TestFrame {
  return { width: f.width, height: f.height, data: Uint8Array.from(f.data) };
}
