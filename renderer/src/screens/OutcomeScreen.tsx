import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { goIdle } from '../app/actions';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useKiosk } from '../state/store';

/** After this long with no tap, the message clears itself. */
const AUTO_IDLE_MS = 10_000;

/**
 * "Not recognised" and the deliberately neutral "could not verify" (suspected spoof: we do not
 * tell an attacker which check failed). Both offer retry or PIN.
 */
export function OutcomeScreen({ kind }: { kind: 'unknown' | 'not_verified' }) {
  const { t } = useTranslation();
  const setScreen = useKiosk((s) => s.setScreen);
  useEffect(() => {
    const id = window.setTimeout(() => void goIdle(), AUTO_IDLE_MS);
    return () => window.clearTimeout(id);
  }, []);
  const title = kind === 'unknown' ? t('unknown.title') : t('notVerified.title');
  const body = kind === 'unknown' ? t('unknown.body') : t('notVerified.body');
  return (
    <main className="screen message-screen" data-testid={`outcome-${kind}`}>
      <header className="top-bar top-bar-floating">
        <LanguageSwitch />
      </header>
      <div className="big-icon" aria-hidden="true">
        ?
      </div>
      <h1 role="alert">{title}</h1>
      <p className="lead">{body}</p>
      <div className="button-row">
        <button type="button" className="btn btn-large" onClick={() => void goIdle()}>
          {t('unknown.retry')}
        </button>
        <button type="button" className="btn btn-large btn-primary" onClick={() => setScreen({ name: 'pin' })}>
          {t('unknown.usePin')}
        </button>
      </div>
    </main>
  );
}
