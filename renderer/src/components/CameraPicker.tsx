import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { restartCamera } from '../app/camera-control';
import { kioskClient } from '../app/kiosk-client';
import { managerCall } from '../app/manager-call';
import { useKiosk } from '../state/store';
import { ErrorLine } from './ErrorLine';

interface Device {
  readonly deviceId: string;
  readonly label: string;
}

/** Manager picks which camera the kiosk opens (settings.kiosk.cameraDeviceId); the camera restarts on it. */
export function CameraPicker() {
  const { t } = useTranslation();
  const settings = useKiosk((s) => s.settings);
  const setSettings = useKiosk((s) => s.setSettings);
  const [devices, setDevices] = useState<Device[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    // Labels are only filled in once camera permission was granted (the kiosk already asked).
    void navigator.mediaDevices
      ?.enumerateDevices()
      .then((all) => setDevices(all.filter((d) => d.kind === 'videoinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || t('status.unnamedCamera', { n: i + 1 }) }))))
      .catch(() => setDevices([]));
  }, [t]);

  const choose = async (deviceId: string | null) => {
    setError(null);
    setSaved(false);
    try {
      setSettings(await managerCall(kioskClient().setCameraDevice({ deviceId })));
      await restartCamera();
      setSaved(true);
    } catch (e) {
      setError(t('common.error', { message: (e as Error).message }));
    }
  };

  const current = settings?.cameraDeviceId ?? null;
  return (
    <div className="camera-picker" role="group" aria-label={t('status.chooseCamera')}>
      <h3>{t('status.chooseCamera')}</h3>
      <div className="button-row">
        <button type="button" className={`btn ${current === null ? 'btn-selected' : ''}`} aria-pressed={current === null} onClick={() => void choose(null)}>
          {t('status.defaultCamera')}
        </button>
        {devices
          .filter((d) => d.deviceId)
          .map((d) => (
            <button key={d.deviceId} type="button" className={`btn ${current === d.deviceId ? 'btn-selected' : ''}`} aria-pressed={current === d.deviceId} onClick={() => void choose(d.deviceId)}>
              {d.label}
            </button>
          ))}
      </div>
      {saved ? (
        <p className="notice-line" role="status">
          {t('status.cameraSaved')}
        </p>
      ) : null}
      <ErrorLine message={error} />
    </div>
  );
}
