/**
 * @file The kiosk's enrolment sessions over electron/enrolment's EnrolmentService: adds what the
 * screen flow needs — a session id per wizard run (so a stale wizard cannot touch a newer one),
 * consent before any capture, an abandoned-session timeout, and a duplicate warning that stops
 * the commit until the manager confirms.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../common/errors';
import type { EnrolmentService, PossibleDuplicate } from '../enrolment/enrolment-service';
import type { FaceAnalysis } from '../engine/types';

/** Samples per enrolment: several views, each gated for quality and liveness, checked for consistency. */
export const ENROL_SAMPLES = 5;
/** An abandoned session (manager walked away) is dropped after this long. */
export const ENROL_SESSION_TTL_MS = 10 * 60 * 1000;

/** Why a frame was not kept, beyond the engine's quality reasons. */
export type EnrolRejection = 'not_live' | 'inconsistent' | 'other' | null;

interface Session {
  readonly id: string;
  readonly employeeId: string;
  readonly actor: string;
  consent: 'accepted' | null;
  collected: number;
  duplicate: PossibleDuplicate | null;
  readonly startedAt: number;
}

export class EnrolmentSessions {
  private current: Session | null = null;

  constructor(
    private readonly service: EnrolmentService,
    private readonly now: () => number,
  ) {}

  begin(employeeId: string, displayName: string, actor: string): { sessionId: string; needed: number } {
    this.cancelAll();
    this.service.begin(employeeId, displayName, { actor });
    const id = randomUUID();
    this.current = { id, employeeId, actor, consent: null, collected: 0, duplicate: null, startedAt: this.now() };
    return { sessionId: id, needed: ENROL_SAMPLES };
  }

  private get(sessionId: string): Session {
    const s = this.current;
    if (s && this.now() - s.startedAt > ENROL_SESSION_TTL_MS) this.cancelAll();
    if (!this.current || this.current.id !== sessionId) throw new NotFoundError(`no enrolment session ${sessionId} (finished, cancelled or expired)`);
    return this.current;
  }

  consent(sessionId: string, decision: 'accepted' | 'refused', noticeVersion: string): { decision: 'accepted' | 'refused' } {
    const s = this.get(sessionId);
    if (s.consent !== null) throw new ConflictError(`consent was already recorded for this session (${s.consent})`);
    this.service.recordConsent({ decision, noticeVersion, recordedBy: s.actor });
    if (decision === 'refused') this.current = null; // the service ended its session and discarded samples
    else s.consent = 'accepted';
    return { decision };
  }

  addSample(sessionId: string, analysis: FaceAnalysis): { accepted: boolean; collected: number; needed: number; rejection: EnrolRejection } {
    const s = this.get(sessionId);
    if (s.consent !== 'accepted') throw new ConflictError("record the employee's consent before capturing their face");
    const v = this.service.addSample(analysis);
    s.collected = v.samples;
    s.duplicate = v.duplicateOf;
    let rejection: EnrolRejection = null;
    if (!v.accepted) {
      if (v.reasons.includes('not_live')) rejection = 'not_live';
      else if (v.reasons.includes('inconsistent')) rejection = 'inconsistent';
      else if (analysis.quality.ok) rejection = 'other';
    }
    return { accepted: v.accepted, collected: v.samples, needed: ENROL_SAMPLES, rejection };
  }

  /**
   * Store the templates — unless the face already matches another employee and `force` is false:
   * then report the duplicate and keep the session so the manager can confirm or cancel.
   */
  async commit(
    sessionId: string,
    force: boolean,
  ): Promise<{ status: 'committed'; employeeId: string; templates: number } | { status: 'duplicate'; employeeId: string; similarity: number }> {
    const s = this.get(sessionId);
    if (s.consent !== 'accepted') throw new ConflictError("record the employee's consent before enrolling");
    if (s.collected < ENROL_SAMPLES) throw new ConflictError(`only ${s.collected} of ${ENROL_SAMPLES} samples captured`);
    if (s.duplicate && !force) return { status: 'duplicate', ...s.duplicate };
    const r = await this.service.commit();
    this.current = null;
    return { status: 'committed', employeeId: r.employeeId, templates: r.templatesStored };
  }

  cancel(sessionId: string): void {
    if (this.current?.id === sessionId) this.cancelAll();
  }

  cancelAll(): void {
    if (this.current) this.service.cancel();
    this.current = null;
  }
}
