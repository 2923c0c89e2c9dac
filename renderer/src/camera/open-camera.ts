/**
 * @file Open the configured camera and classify why it failed, so the UI can say "denied",
 * "missing" or "unplugged" instead of a raw DOMException.
 */
import { classifyCameraError, type CameraFailure } from './camera-errors';

export class CameraOpenError extends Error {
  constructor(
    readonly reason: CameraFailure,
    message: string,
  ) {
    super(message);
    this.name = 'CameraOpenError';
  }
}

/**
 * getUserMedia with the chosen device (settings.kiosk.cameraDeviceId) or the default one.
 * 640x480 is plenty: YuNet letterboxes every frame to 640x640 anyway.
 * A chosen device that is gone (unplugged, or its id changed — Chromium's ids are per profile)
 * falls back to the default camera rather than leaving the kiosk without a camera.
 */
export async function openCamera(deviceId: string | null): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraOpenError('missing', 'this browser has no camera API');
  const open = (id: string | null) =>
    navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { ...(id ? { deviceId: { exact: id } } : {}), width: { ideal: 640 }, height: { ideal: 480 } },
    });
  try {
    return await open(deviceId);
  } catch (e) {
    if (deviceId && classifyCameraError(e) === 'missing') return openCamera(null);
    throw new CameraOpenError(classifyCameraError(e), e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
}

export function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
