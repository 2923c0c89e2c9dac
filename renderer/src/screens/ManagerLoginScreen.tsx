import { useTranslation } from 'react-i18next';
import { goIdle } from '../app/actions';
import { kioskClient } from '../app/kiosk-client';
import { KeypadForm } from '../components/KeypadForm';
import { useKiosk } from '../state/store';

export function ManagerLoginScreen() {
  const { t } = useTranslation();
  const s = useKiosk();
  return (
    <main className="screen form-screen" data-testid="manager-login">
      <KeypadForm
        title={t('login.title')}
        steps={[
          { id: 'employeeId', label: t('setup.employeeId'), masked: false, maxLength: 32 },
          { id: 'pin', label: t('pin.enterPin'), masked: true, maxLength: 8 },
        ]}
        submitLabel={t('login.submit')}
        onCancel={() => void goIdle()}
        onSubmit={async ({ employeeId = '', pin = '' }) => {
          const r = await kioskClient().managerLogin({ employeeId, pin });
          if (!r.ok) return t('common.error', { message: r.error.message });
          const v = r.value;
          if (v.outcome === 'ok') {
            s.setManager(v.session);
            s.setScreen({ name: 'manager', tab: 'home' });
            return null;
          }
          if (v.outcome === 'locked') return t('login.locked', { minutes: Math.max(1, Math.ceil(v.retryAfterSeconds / 60)) });
          return t('login.rejected', { count: v.attemptsLeft });
        }}
      />
    </main>
  );
}
