import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { refreshStatus } from '../app/actions';
import { CameraPicker } from '../components/CameraPicker';
import { useKiosk } from '../state/store';

/** What IT asks on the phone: which device, which models, is it syncing, does the camera work. */
export function StatusScreen() {
  const { t, i18n } = useTranslation();
  const status = useKiosk((s) => s.status);
  const camera = useKiosk((s) => s.camera);
  useEffect(() => {
    void refreshStatus();
  }, []);
  if (!status) return null;
  const sync = status.sync;
  const syncState = !sync.enabled
    ? t('status.syncDisabled')
    : sync.unauthorized
      ? t('status.syncUnauthorized')
      : sync.online
        ? t('status.syncOnline')
        : t('status.syncOffline');
  const cameraText =
    camera.kind === 'live' ? `${t('status.cameraOk')} (${camera.label})` : camera.kind === 'error' ? t(`camera.${camera.reason}`) : '—';
  const rows: Array<[string, string]> = [
    [t('status.deviceId'), status.deviceId],
    [t('status.tenant'), status.tenantId],
    [t('status.site'), status.siteName],
    [t('status.models'), [status.models.detector, status.models.embedder, ...status.models.liveness].join(', ')],
    [t('status.employees'), String(status.employeeCount)],
    [t('status.enrolled'), String(status.enrolledCount)],
    [t('status.syncState'), syncState],
    [t('status.syncQueue'), String(sync.queueLength)],
    [t('status.lastSync'), sync.lastSuccessAt ? new Date(sync.lastSuccessAt).toLocaleString(i18n.language) : t('status.never')],
    [t('status.deadLetters'), String(sync.deadLetters)],
    [t('status.camera'), cameraText],
    [t('status.inference'), status.inference.ok ? t('status.ok') : t('status.notOk', { detail: status.inference.detail ?? '' })],
  ];
  return (
    <div className="status" data-testid="status-screen">
      <h2>{t('status.title')}</h2>
      <dl className="status-grid">
        {rows.map(([k, v]) => (
          <div key={k} className="status-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <CameraPicker />
    </div>
  );
}
