/**
 * @file Make a fake-webcam video for Chromium (`--use-file-for-fake-video-capture`) from shared
 * face photos with ffmpeg, at test time, into a temp dir (never committed). Each segment is a
 * still photo (or a plain grey "nobody there" frame) shown for some seconds, letterboxed to 640x480.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { sharedFace } from '../../helpers/paths';

/** `rotate: 'cw'` turns a photo stored sideways with EXIF orientation 6 upright (ffmpeg 5 ignores EXIF). */
export type Segment = { readonly face: string; readonly seconds: number; readonly rotate?: 'cw' } | { readonly blank: true; readonly seconds: number };

export const FAKE_CAMERA_FPS = 10;

export function makeFakeCameraVideo(out: string, segments: readonly Segment[]): string {
  const inputs: string[] = [];
  const filters: string[] = [];
  segments.forEach((s, i) => {
    if ('face' in s) {
      inputs.push('-loop', '1', '-framerate', String(FAKE_CAMERA_FPS), '-t', String(s.seconds), '-i', sharedFace(s.face));
      const turn = s.rotate === 'cw' ? 'transpose=1,' : '';
      filters.push(`[${i}:v]${turn}scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${FAKE_CAMERA_FPS},format=yuv420p[v${i}]`);
    } else {
      inputs.push('-f', 'lavfi', '-t', String(s.seconds), '-i', `color=c=0x505a64:s=640x480:r=${FAKE_CAMERA_FPS}`);
      filters.push(`[${i}:v]setsar=1,format=yuv420p[v${i}]`);
    }
  });
  const concat = `${segments.map((_, i) => `[v${i}]`).join('')}concat=n=${segments.length}:v=1:a=0[out]`;
  const r = spawnSync('ffmpeg', ['-y', '-loglevel', 'error', ...inputs, '-filter_complex', [...filters, concat].join(';'), '-map', '[out]', '-pix_fmt', 'yuv420p', out], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`ffmpeg failed (${r.status}): ${r.stderr}`);
  patchY4mHeader(out);
  return out;
}

/** ffmpeg writes "C420mpeg2", which Chromium's Y4M reader rejects; "C420" is the same layout (testrtc.com/y4m-video-chrome). */
export function patchY4mHeader(file: string): void {
  const buf = fs.readFileSync(file);
  const eol = buf.indexOf(0x0a);
  const header = buf.subarray(0, eol).toString('latin1');
  if (!header.startsWith('YUV4MPEG2')) throw new Error(`${file} is not a Y4M file`);
  const fixed = header.replace(/ C420\w+/, ' C420');
  if (fixed === header) return;
  fs.writeFileSync(file, Buffer.concat([Buffer.from(fixed, 'latin1'), buf.subarray(eol)]));
}
