/**
 * @file Enrolment: gather several quality-passing embeddings of one person, check they are
 * self-consistent, warn when the face already matches someone else, require recorded consent,
 * then seal and store the templates and add them to the live gallery.
 *
 * - Input is FaceAnalysis (from the inference process): never a frame. Embeddings are copied into
 *   the session and zeroed when it ends (commit, cancel, refusal); nothing is written before commit.
 * - Self-consistency: each sample must reach `consistencyBound` cosine to the mean of the others
 *   (default: the identification threshold — a sample the matcher would not accept as this person
 *   does not belong in their gallery). A sample failing it against the set so far is rejected.
 * - Re-enrolment replaces the employee's templates (every model), since a new enrolment is the
 *   person's current face.
 * One session at a time per service: the kiosk enrols one person at a time.
 */
import { InvalidInputError, UnauthorizedError } from '../common/errors';
import type { FaceAnalysis, QualityReason } from '../engine/types';
import type { Gallery } from '../matching/gallery';
import type { OpenSetPolicy } from '../matching/open-set';
import { appendAudit } from '../store/audit';
import { latestConsent, recordConsent, type ConsentDecision } from '../store/consents';
import type { Db } from '../store/database';
import { createEmployee, findEmployee, renameEmployee, type EmployeeRole } from '../store/employees';
import type { KeyProvider } from '../store/key-provider';
import { storeTemplate, type TemplateRecord } from '../store/templates';
import { ensureTenantKey } from '../store/tenant-keys';
import { assertEmployeeId, normalizeDisplayName } from '../store/validate';

export interface EnrolmentServiceOptions {
  readonly db: Db;
  readonly keys: KeyProvider;
  readonly tenantId: string;
  /** The live gallery of the active model; its modelId and dim are the enrolment's. */
  readonly gallery: Gallery;
  readonly policy: OpenSetPolicy;
  /** Samples needed before commit (default 3). */
  readonly minSamples?: number;
  /** Samples kept at most; later ones are ignored (default 5). */
  readonly maxSamples?: number;
  /** Cosine each sample needs to the mean of the others (default policy.threshold). */
  readonly consistencyBound?: number;
  /** Reject samples whose liveness verdict says "not real" (default true; photos via CLI pass liveness:false). */
  readonly requireLiveness?: boolean;
  readonly clock?: () => Date;
}

export type SampleRejection = QualityReason | 'no_embedding' | 'wrong_model' | 'not_live' | 'inconsistent' | 'full';

export interface PossibleDuplicate {
  readonly employeeId: string;
  readonly similarity: number;
}

export interface SampleVerdict {
  readonly accepted: boolean;
  /** Why the sample was not used (quality reasons come from the engine's verdict). */
  readonly reasons: readonly SampleRejection[];
  readonly samples: number;
  readonly needed: number;
  /** Enough samples and consistent: commit() would store templates (once consent is recorded). */
  readonly ready: boolean;
  /** Another employee this face already matches (warning; commit still allowed). */
  readonly duplicateOf: PossibleDuplicate | null;
}

export interface CommitResult {
  readonly employeeId: string;
  readonly templatesStored: number;
  readonly templatesReplaced: number;
  readonly duplicateOf: PossibleDuplicate | null;
  readonly created: boolean;
}

export interface EnrolmentService {
  /** Start a session for a new or existing employee (name is validated now, stored at commit). */
  begin(employeeId: string, displayName: string, opts?: { role?: EmployeeRole; actor?: string | null }): void;
  addSample(analysis: FaceAnalysis): SampleVerdict;
  /** Record the person's decision. A refusal is stored and ends the session (samples discarded). */
  recordConsent(c: { decision: Extract<ConsentDecision, 'accepted' | 'refused'>; noticeVersion: string; recordedBy?: string | null }): void;
  /** Seal and store the samples (unwraps the tenant key, so async). */
  commit(): Promise<CommitResult>;
  cancel(): void;
  /** True while a session is open. */
  readonly active: boolean;
}

interface Session {
  employeeId: string;
  displayName: string;
  role: EmployeeRole | undefined;
  actor: string | null;
  samples: Float32Array[];
  qualities: number[];
  consent: 'accepted' | null;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    s += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return s / Math.sqrt(na * nb);
}

function meanOf(vs: readonly Float32Array[], skip = -1): Float32Array {
  const m = new Float32Array(vs[0]!.length);
  vs.forEach((v, k) => {
    if (k !== skip) for (let i = 0; i < m.length; i += 1) m[i]! += v[i]!;
  });
  return m;
}

/** Each sample's cosine to the mean of the others (the self-consistency measure). */
export function leaveOneOutConsistency(samples: readonly Float32Array[]): number[] {
  if (samples.length < 2) return samples.map(() => 1);
  return samples.map((s, k) => cosine(s, meanOf(samples, k)));
}

export function createEnrolmentService(o: EnrolmentServiceOptions): EnrolmentService {
  const minSamples = o.minSamples ?? 3;
  const maxSamples = o.maxSamples ?? 5;
  const bound = o.consistencyBound ?? o.policy.threshold;
  const clock = o.clock ?? (() => new Date());
  if (!Number.isInteger(minSamples) || minSamples < 1) throw new InvalidInputError('minSamples must be an integer ≥ 1');
  if (!Number.isInteger(maxSamples) || maxSamples < minSamples) throw new InvalidInputError('maxSamples must be an integer ≥ minSamples');
  let s: Session | null = null;

  const open = (): Session => {
    if (!s) throw new InvalidInputError('no enrolment in progress: call begin(employeeId, name) first');
    return s;
  };

  const end = (): void => {
    if (s) for (const v of s.samples) v.fill(0);
    s = null;
  };

  const duplicateOf = (sess: Session): PossibleDuplicate | null => {
    if (sess.samples.length === 0) return null;
    const ranked = o.gallery.rankEmployees(meanOf(sess.samples), 3);
    const other = ranked.find((r) => r.employeeId !== sess.employeeId);
    return other && other.similarity >= o.policy.threshold ? { employeeId: other.employeeId, similarity: other.similarity } : null;
  };

  const verdict = (sess: Session, accepted: boolean, reasons: SampleRejection[]): SampleVerdict => ({
    accepted,
    reasons,
    samples: sess.samples.length,
    needed: minSamples,
    ready: sess.samples.length >= minSamples,
    duplicateOf: duplicateOf(sess),
  });

  return {
    get active() {
      return s !== null;
    },

    begin(employeeId, displayName, opts = {}) {
      assertEmployeeId(employeeId);
      const name = normalizeDisplayName(displayName);
      const existing = findEmployee(o.db, employeeId);
      if (existing && existing.tenantId !== o.tenantId) throw new InvalidInputError(`employee ${employeeId} belongs to another tenant`);
      end();
      s = { employeeId, displayName: name, role: opts.role, actor: opts.actor ?? null, samples: [], qualities: [], consent: null };
    },

    addSample(analysis) {
      const sess = open();
      if (sess.samples.length >= maxSamples) return verdict(sess, false, ['full']);
      if (!analysis || typeof analysis !== 'object' || !analysis.quality) throw new InvalidInputError('addSample needs a FaceAnalysis');
      if (!analysis.quality.ok) return verdict(sess, false, analysis.quality.reasons.length ? [...analysis.quality.reasons] : ['no_face']);
      if (analysis.modelId !== o.gallery.modelId) return verdict(sess, false, ['wrong_model']);
      const emb = analysis.embedding;
      if (!(emb instanceof Float32Array) || emb.length !== o.gallery.dim) return verdict(sess, false, ['no_embedding']);
      if ((o.requireLiveness ?? true) && analysis.liveness && !analysis.liveness.real) return verdict(sess, false, ['not_live']);
      const copy = Float32Array.from(emb);
      if (sess.samples.length > 0 && cosine(copy, meanOf(sess.samples)) < bound) {
        copy.fill(0);
        return verdict(sess, false, ['inconsistent']);
      }
      sess.samples.push(copy);
      sess.qualities.push(analysis.faces[analysis.subject]?.score ?? 0);
      return verdict(sess, true, []);
    },

    recordConsent(c) {
      const sess = open();
      if (c.decision !== 'accepted' && c.decision !== 'refused') throw new InvalidInputError(`consent decision must be accepted or refused, got ${JSON.stringify(c.decision)}`);
      recordConsent(o.db, { employeeId: sess.employeeId, decision: c.decision, noticeVersion: c.noticeVersion, recordedBy: c.recordedBy ?? sess.actor }, clock());
      if (c.decision === 'refused') {
        appendAudit(o.db, { action: 'enrolment.refused', actor: c.recordedBy ?? sess.actor, subject: sess.employeeId, details: { samplesDiscarded: sess.samples.length } });
        end();
        return;
      }
      sess.consent = 'accepted';
    },

    async commit() {
      const sess = open();
      if (sess.consent !== 'accepted' && latestConsent(o.db, sess.employeeId)?.decision !== 'accepted') {
        throw new UnauthorizedError(`consent of ${sess.employeeId} is not recorded: record an accepted consent before storing face templates`);
      }
      if (sess.samples.length < minSamples) {
        throw new InvalidInputError(`enrolment of ${sess.employeeId} needs ${minSamples} good samples, has ${sess.samples.length}`);
      }
      const loo = leaveOneOutConsistency(sess.samples);
      const worst = Math.min(...loo);
      if (worst < bound) {
        throw new InvalidInputError(`the samples do not look like one person (consistency ${worst.toFixed(3)} < ${bound}); start again`);
      }
      const dup = duplicateOf(sess);
      const now = clock();
      // Key unwrap is async; do it before the (synchronous) transaction.
      const key = await ensureTenantKey(o.db, o.keys, o.tenantId, now);
      if (s !== sess) throw new InvalidInputError('the enrolment was cancelled while committing');
      try {
        return commitWithKey(sess, key, dup, now);
      } finally {
        key.fill(0);
      }
    },

    cancel() {
      if (s) appendAudit(o.db, { action: 'enrolment.cancelled', actor: s.actor, subject: s.employeeId, details: { samplesDiscarded: s.samples.length } });
      end();
    },
  };

  function commitWithKey(sess: Session, key: Buffer, dup: PossibleDuplicate | null, now: Date): CommitResult {
    let created = false;
    let replaced = 0;
    const stored: TemplateRecord[] = [];
    o.db.transaction(() => {
      const existing = findEmployee(o.db, sess.employeeId);
      if (!existing) {
        createEmployee(o.db, { id: sess.employeeId, tenantId: o.tenantId, displayName: sess.displayName, ...(sess.role ? { role: sess.role } : {}) }, sess.actor, now);
        created = true;
      } else if (existing.displayName !== sess.displayName) {
        renameEmployee(o.db, sess.employeeId, sess.displayName, sess.actor, now);
      }
      replaced = o.db.prepare('DELETE FROM templates WHERE employee_id = ?').run(sess.employeeId).changes;
      sess.samples.forEach((emb, i) => {
        stored.push(storeTemplate(o.db, key, { employeeId: sess.employeeId, tenantId: o.tenantId, modelId: o.gallery.modelId, quality: sess.qualities[i]!, embedding: emb }, now));
      });
      appendAudit(o.db, {
        action: 'enrolment.committed',
        actor: sess.actor,
        subject: sess.employeeId,
        details: { templates: stored.length, replaced, modelId: o.gallery.modelId, possibleDuplicateOf: dup?.employeeId ?? null },
        at: now.toISOString(),
      });
    })();
    // Only after the database committed: swap the person's rows in the live gallery.
    o.gallery.removeEmployee(sess.employeeId);
    stored.forEach((t, i) => o.gallery.add(sess.employeeId, t.id, sess.samples[i]!));
    const result: CommitResult = { employeeId: sess.employeeId, templatesStored: stored.length, templatesReplaced: replaced, duplicateOf: dup, created };
    end();
    return result;
  }
}
