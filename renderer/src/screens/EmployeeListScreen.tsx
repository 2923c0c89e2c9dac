import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmployeeSummary } from '../../../electron/contract/channels';
import { kioskClient } from '../app/kiosk-client';
import { managerCall } from '../app/manager-call';
import { ErrorLine } from '../components/ErrorLine';
import { Keypad } from '../components/Keypad';
import { useKiosk } from '../state/store';

type Dialog = { kind: 'delete'; employee: EmployeeSummary } | { kind: 'pin'; employee: EmployeeSummary; pin: string } | null;

/** Everyone on this terminal, with re-enrol, set PIN and delete (confirmed, then immediate). */
export function EmployeeListScreen() {
  const { t } = useTranslation();
  const setScreen = useKiosk((s) => s.setScreen);
  const [list, setList] = useState<EmployeeSummary[] | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = () =>
    managerCall(kioskClient().listEmployees({}))
      .then((r) => setList(r.employees))
      .catch((e: unknown) => setError(t('common.error', { message: (e as Error).message })));
  useEffect(() => {
    void reload();
    // Load once on mount; actions below reload explicitly.
  }, []);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await fn();
      setNotice(done);
      setDialog(null);
      await reload();
    } catch (e) {
      setError(t('common.error', { message: (e as Error).message }));
    }
  };

  return (
    <div className="employee-list" data-testid="employee-list">
      <h2>{t('employees.title')}</h2>
      {notice ? (
        <p className="notice-line" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorLine message={error} />
      {list && list.length === 0 ? <p className="muted">{t('employees.empty')}</p> : null}
      <ul className="rows">
        {(list ?? []).map((e) => (
          <li key={e.id} className="row">
            <div className="row-main">
              <span className="row-name">{e.name}</span>
              <span className="muted">
                {e.id}
                {e.role === 'manager' ? ` · ${t('employees.manager')}` : ''} · {e.templateCount > 0 ? t('employees.faces', { count: e.templateCount }) : t('employees.noFace')} ·{' '}
                {e.hasPin ? t('employees.hasPin') : t('employees.noPin')}
              </span>
            </div>
            <div className="row-actions">
              <button type="button" className="btn" onClick={() => setScreen({ name: 'manager', tab: 'enrol', enrolFor: e })}>
                {t('employees.reEnrol')}
              </button>
              <button type="button" className="btn" onClick={() => setDialog({ kind: 'pin', employee: e, pin: '' })}>
                {t('employees.setPin')}
              </button>
              <button type="button" className="btn btn-danger" aria-label={`${t('employees.delete')} ${e.name}`} onClick={() => setDialog({ kind: 'delete', employee: e })}>
                {t('employees.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {dialog?.kind === 'delete' ? (
        <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="del-title">
          <div className="modal-box">
            <p id="del-title" className="lead">
              {t('employees.confirmDelete', { name: dialog.employee.name, id: dialog.employee.id })}
            </p>
            <div className="button-row">
              <button type="button" className="btn btn-large btn-secondary" onClick={() => setDialog(null)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="btn btn-large btn-danger"
                onClick={() => void act(() => managerCall(kioskClient().deleteEmployee({ employeeId: dialog.employee.id })), t('employees.deleted', { name: dialog.employee.name }))}
              >
                {t('common.delete')}
              </button>
            </div>
          </div>
        </div>
      ) : null}
      {dialog?.kind === 'pin' ? (
        <div className="modal" role="dialog" aria-modal="true" aria-labelledby="pin-title">
          <div className="modal-box">
            <h3 id="pin-title">{t('employees.newPin', { name: dialog.employee.name })}</h3>
            <Keypad value={dialog.pin} onChange={(pin) => setDialog({ ...dialog, pin })} maxLength={8} label={t('pin.pin')} masked />
            <div className="button-row">
              <button type="button" className="btn btn-large btn-secondary" onClick={() => setDialog(null)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="btn btn-large btn-primary"
                disabled={dialog.pin.length < 4}
                onClick={() => void act(() => managerCall(kioskClient().setPin({ employeeId: dialog.employee.id, pin: dialog.pin })), t('employees.pinSaved', { name: dialog.employee.name }))}
              >
                {t('common.save')}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
