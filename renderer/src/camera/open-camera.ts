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
 */
export async function openCamera(deviceId: string | null): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraOpenError('missing', 'this browser has no camera API');
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        width: { ideal: 640 },
        height: { ideal: 480 },
      },
    });
  } catch (e) {
    throw new CameraOpenError(classifyCameraError(e), e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
}

export function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
