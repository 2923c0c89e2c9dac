import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from './ErrorLine';
import { Keypad } from './Keypad';

export interface KeypadStep {
  readonly id: string;
  readonly label: string;
  readonly masked: boolean;
  readonly maxLength: number;
}

interface Props {
  title: string;
  steps: readonly KeypadStep[];
  submitLabel: string;
  /** Resolve to an error message to show, or null when done. */
  onSubmit(values: Record<string, string>): Promise<string | null>;
  onCancel(): void;
}

/**
 * One field at a time with a big on-screen keypad (touch) and a real <input> (hardware keyboard,
 * screen readers). Used for PIN clock-in and manager sign-in.
 */
export function KeypadForm({ title, steps, submitLabel, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const [index, setIndex] = useState(0);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const step = steps[index]!;
  const value = values[step.id] ?? '';
  const last = index === steps.length - 1;
  const setValue = (v: string) => setValues((old) => ({ ...old, [step.id]: v.slice(0, step.maxLength) }));

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (value.length === 0) return;
    if (!last) {
      setIndex(index + 1);
      return;
    }
    setBusy(true);
    const err = await onSubmit(values).finally(() => setBusy(false));
    setError(err);
    if (err) {
      // Start over on the secret, keep the id: retyping an id is not what failed.
      setValues((old) => ({ ...old, [step.id]: '' }));
    }
  };

  return (
    <form className="keypad-form" onSubmit={(e) => void submit(e)}>
      <h1>{title}</h1>
      <label className="field-label" htmlFor={`kf-${step.id}`}>
        {step.label}
      </label>
      <input
        id={`kf-${step.id}`}
        key={step.id}
        className="field-input"
        type={step.masked ? 'password' : 'text'}
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        value={value}
        maxLength={step.maxLength}
        onChange={(e) => setValue(e.target.value)}
      />
      <Keypad value={value} onChange={setValue} maxLength={step.maxLength} label={step.label} masked={step.masked} />
      <ErrorLine message={error} />
      <div className="button-row">
        <button type="button" className="btn btn-large btn-secondary" onClick={() => (index > 0 ? setIndex(index - 1) : onCancel())}>
          {index > 0 ? t('common.back') : t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-large btn-primary" disabled={busy || value.length === 0}>
          {last ? submitLabel : t('common.next')}
        </button>
      </div>
    </form>
  );
}
