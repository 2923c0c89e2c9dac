import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Large wall clock for the attract screen; updates every second. */
export function Clock({ siteName }: { siteName: string }) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(id);
  }, []);
  return (
    <div className="clock" aria-label={t('idle.clock')}>
      <time className="clock-time" dateTime={now.toISOString()}>
        {now.toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })}
      </time>
      <div className="clock-date">{now.toLocaleDateString(i18n.language, { weekday: 'long', day: 'numeric', month: 'long' })}</div>
      <div className="site-name">{siteName}</div>
    </div>
  );
}
