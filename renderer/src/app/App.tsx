import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { OfflineBanner } from '../components/OfflineBanner';
import { IdleScreen } from '../screens/IdleScreen';
import { ManagerLoginScreen } from '../screens/ManagerLoginScreen';
import { ManagerScreen } from '../screens/ManagerScreen';
import { OutcomeScreen } from '../screens/OutcomeScreen';
import { PinScreen } from '../screens/PinScreen';
import { ResultScreen } from '../screens/ResultScreen';
import { SetupScreen } from '../screens/SetupScreen';
import { useKiosk } from '../state/store';
import { bootKiosk, refreshStatus } from './actions';

/** Status (sync queue, offline banner) refresh period. Clocking in never waits for it. */
const STATUS_POLL_MS = 15_000;

export function App() {
  const { t } = useTranslation();
  const screen = useKiosk((s) => s.screen);
  useEffect(() => {
    void bootKiosk();
    const id = window.setInterval(() => void refreshStatus().catch(() => undefined), STATUS_POLL_MS);
    return () => window.clearInterval(id);
  }, []);

  let body;
  switch (screen.name) {
    case 'loading':
      body = (
        <main className="screen message-screen">
          <p className="lead">{t('app.loading')}</p>
        </main>
      );
      break;
    case 'fatal':
      body = (
        <main className="screen message-screen" role="alert">
          <h1>{t('common.error', { message: '' })}</h1>
          <p className="lead">{screen.message}</p>
          <button type="button" className="btn btn-large" onClick={() => void bootKiosk()}>
            {t('common.retry')}
          </button>
        </main>
      );
      break;
    case 'setup':
      body = <SetupScreen />;
      break;
    case 'idle':
      body = <IdleScreen />;
      break;
    case 'result':
      body = <ResultScreen employeeName={screen.employeeName} punch={screen.punch} similarity={screen.similarity} />;
      break;
    case 'unknown':
    case 'not_verified':
      body = <OutcomeScreen kind={screen.name} />;
      break;
    case 'pin':
      body = <PinScreen />;
      break;
    case 'managerLogin':
      body = <ManagerLoginScreen />;
      break;
    case 'manager':
      body = <ManagerScreen screen={screen} />;
      break;
  }
  return (
    <div className="app">
      <OfflineBanner />
      {body}
    </div>
  );
}
