import { useTranslation } from 'react-i18next';
import { goIdle } from '../app/actions';
import { kioskClient } from '../app/kiosk-client';
import { playFailureCue, playSuccessCue } from '../app/sounds';
import { KeypadForm } from '../components/KeypadForm';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useKiosk } from '../state/store';

/** PIN clock-in on equal terms with the face path (the non-biometric alternative consent needs). */
export function PinScreen() {
  const { t } = useTranslation();
  const setScreen = useKiosk((s) => s.setScreen);
  return (
    <main className="screen form-screen" data-testid="pin-screen">
      <header className="top-bar">
        <LanguageSwitch />
      </header>
      <KeypadForm
        title={t('pin.title')}
        steps={[
          { id: 'employeeId', label: t('pin.enterId'), masked: false, maxLength: 32 },
          { id: 'pin', label: t('pin.enterPin'), masked: true, maxLength: 8 },
        ]}
        submitLabel={t('pin.submit')}
        onCancel={() => void goIdle()}
        onSubmit={async ({ employeeId = '', pin = '' }) => {
          const r = await kioskClient().pinPunch({ employeeId, pin });
          if (!r.ok) {
            playFailureCue();
            return t('common.error', { message: r.error.message });
          }
          const v = r.value;
          if (v.outcome === 'punched') {
            playSuccessCue();
            setScreen({ name: 'result', employeeId: v.employeeId, employeeName: v.name, punch: v.punch, similarity: null });
            return null;
          }
          playFailureCue();
          if (v.outcome === 'locked') return t('pin.locked', { minutes: Math.max(1, Math.ceil(v.retryAfterSeconds / 60)) });
          return t('pin.rejected', { count: v.attemptsLeft });
        }}
      />
    </main>
  );
}
