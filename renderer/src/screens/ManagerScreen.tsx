import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { logoutManager } from '../app/actions';
import { kioskClient } from '../app/kiosk-client';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useKiosk, type Screen } from '../state/store';
import { EmployeeListScreen } from './EmployeeListScreen';
import { EnrolWizard } from './EnrolWizard';
import { StatusScreen } from './StatusScreen';

/** Tell the service about activity at most this often (its own timer is the authority). */
const PING_EVERY_MS = 10_000;
/** Show the countdown this long before auto-logout. */
const WARN_SECONDS = 15;

type ManagerScreenState = Extract<Screen, { name: 'manager' }>;

/** Manager mode: enrolment, employees, status; signs out by itself after inactivity. */
export function ManagerScreen({ screen }: { screen: ManagerScreenState }) {
  const { t } = useTranslation();
  const s = useKiosk();
  const idleSeconds = s.settings?.managerIdleSeconds ?? 120;
  const lastActivity = useRef(Date.now());
  const lastPing = useRef(Date.now());
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const onActivity = () => {
      lastActivity.current = Date.now();
      if (Date.now() - lastPing.current > PING_EVERY_MS) {
        lastPing.current = Date.now();
        void kioskClient()
          .managerPing({})
          .then((r) => {
            if (r.ok && r.value === null) void logoutManager();
          });
      }
    };
    window.addEventListener('pointerdown', onActivity);
    window.addEventListener('keydown', onActivity);
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      window.removeEventListener('pointerdown', onActivity);
      window.removeEventListener('keydown', onActivity);
      window.clearInterval(id);
    };
  }, []);

  const left = Math.ceil(idleSeconds - (now - lastActivity.current) / 1000);
  useEffect(() => {
    if (left <= 0) void logoutManager();
  }, [left]);

  const tab = (name: ManagerScreenState['tab']) => s.setScreen({ name: 'manager', tab: name });
  const tabs: Array<[ManagerScreenState['tab'], string]> = [
    ['enrol', t('manager.enrol')],
    ['employees', t('manager.employees')],
    ['status', t('manager.status')],
  ];

  return (
    <main className="screen manager-screen" data-testid="manager-screen">
      <header className="manager-bar">
        <h1>{t('manager.title', { name: s.manager?.name ?? '' })}</h1>
        <LanguageSwitch />
        <button type="button" className="btn btn-small btn-secondary" onClick={() => void logoutManager()}>
          {t('manager.logout')}
        </button>
      </header>
      {left <= WARN_SECONDS ? (
        <div className="idle-warning" role="alert">
          {t('manager.autoLogout', { seconds: Math.max(0, left) })}
        </div>
      ) : null}
      <nav className="tabs" aria-label={t('manager.title', { name: '' })}>
        {tabs.map(([name, label]) => (
          <button key={name} type="button" className={`btn tab ${screen.tab === name ? 'btn-selected' : ''}`} aria-current={screen.tab === name ? 'page' : undefined} onClick={() => tab(name)}>
            {label}
          </button>
        ))}
      </nav>
      <section className="manager-body">
        {screen.tab === 'enrol' ? <EnrolWizard key={screen.enrolFor?.id ?? 'new'} preset={screen.enrolFor ?? null} /> : null}
        {screen.tab === 'employees' ? <EmployeeListScreen /> : null}
        {screen.tab === 'status' ? <StatusScreen /> : null}
        {screen.tab === 'home' ? (
          <div className="home-tiles">
            {tabs.map(([name, label]) => (
              <button key={name} type="button" className="btn tile" onClick={() => tab(name)}>
                {label}
              </button>
            ))}
          </div>
        ) : null}
      </section>
    </main>
  );
}
