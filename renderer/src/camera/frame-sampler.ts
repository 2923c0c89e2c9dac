/**
 * @file Sample raw RGBA frames from a playing <video> at a fixed rate, one in flight at a time.
 *
 * The pixels are read unmirrored (the preview's mirroring is only a CSS transform), downscaled to
 * at most 640 px wide, handed to `onFrame` and then overwritten by the next frame: no frame is
 * kept, queued or stored.
 * If the previous frame is still being processed the tick is skipped rather than queued, so a
 * slow engine lowers the effective rate instead of building latency.
 */
import { frameSizeFor } from './frame-size';

export interface SampledFrame {
  readonly width: number;
  readonly height: number;
  /** Reused between frames: consumers must send or copy it before their promise resolves. */
  readonly data: Uint8Array<ArrayBuffer>;
  /** performance.now() when the pixels were read. */
  readonly capturedAt: number;
}

/** Performance mark: recognition frames start flowing (the e2e run counts long tasks after it). */
export const MARK_SAMPLING_STARTED = 'kiosk:sampling-started';

export interface FrameSampler {
  stop(): void;
}

export function startFrameSampler(
  video: HTMLVideoElement,
  fps: number,
  onFrame: (frame: SampledFrame) => Promise<void>,
): FrameSampler {
  let canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  let ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null = null;
  // One reused pixel buffer: a fresh 1.2 MB ImageData per frame at 8 fps made the garbage
  // collector block the UI for 60-90 ms every few seconds (measured in the e2e run).
  let buffer: Uint8Array<ArrayBuffer> | null = null;
  let inFlight = false;
  let stopped = false;

  /** Read pixels: VideoFrame.copyTo straight into the reused buffer when no scaling is needed, else a canvas. */
  const readPixels = async (width: number, height: number): Promise<Uint8Array<ArrayBuffer> | null> => {
    const bytes = width * height * 4;
    if (!buffer || buffer.byteLength !== bytes) buffer = new Uint8Array(bytes);
    if (typeof VideoFrame !== 'undefined' && width === video.videoWidth && height === video.videoHeight) {
      const vf = new VideoFrame(video);
      try {
        await vf.copyTo(buffer, { format: 'RGBA' });
        return buffer;
      } catch {
        // Older Chromium without RGBA conversion in copyTo: fall through to the canvas path.
      } finally {
        vf.close();
      }
    }
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
      // willReadFrequently keeps the canvas on the CPU, so getImageData does not stall on a GPU readback.
      ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    }
    if (!ctx) return null;
    ctx.drawImage(video, 0, 0, width, height);
    buffer.set(ctx.getImageData(0, 0, width, height).data);
    return buffer;
  };

  const tick = (): void => {
    if (stopped || inFlight || video.readyState < 2) return;
    const { width, height } = frameSizeFor(video.videoWidth, video.videoHeight);
    if (width === 0) return;
    inFlight = true;
    const capturedAt = performance.now();
    readPixels(width, height)
      .then((data) => (data && !stopped ? onFrame({ width, height, data, capturedAt }) : undefined))
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
      });
  };

  performance.mark(MARK_SAMPLING_STARTED);
  const timer = window.setInterval(tick, Math.max(1, Math.round(1000 / fps)));
  return {
    stop() {
      stopped = true;
      window.clearInterval(timer);
    },
  };
}
