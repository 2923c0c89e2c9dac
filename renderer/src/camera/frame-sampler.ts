/**
 * @file Sample raw RGBA frames from a playing <video> at a fixed rate, one in flight at a time.
 *
 * The pixels are read unmirrored (the preview's mirroring is only a CSS transform), downscaled to
 * at most 640 px wide, handed to `onFrame` and then dropped: no frame is kept, queued or stored.
 * If the previous frame is still being processed the tick is skipped rather than queued, so a
 * slow engine lowers the effective rate instead of building latency.
 */

export interface SampledFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array<ArrayBuffer>;
  /** performance.now() when the pixels were read. */
  readonly capturedAt: number;
}

export const MAX_FRAME_WIDTH = 640;

export function frameSizeFor(videoWidth: number, videoHeight: number, maxWidth = MAX_FRAME_WIDTH): { width: number; height: number } {
  if (videoWidth <= 0 || videoHeight <= 0) return { width: 0, height: 0 };
  const scale = Math.min(1, maxWidth / videoWidth);
  return { width: Math.round(videoWidth * scale), height: Math.round(videoHeight * scale) };
}

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
  let inFlight = false;
  let stopped = false;

  const tick = (): void => {
    if (stopped || inFlight || video.readyState < 2) return;
    const { width, height } = frameSizeFor(video.videoWidth, video.videoHeight);
    if (width === 0) return;
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
      // willReadFrequently keeps the canvas on the CPU, so getImageData does not stall on a GPU readback.
      ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    }
    if (!ctx) return;
    ctx.drawImage(video, 0, 0, width, height);
    const image = ctx.getImageData(0, 0, width, height);
    const frame: SampledFrame = {
      width,
      height,
      data: new Uint8Array(image.data.buffer as ArrayBuffer, image.data.byteOffset, image.data.byteLength),
      capturedAt: performance.now(),
    };
    inFlight = true;
    onFrame(frame)
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
      });
  };

  const timer = window.setInterval(tick, Math.max(1, Math.round(1000 / fps)));
  return {
    stop() {
      stopped = true;
      window.clearInterval(timer);
    },
  };
}
