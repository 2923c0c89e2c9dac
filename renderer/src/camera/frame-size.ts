/** Largest frame width sent for processing: YuNet letterboxes to 640x640 anyway, so more pixels buy nothing. */
export const MAX_FRAME_WIDTH = 640;

/** Processing size for a video of the given size: at most MAX_FRAME_WIDTH wide, aspect kept, never upscaled. */
export function frameSizeFor(videoWidth: number, videoHeight: number, maxWidth = MAX_FRAME_WIDTH): { width: number; height: number } {
  if (videoWidth <= 0 || videoHeight <= 0) return { width: 0, height: 0 };
  const scale = Math.min(1, maxWidth / videoWidth);
  return { width: Math.round(videoWidth * scale), height: Math.round(videoHeight * scale) };
}
