import { useTranslation } from 'react-i18next';
import { startCamera } from '../app/camera-control';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useKiosk } from '../state/store';

/** Full-screen, plain-language camera failure. The PIN path stays one tap away. */
export function CameraErrorScreen({ reason }: { reason: 'denied' | 'missing' | 'unplugged' | 'failed' }) {
  const { t } = useTranslation();
  const setScreen = useKiosk((s) => s.setScreen);
  return (
    <main className="screen message-screen camera-error" data-testid="camera-error">
      <header className="top-bar top-bar-floating">
        <LanguageSwitch />
      </header>
      <div className="big-icon" aria-hidden="true">
        ⚠
      </div>
      <h1 role="alert">{t(`camera.${reason}`)}</h1>
      <p className="lead">{t('camera.help')}</p>
      <div className="button-row">
        <button type="button" className="btn btn-large" onClick={() => void startCamera()}>
          {t('camera.retry')}
        </button>
        <button type="button" className="btn btn-large btn-primary" onClick={() => setScreen({ name: 'pin' })}>
          {t('camera.usePin')}
        </button>
      </div>
    </main>
  );
}
