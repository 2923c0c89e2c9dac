import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentNotice, EmployeeSummary, EnrolFrameResult, Language } from '../../../electron/contract/channels';
import type { SampledFrame } from '../camera/frame-sampler';
import { startCamera } from '../app/camera-control';
import { kioskClient } from '../app/kiosk-client';
import { managerCall } from '../app/manager-call';
import { playFailureCue, playSuccessCue } from '../app/sounds';
import { CameraView } from '../components/CameraView';
import { ErrorLine } from '../components/ErrorLine';
import { useKiosk } from '../state/store';

type Step =
  | { name: 'pick' }
  | { name: 'consent'; employee: EmployeeSummary; sessionId: string; needed: number; notice: ConsentNotice }
  | { name: 'capture'; employee: EmployeeSummary; sessionId: string; needed: number }
  | { name: 'saving'; employee: EmployeeSummary; sessionId: string }
  | { name: 'duplicate'; employee: EmployeeSummary; sessionId: string; dupName: string; dupId: string; similarity: number }
  | { name: 'refused'; employee: EmployeeSummary }
  | { name: 'done'; employee: EmployeeSummary };

/** Pick/create → consent notice (accept/refuse, recorded) → guided capture → duplicate check → done. */
export function EnrolWizard({ preset }: { preset: EmployeeSummary | null }) {
  const { t, i18n } = useTranslation();
  const [step, setStep] = useState<Step>({ name: 'pick' });
  const [error, setError] = useState<string | null>(null);
  const session = useRef<string | null>(null);

  const fail = (e: unknown) => {
    playFailureCue();
    setError(t('common.error', { message: e instanceof Error ? e.message : String(e) }));
  };

  const begin = useCallback(
    async (employee: EmployeeSummary) => {
      setError(null);
      try {
        const { sessionId, needed } = await managerCall(kioskClient().enrolBegin({ employeeId: employee.id }));
        session.current = sessionId;
        const notice = await managerCall(kioskClient().consentNotice({ language: i18n.language as Language }));
        setStep({ name: 'consent', employee, sessionId, needed, notice });
      } catch (e) {
        fail(e);
      }
    },
    [i18n.language],
  );

  useEffect(() => {
    if (preset) void begin(preset);
    return () => {
      // Leaving the wizard half-way drops the session and any samples held in memory.
      if (session.current) void kioskClient().enrolCancel({ sessionId: session.current });
    };
  }, []);

  const finish = (next: Step) => {
    session.current = null;
    setStep(next);
  };

  const commit = async (employee: EmployeeSummary, sessionId: string, force: boolean) => {
    setStep({ name: 'saving', employee, sessionId });
    try {
      const r = await managerCall(kioskClient().enrolCommit({ sessionId, force }));
      if (r.status === 'committed') {
        playSuccessCue();
        finish({ name: 'done', employee });
      } else {
        playFailureCue();
        setStep({ name: 'duplicate', employee, sessionId, dupName: r.duplicate.name, dupId: r.duplicate.employeeId, similarity: r.duplicate.similarity });
      }
    } catch (e) {
      fail(e);
    }
  };

  const cancel = async () => {
    if (session.current) await kioskClient().enrolCancel({ sessionId: session.current });
    finish({ name: 'pick' });
  };

  return (
    <div className="wizard" data-testid="enrol-wizard" data-step={step.name}>
      {step.name === 'pick' ? <PickEmployee onPick={(e) => void begin(e)} onError={fail} /> : null}
      {step.name === 'consent' ? (
        <div className="consent">
          <h2>{t('enrol.consentTitle')}</h2>
          <p className="muted">{t('enrol.consentVersion', { version: step.notice.version })}</p>
          <article className="notice" aria-label={step.notice.title}>
            <h3>{step.notice.title}</h3>
            {step.notice.body.split(/\n\s*\n/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </article>
          <p className="lead">{t('enrol.consentAsk', { name: step.employee.name })}</p>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-large btn-secondary"
              onClick={() =>
                void managerCall(kioskClient().enrolConsent({ sessionId: step.sessionId, decision: 'refused', noticeVersion: step.notice.version }))
                  .then(() => finish({ name: 'refused', employee: step.employee }))
                  .catch(fail)
              }
            >
              {t('enrol.refuse')}
            </button>
            <button
              type="button"
              className="btn btn-large btn-primary"
              onClick={() =>
                void managerCall(kioskClient().enrolConsent({ sessionId: step.sessionId, decision: 'accepted', noticeVersion: step.notice.version }))
                  .then(() => setStep({ name: 'capture', employee: step.employee, sessionId: step.sessionId, needed: step.needed }))
                  .catch(fail)
              }
            >
              {t('enrol.accept')}
            </button>
          </div>
        </div>
      ) : null}
      {step.name === 'capture' ? (
        <Capture
          sessionId={step.sessionId}
          needed={step.needed}
          onComplete={() => void commit(step.employee, step.sessionId, false)}
          onCancel={() => void cancel()}
          onError={fail}
        />
      ) : null}
      {step.name === 'saving' ? <p className="lead" role="status">{t('enrol.saving')}</p> : null}
      {step.name === 'duplicate' ? (
        <div className="duplicate" role="alertdialog" aria-labelledby="dup-title">
          <h2 id="dup-title">{t('enrol.duplicateTitle')}</h2>
          <p className="lead">{t('enrol.duplicateBody', { name: step.dupName, id: step.dupId, percent: Math.round(step.similarity * 100) })}</p>
          <div className="button-row">
            <button type="button" className="btn btn-large btn-secondary" onClick={() => void cancel()}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn btn-large btn-danger" onClick={() => void commit(step.employee, step.sessionId, true)}>
              {t('enrol.enrolAnyway')}
            </button>
          </div>
        </div>
      ) : null}
      {step.name === 'refused' || step.name === 'done' ? (
        <div className="done" role="status">
          <div className="big-icon" aria-hidden="true">
            {step.name === 'done' ? '✓' : 'ℹ'}
          </div>
          <h2>{step.name === 'done' ? t('enrol.doneTitle') : t('enrol.consentTitle')}</h2>
          <p className="lead">{step.name === 'done' ? t('enrol.doneBody', { name: step.employee.name }) : t('enrol.refused', { name: step.employee.name })}</p>
          <button type="button" className="btn btn-large btn-primary" onClick={() => finish({ name: 'pick' })}>
            {t('common.done')}
          </button>
        </div>
      ) : null}
      <ErrorLine message={error} />
    </div>
  );
}

function PickEmployee({ onPick, onError }: { onPick(e: EmployeeSummary): void; onError(e: unknown): void }) {
  const { t } = useTranslation();
  const [list, setList] = useState<EmployeeSummary[] | null>(null);
  const [employeeId, setEmployeeId] = useState('');
  const [name, setName] = useState('');
  useEffect(() => {
    managerCall(kioskClient().listEmployees({}))
      .then((r) => setList(r.employees))
      .catch(onError);
  }, []);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onPick(await managerCall(kioskClient().createEmployee({ employeeId: employeeId.trim(), name: name.trim(), role: 'employee' })));
    } catch (err) {
      onError(err);
    }
  };
  return (
    <div className="pick">
      <h2>{t('enrol.pickTitle')}</h2>
      {list && list.length > 0 ? (
        <>
          <h3>{t('enrol.pickExisting')}</h3>
          <div className="pick-list">
            {list.map((e) => (
              <button key={e.id} type="button" className="btn pick-item" onClick={() => onPick(e)}>
                <span className="pick-name">{e.name}</span> <span className="muted">{e.id}</span>
              </button>
            ))}
          </div>
        </>
      ) : null}
      <form className="stack-form" onSubmit={(e) => void create(e)}>
        <h3>{t('enrol.createNew')}</h3>
        <label className="field-label">
          {t('enrol.employeeId')}
          <input className="field-input" name="employeeId" value={employeeId} onChange={(e) => setEmployeeId(e.target.value)} autoComplete="off" required />
        </label>
        <label className="field-label">
          {t('enrol.name')}
          <input className="field-input" name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
        </label>
        <button type="submit" className="btn btn-large btn-primary">
          {t('enrol.create')}
        </button>
      </form>
    </div>
  );
}

function Capture(props: { sessionId: string; needed: number; onComplete(): void; onCancel(): void; onError(e: unknown): void }) {
  const { t } = useTranslation();
  const camera = useKiosk((s) => s.camera);
  const fps = useKiosk((s) => s.settings?.sampleFps ?? 8);
  const [last, setLast] = useState<EnrolFrameResult | null>(null);
  const completed = useRef(false);
  const { sessionId, onComplete, onError } = props;

  useEffect(() => {
    if (camera.kind === 'off') void startCamera();
  }, [camera.kind]);

  const onFrame = useCallback(
    async (frame: SampledFrame) => {
      if (completed.current) return;
      try {
        const r = await managerCall(kioskClient().enrolAddFrame({ sessionId, frame: { width: frame.width, height: frame.height, data: frame.data } }));
        setLast(r);
        if (r.collected >= r.needed && !completed.current) {
          completed.current = true;
          onComplete();
        }
      } catch (e) {
        completed.current = true;
        onError(e);
      }
    },
    [sessionId, onComplete, onError],
  );

  const collected = last?.collected ?? 0;
  const needed = last?.needed ?? props.needed;
  const reason = last && !last.accepted ? last.reasons[0] : undefined;
  const rejection = last && !last.accepted && !reason && last.rejection && last.rejection !== 'other' ? last.rejection : null;
  return (
    <div className="capture">
      <h2>{t('enrol.captureTitle')}</h2>
      <p className="muted">{t('enrol.captureHelp')}</p>
      <div className="camera-slot">
        {camera.kind === 'live' ? (
          <CameraView stream={camera.stream} fps={fps} onFrame={onFrame} face={last?.face ?? null} faceOk={last?.accepted ?? false} label={camera.label} />
        ) : camera.kind === 'error' ? (
          <p className="error-line" role="alert">
            {t(`camera.${camera.reason}`)}
          </p>
        ) : (
          <div className="camera-view camera-placeholder" />
        )}
      </div>
      <p className="guidance" role="status">
        {reason ? t(`guidance.${reason}`) : rejection === 'not_live' ? t('enrol.notLive') : rejection === 'inconsistent' ? t('enrol.inconsistent') : t('guidance.holdStill')}
      </p>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={needed} aria-valuenow={collected} aria-label={t('enrol.progress', { collected, needed })}>
        <div className="progress-fill" style={{ width: `${Math.min(100, (collected / needed) * 100)}%` }} />
      </div>
      <p className="progress-text">{t('enrol.progress', { collected, needed })}</p>
      <button type="button" className="btn btn-large btn-secondary" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
