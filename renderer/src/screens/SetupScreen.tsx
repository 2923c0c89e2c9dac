import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { refreshStatus } from '../app/actions';
import { kioskClient } from '../app/kiosk-client';
import { ErrorLine } from '../components/ErrorLine';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useKiosk } from '../state/store';

/** First run: nothing else works until a manager exists. */
export function SetupScreen() {
  const { t } = useTranslation();
  const s = useKiosk();
  const [employeeId, setEmployeeId] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pin !== pin2) {
      setError(t('setup.mismatch'));
      return;
    }
    setBusy(true);
    try {
      const r = await kioskClient().setupManager({ employeeId: employeeId.trim(), name: name.trim(), pin });
      if (!r.ok) {
        setError(t('common.error', { message: r.error.message }));
        return;
      }
      s.setManager(r.value);
      await refreshStatus();
      s.setScreen({ name: 'manager', tab: 'home' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="screen form-screen" data-testid="setup-screen">
      <header className="top-bar">
        <LanguageSwitch />
      </header>
      <form className="stack-form" onSubmit={(e) => void submit(e)}>
        <h1>{t('setup.title')}</h1>
        <p className="lead">{t('setup.body')}</p>
        <label className="field-label">
          {t('setup.employeeId')}
          <input className="field-input" name="employeeId" value={employeeId} onChange={(e) => setEmployeeId(e.target.value)} autoComplete="off" required />
        </label>
        <label className="field-label">
          {t('setup.name')}
          <input className="field-input" name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
        </label>
        <label className="field-label">
          {t('setup.pin')}
          <input className="field-input" name="pin" type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} required />
        </label>
        <label className="field-label">
          {t('setup.pinAgain')}
          <input className="field-input" name="pin2" type="password" inputMode="numeric" value={pin2} onChange={(e) => setPin2(e.target.value)} required />
        </label>
        <ErrorLine message={error} />
        <button type="submit" className="btn btn-large btn-primary" disabled={busy}>
          {t('setup.submit')}
        </button>
      </form>
    </main>
  );
}
