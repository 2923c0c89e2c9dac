import { useEffect, useRef } from 'react';
import type { FaceBox } from '../../../electron/contract/channels';
import { startFrameSampler, type SampledFrame } from '../camera/frame-sampler';

interface Props {
  stream: MediaStream;
  fps: number;
  /** Called with each sampled (unmirrored) frame; the sampler waits for the promise before the next. */
  onFrame: ((frame: SampledFrame) => Promise<void>) | null;
  face: FaceBox | null;
  faceOk: boolean;
  label: string;
}

/**
 * The live preview, mirrored with CSS so it behaves like a mirror for the person in front of it.
 * Sampling reads the <video> element itself, so processing always sees the unmirrored image; the
 * face box (in unmirrored fractions) is flipped here to line up with the mirrored preview.
 */
export function CameraView({ stream, fps, onFrame, face, faceOk, label }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    if (v.srcObject !== stream) v.srcObject = stream;
    void v.play().catch(() => undefined);
  }, [stream]);
  useEffect(() => {
    const v = video.current;
    if (!v || !onFrame) return;
    const sampler = startFrameSampler(v, fps, onFrame);
    return () => sampler.stop();
  }, [fps, onFrame]);
  return (
    <div className="camera-view" aria-label={label}>
      <video ref={video} className="camera-video mirrored" muted playsInline autoPlay />
      {face ? (
        <div
          className={`face-box ${faceOk ? 'face-ok' : 'face-warn'}`}
          aria-hidden="true"
          style={{
            left: `${(1 - face.x - face.width) * 100}%`,
            top: `${face.y * 100}%`,
            width: `${face.width * 100}%`,
            height: `${face.height * 100}%`,
          }}
        />
      ) : null}
    </div>
  );
}
