/**
 * @file Enrolment sessions held in memory by the kiosk service: consent first, then several
 * quality- and liveness-passing samples, then a duplicate check against other employees, then
 * sealed templates replace the employee's old ones in one transaction.
 *
 * Adapter written here because electron/enrolment had not landed when the kiosk was wired; it
 * uses only the real store (templates, consents, tenant keys, audit) and matching modules.
 * Sample embeddings never leave this module and are zero-filled when a session ends.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../common/errors';
import type { FaceAnalysis } from '../engine/types';
import { appendAudit } from '../store/audit';
import { recordConsent } from '../store/consents';
import type { Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';
import { deleteTemplatesOf, storeTemplate } from '../store/templates';
import { ensureTenantKey } from '../store/tenant-keys';
import type { FaceIdentifier } from './ports';

/** Samples per enrolment: several views average out one bad frame (face-pipeline.md §7 gates each). */
export const ENROL_SAMPLES = 5;
/** An abandoned session (manager walked away) is dropped after this long. */
export const ENROL_SESSION_TTL_MS = 10 * 60 * 1000;

interface Sample {
  readonly embedding: Float32Array;
  readonly quality: number;
}

interface Session {
  readonly id: string;
  readonly employeeId: string;
  readonly actor: string;
  consent: 'accepted' | 'refused' | null;
  readonly samples: Sample[];
  readonly startedAt: number;
}

export type SampleVerdict = { accepted: true } | { accepted: false };

export interface EnrolDeps {
  readonly db: Db;
  readonly keys: KeyProvider;
  readonly tenantId: string;
  readonly identifier: FaceIdentifier;
  readonly now: () => number;
}

export class EnrolmentSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly deps: EnrolDeps) {}

  begin(employeeId: string, actor: string): { sessionId: string; needed: number } {
    this.expire();
    const id = randomUUID();
    this.sessions.set(id, { id, employeeId, actor, consent: null, samples: [], startedAt: this.deps.now() });
    return { sessionId: id, needed: ENROL_SAMPLES };
  }

  private get(sessionId: string): Session {
    this.expire();
    const s = this.sessions.get(sessionId);
    if (!s) throw new NotFoundError(`no enrolment session ${sessionId} (finished, cancelled or expired)`);
    return s;
  }

  consent(sessionId: string, decision: 'accepted' | 'refused', noticeVersion: string): { decision: 'accepted' | 'refused' } {
    const s = this.get(sessionId);
    if (s.consent !== null) throw new ConflictError(`consent was already recorded for this session (${s.consent})`);
    const { db } = this.deps;
    db.transaction(() => {
      recordConsent(db, { employeeId: s.employeeId, decision, noticeVersion, recordedBy: s.actor }, new Date(this.deps.now()));
      if (decision === 'refused') {
        // Refusing at re-enrolment means the old templates may not be used either.
        const removed = deleteTemplatesOf(db, s.employeeId);
        if (removed > 0) appendAudit(db, { action: 'templates.erased', actor: s.actor, subject: s.employeeId, details: { templatesRemoved: removed, reason: 'consent refused' } });
      }
    })();
    s.consent = decision;
    if (decision === 'refused') this.drop(s);
    return { decision };
  }

  /** Offer one analysed frame; kept only if quality passed, liveness (when run) says real, and there is an embedding. */
  addSample(sessionId: string, analysis: FaceAnalysis): { accepted: boolean; collected: number; needed: number } {
    const s = this.get(sessionId);
    if (s.consent !== 'accepted') throw new ConflictError('record the employee\'s consent before capturing their face');
    const live = analysis.liveness === null || analysis.liveness.real;
    const subject = analysis.faces[analysis.subject];
    const ok = analysis.quality.ok && live && analysis.embedding !== null && subject !== undefined && s.samples.length < ENROL_SAMPLES;
    if (ok) s.samples.push({ embedding: Float32Array.from(analysis.embedding!), quality: subject.score });
    return { accepted: ok, collected: s.samples.length, needed: ENROL_SAMPLES };
  }

  /**
   * Store the samples as sealed templates (replacing older ones of this employee) unless the face
   * already matches another employee and `force` is false — then report the duplicate and keep
   * the session open so the manager can confirm or cancel.
   */
  async commit(
    sessionId: string,
    modelId: string,
    force: boolean,
  ): Promise<{ status: 'committed'; employeeId: string; templates: number } | { status: 'duplicate'; employeeId: string; similarity: number }> {
    const s = this.get(sessionId);
    if (s.consent !== 'accepted') throw new ConflictError('record the employee\'s consent before enrolling');
    if (s.samples.length < ENROL_SAMPLES) throw new ConflictError(`only ${s.samples.length} of ${ENROL_SAMPLES} samples captured`);
    const { db, identifier } = this.deps;
    let dup: { employeeId: string; similarity: number } | null = null;
    for (const sample of s.samples) {
      const r = identifier.identify(sample.embedding, { excludeEmployeeId: s.employeeId });
      if (r.accepted && r.employeeId && (!dup || r.similarity > dup.similarity)) dup = { employeeId: r.employeeId, similarity: r.similarity };
    }
    if (dup && !force) return { status: 'duplicate', ...dup };
    const dataKey = await ensureTenantKey(db, this.deps.keys, this.deps.tenantId);
    try {
      db.transaction(() => {
        const replaced = deleteTemplatesOf(db, s.employeeId);
        for (const sample of s.samples) {
          storeTemplate(db, dataKey, { employeeId: s.employeeId, tenantId: this.deps.tenantId, modelId, quality: sample.quality, embedding: sample.embedding });
        }
        appendAudit(db, {
          action: 'enrolment.committed',
          actor: s.actor,
          subject: s.employeeId,
          details: { templates: s.samples.length, modelId, replaced, ...(dup ? { duplicateOverride: dup.employeeId, similarity: Number(dup.similarity.toFixed(3)) } : {}) },
        });
      })();
    } finally {
      dataKey.fill(0);
    }
    const templates = s.samples.length;
    this.drop(s);
    await identifier.reload();
    return { status: 'committed', employeeId: s.employeeId, templates };
  }

  cancel(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (s) this.drop(s);
  }

  cancelAll(): void {
    for (const s of [...this.sessions.values()]) this.drop(s);
  }

  private drop(s: Session): void {
    for (const sample of s.samples) sample.embedding.fill(0);
    s.samples.length = 0;
    this.sessions.delete(s.id);
  }

  private expire(): void {
    const now = this.deps.now();
    for (const s of [...this.sessions.values()]) if (now - s.startedAt > ENROL_SESSION_TTL_MS) this.drop(s);
  }
}
