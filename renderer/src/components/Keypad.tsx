import { useTranslation } from 'react-i18next';

interface Props {
  value: string;
  onChange(value: string): void;
  maxLength: number;
  /** Screen-reader label of the field being typed into. */
  label: string;
  masked?: boolean;
}

/** On-screen numeric keypad: 96 px keys for gloved fingers and a coffee in the other hand. */
export function Keypad({ value, onChange, maxLength, label, masked = false }: Props) {
  const { t } = useTranslation();
  const press = (d: string) => {
    if (value.length < maxLength) onChange(value + d);
  };
  return (
    <div className="keypad-wrap">
      <output className="keypad-display" aria-label={label} aria-live="polite">
        {masked ? '•'.repeat(value.length) : value}
        <span className="keypad-caret" aria-hidden="true" />
      </output>
      <div className="keypad" role="group" aria-label={label}>
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <button key={d} type="button" className="key" onClick={() => press(d)}>
            {d}
          </button>
        ))}
        <button type="button" className="key key-fn" aria-label={t('common.clear')} onClick={() => onChange('')}>
          C
        </button>
        <button type="button" className="key" onClick={() => press('0')}>
          0
        </button>
        <button type="button" className="key key-fn" aria-label={t('common.erase')} onClick={() => onChange(value.slice(0, -1))}>
          ⌫
        </button>
      </div>
    </div>
  );
}
