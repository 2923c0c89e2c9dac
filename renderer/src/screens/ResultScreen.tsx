import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Punch } from '../../../electron/contract/channels';
import { goIdle } from '../app/actions';
import { greetingKey } from '../app/greeting';
import { kioskClient } from '../app/kiosk-client';
import { MARK_RESULT_SHOWN } from './IdleScreen';

/** Card stays at least this long even when undo is off, so people can read it. */
const MIN_SHOW_MS = 4000;

interface Props {
  employeeName: string;
  punch: Punch;
  similarity: number | null;
}

/** "Good morning, Ana — clocked in 08:02", with undo while the window lasts, then back to idle. */
export function ResultScreen({ employeeName, punch, similarity }: Props) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const [undone, setUndone] = useState(false);
  const [shownAt] = useState(() => Date.now());
  const undoUntil = punch.undoUntil ? Date.parse(punch.undoUntil) : 0;
  const closeAt = Math.max(shownAt + MIN_SHOW_MS, undoUntil);

  useEffect(() => {
    performance.mark(MARK_RESULT_SHOWN);
  }, []);
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(id);
  }, []);
  useEffect(() => {
    if (now >= closeAt) void goIdle();
  }, [now, closeAt]);

  const at = new Date(punch.at);
  const time = at.toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });
  const secondsLeft = Math.max(0, Math.ceil((undoUntil - now) / 1000));
  const undo = async () => {
    const r = await kioskClient().undoPunch({ eventId: punch.eventId });
    if (r.ok) setUndone(true);
  };

  return (
    <main className="screen message-screen result-screen" data-testid="result-card">
      <div className={`result-card ${undone ? 'result-undone' : 'result-ok'}`} role="status" aria-live="assertive">
        <div className="big-icon" aria-hidden="true">
          {undone ? '↺' : '✓'}
        </div>
        <h1 className="result-name">
          {t(`greeting.${greetingKey(new Date())}`)}, {employeeName}
        </h1>
        <p className="result-line">
          {undone ? t('result.undone') : punch.repeated ? t('result.repeated', { time }) : t(`result.${punch.type}`, { time })}
        </p>
        {similarity !== null ? <p className="result-detail">{t('result.similarity', { percent: Math.round(similarity * 100) })}</p> : null}
      </div>
      {!undone && !punch.repeated && secondsLeft > 0 ? (
        <button type="button" className="btn btn-large btn-secondary" onClick={() => void undo()}>
          {t('result.undo', { seconds: secondsLeft })}
        </button>
      ) : null}
    </main>
  );
}
