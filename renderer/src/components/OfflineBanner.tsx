import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state/store';

/** Offline is normal: a thin banner, never a blocking dialog — punches are stored locally first. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const sync = useKiosk((s) => s.status?.sync);
  if (!sync || !sync.enabled || sync.online) return null;
  return (
    <div className="offline-banner" role="status">
      {t('offline')}
    </div>
  );
}
