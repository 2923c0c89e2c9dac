/**
 * @file i18next set up for the kiosk: English and Spanish bundled (no network, no backend
 * plugin — the kiosk is offline-first), switchable at runtime from the screen.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../electron/contract/channels';
import { en } from './en';
import { es } from './es';

export const RESOURCES = { en: { translation: en }, es: { translation: es } } as const;

export function initI18n(language: Language = 'en'): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: RESOURCES,
    lng: language,
    fallbackLng: 'en',
    // React already escapes text; double escaping would show "&amp;" in names.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return i18next;
}

export function switchLanguage(language: Language): void {
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
