import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../electron/contract/channels';
import { changeLanguage } from '../app/actions';

/** Always-visible language toggle; each button is labelled in its own language. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t('common.language')}>
      {LANGUAGES.map((lng: Language) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          className={`btn btn-small ${i18n.language === lng ? 'btn-selected' : ''}`}
          aria-pressed={i18n.language === lng}
          onClick={() => void changeLanguage(lng)}
        >
          {t(`lang.${lng}`)}
        </button>
      ))}
    </div>
  );
}
