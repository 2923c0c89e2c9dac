/**
 * @file What the screens do: thin async functions over the kiosk client that update the store.
 */
import type { Language } from '../../../electron/contract/channels';
import { switchLanguage } from '../i18n';
import { useKiosk } from '../state/store';
import { kioskClient, unwrap } from './kiosk-client';
import { prepareAudio } from './sounds';

export async function refreshStatus(): Promise<void> {
  const status = unwrap(await kioskClient().status({}));
  const s = useKiosk.getState();
  s.setStatus(status);
  s.setManager(status.manager);
}

/** First load: settings, language, status, then the right first screen. */
export async function bootKiosk(): Promise<void> {
  const s = useKiosk.getState();
  prepareAudio();
  try {
    const settings = unwrap(await kioskClient().getSettings({}));
    s.setSettings(settings);
    switchLanguage(settings.language);
    await refreshStatus();
    const status = useKiosk.getState().status!;
    s.setScreen(status.setupRequired ? { name: 'setup' } : { name: 'idle' });
  } catch (e) {
    s.setScreen({ name: 'fatal', message: e instanceof Error ? e.message : String(e) });
  }
}

export async function changeLanguage(language: Language): Promise<void> {
  switchLanguage(language);
  const settings = unwrap(await kioskClient().setLanguage({ language }));
  useKiosk.getState().setSettings(settings);
}

export async function goIdle(): Promise<void> {
  useKiosk.getState().setLastFrame(null);
  useKiosk.getState().setScreen({ name: 'idle' });
  await kioskClient().resetRecognition({});
}

export async function logoutManager(): Promise<void> {
  await kioskClient().managerLogout({});
  useKiosk.getState().setManager(null);
  await goIdle();
}
