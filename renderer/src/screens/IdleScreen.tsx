import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FrameResult } from '../../../electron/contract/channels';
import type { SampledFrame } from '../camera/frame-sampler';
import { CameraView } from '../components/CameraView';
import { Clock } from '../components/Clock';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { kioskClient } from '../app/kiosk-client';
import { playFailureCue, playSuccessCue } from '../app/sounds';
import { startCamera } from '../app/camera-control';
import { useKiosk } from '../state/store';
import { CameraErrorScreen } from './CameraErrorScreen';

/** Performance marks the e2e run reads to measure face-enters-frame → result card. */
export const MARK_FACE_SEEN = 'kiosk:face-seen';
export const MARK_RESULT_SHOWN = 'kiosk:result-shown';

function handleResult(result: FrameResult, frame: SampledFrame): void {
  const s = useKiosk.getState();
  if (s.screen.name !== 'idle') return; // the person already moved on (PIN, manager)
  const prev = s.lastFrame;
  const hadFace = prev !== null && prev.face !== null;
  if (result.face && !hadFace) {
    performance.clearMarks(MARK_FACE_SEEN);
    performance.mark(MARK_FACE_SEEN, { startTime: frame.capturedAt });
  }
  s.setLastFrame(result);
  switch (result.kind) {
    case 'guidance':
      return;
    case 'recognized':
      playSuccessCue();
      s.setScreen({ name: 'result', employeeId: result.employeeId, employeeName: result.name, punch: result.punch, similarity: result.similarity });
      return;
    case 'unknown':
      playFailureCue();
      s.setScreen({ name: 'unknown' });
      return;
    case 'not_verified':
      playFailureCue();
      s.setScreen({ name: 'not_verified' });
      return;
  }
}

/** Consecutive failed frames (engine restarting, crashed or refusing) before the screen says so and points to the PIN. */
export const ENGINE_FAILURES_BEFORE_NOTICE = 3;

/** Attract screen (clock, site) that turns into live guidance as soon as a face is seen. */
export function IdleScreen() {
  const { t } = useTranslation();
  const camera = useKiosk((s) => s.camera);
  const settings = useKiosk((s) => s.settings);
  const last = useKiosk((s) => s.lastFrame);
  const setScreen = useKiosk((s) => s.setScreen);
  const [engineDown, setEngineDown] = useState(false);
  const failures = useRef(0);

  useEffect(() => {
    if (camera.kind === 'off') void startCamera();
  }, [camera.kind]);

  const onFrame = useCallback(async (frame: SampledFrame) => {
    const r = await kioskClient().processFrame({ frame: { width: frame.width, height: frame.height, data: frame.data } });
    // The frame's pixels are not referenced past this point (dropped after use).
    if (r.ok) {
      failures.current = 0;
      setEngineDown(false);
      handleResult(r.value, frame);
    } else {
      // The inference process restarts by itself; meanwhile people must not stare at stale guidance.
      failures.current += 1;
      if (failures.current >= ENGINE_FAILURES_BEFORE_NOTICE) setEngineDown(true);
    }
  }, []);

  if (camera.kind === 'error') return <CameraErrorScreen reason={camera.reason} />;

  const guidance = last?.kind === 'guidance' && last.face ? last : null;
  let message = t('idle.prompt');
  if (engineDown) {
    message = t('idle.engineUnavailable');
  } else if (guidance) {
    const reason = guidance.reasons[0];
    message = reason ? t(`guidance.${reason}`) : t('guidance.holdStill');
  }

  return (
    <main className="screen idle-screen" aria-live="polite">
      <header className="top-bar">
        <LanguageSwitch />
      </header>
      <Clock siteName={settings?.siteName ?? ''} />
      <div className="camera-slot">
        {camera.kind === 'live' ? (
          <CameraView
            stream={camera.stream}
            fps={settings?.sampleFps ?? 8}
            onFrame={onFrame}
            face={last?.face ?? null}
            faceOk={guidance !== null && guidance.reasons.length === 0}
            label={camera.label}
          />
        ) : (
          <div className="camera-view camera-placeholder" />
        )}
      </div>
      <p className={`guidance ${guidance || engineDown ? 'guidance-active' : ''}`} role="status" data-testid="guidance">
        {message}
      </p>
      {!engineDown && guidance && guidance.reasons.length === 0 ? (
        <p className="guidance-progress">{t('guidance.progress', { agreeing: guidance.agreeing, needed: guidance.needed })}</p>
      ) : null}
      <footer className="bottom-bar">
        <button type="button" className="btn btn-large" onClick={() => setScreen({ name: 'pin' })}>
          {t('idle.usePin')}
        </button>
        <button type="button" className="btn btn-large btn-secondary" onClick={() => setScreen({ name: 'managerLogin' })}>
          {t('idle.manager')}
        </button>
      </footer>
    </main>
  );
}
