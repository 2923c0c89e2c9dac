/** Why the camera is unavailable, in the terms the full-screen message uses. */
export type CameraFailure = 'denied' | 'missing' | 'unplugged' | 'failed';

/** DOMException names from the Media Capture spec (getUserMedia) → what we tell the user. */
export function classifyCameraError(err: unknown): CameraFailure {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'missing';
    default:
      return 'failed';
  }
}
