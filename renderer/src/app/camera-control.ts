/**
 * @file Keep one camera stream for the whole app and reflect its health in the store:
 * unplugging ends the track → "unplugged" screen; retry re-opens the configured device.
 */
import { CameraOpenError, openCamera, stopStream } from '../camera/open-camera';
import { useKiosk } from '../state/store';

let opening: Promise<void> | null = null;

export function startCamera(): Promise<void> {
  const { camera, settings, setCamera } = useKiosk.getState();
  if (camera.kind === 'live') return Promise.resolve();
  if (opening) return opening;
  setCamera({ kind: 'starting' });
  opening = openCamera(settings?.cameraDeviceId ?? null)
    .then((stream) => {
      const track = stream.getVideoTracks()[0];
      track?.addEventListener('ended', () => {
        stopStream(stream);
        useKiosk.getState().setCamera({ kind: 'error', reason: 'unplugged', detail: 'video track ended' });
      });
      setCamera({ kind: 'live', stream, label: track?.label ?? 'camera' });
    })
    .catch((e: unknown) => {
      const reason = e instanceof CameraOpenError ? e.reason : 'failed';
      setCamera({ kind: 'error', reason, detail: e instanceof Error ? e.message : String(e) });
    })
    .finally(() => {
      opening = null;
    });
  return opening;
}

/** After the manager picks another camera: close the current stream and open the configured one. */
export async function restartCamera(): Promise<void> {
  stopCamera();
  await startCamera();
}

export function stopCamera(): void {
  const { camera, setCamera } = useKiosk.getState();
  if (camera.kind === 'live') stopStream(camera.stream);
  setCamera({ kind: 'off' });
}
