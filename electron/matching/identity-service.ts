/**
 * @file The identity service the app runs (main process): one object that owns the live gallery
 * and keeps it in step with the database — identification, enrolment, deletion, consent withdrawal
 * and the retention purge (at start and daily). The shell wires IPC handlers to these methods;
 * embeddings arrive from the inference process and never leave this process.
 */
import { createEnrolmentService, type EnrolmentService, type EnrolmentServiceOptions } from '../enrolment/enrolment-service';
import type { Db } from '../store/database';
import { findEmployee } from '../store/employees';
import { deleteEmployee, purgeExpiredTemplates, withdrawConsent, type DeletedEmployee, type PurgeResult } from '../store/erasure';
import type { KeyProvider } from '../store/key-provider';
import type { Gallery } from './gallery';
import { loadGallery, type GalleryReport } from './load-gallery';
import { identifyProbe, type Identification, type OpenSetPolicy } from './open-set';
import { resolveOpenSetPolicy } from './policy';

const DAY_MS = 86_400_000;

export interface IdentityServiceOptions {
  readonly db: Db;
  readonly keys: KeyProvider;
  readonly tenantId: string;
  /** The active embedder: manifest id, output dimension and 1:1 default threshold. */
  readonly embedder: { readonly id: string; readonly dim: number; readonly defaultThreshold: number };
  /** settings.recognition (threshold, minMargin). */
  readonly recognition: { threshold?: number | undefined; minMargin?: number | undefined };
  /** settings.retention.inactiveDays. */
  readonly inactiveDays: number;
  readonly clock?: () => Date;
  /** Enrolment options passed through (minSamples, maxSamples, consistencyBound, requireLiveness). */
  readonly enrolment?: Pick<EnrolmentServiceOptions, 'minSamples' | 'maxSamples' | 'consistencyBound' | 'requireLiveness'>;
}

export interface NamedIdentification extends Identification {
  /** Display name of the matched employee (null for unknown). */
  readonly name: string | null;
}

export interface IdentityService {
  readonly gallery: Gallery;
  readonly policy: OpenSetPolicy;
  /** What the start-up load found: counts, tampered rows skipped, employees needing re-enrolment. */
  readonly report: GalleryReport;
  /** The purge run at start. */
  readonly startupPurge: PurgeResult;
  identify(embedding: Float32Array): NamedIdentification;
  readonly enrolment: EnrolmentService;
  deleteEmployee(employeeId: string, actor: string | null, reason?: string): DeletedEmployee;
  withdrawConsent(employeeId: string, noticeVersion: string, actor: string | null): number;
  /** Run the retention purge now (also runs daily while started). */
  purgeExpired(): PurgeResult;
  /** Stop the daily purge and zero the gallery. */
  close(): void;
}

/** Load the gallery, purge expired templates, and start the daily purge. */
export async function startIdentityService(o: IdentityServiceOptions): Promise<IdentityService> {
  const clock = o.clock ?? (() => new Date());
  const policy = resolveOpenSetPolicy(o.recognition, { id: o.embedder.id, defaultThreshold: o.embedder.defaultThreshold });
  // Purge first so expired templates are never decrypted.
  const startupPurge = purgeExpiredTemplates(o.db, clock(), o.inactiveDays);
  const { gallery, report } = await loadGallery({ db: o.db, keys: o.keys, tenantId: o.tenantId, modelId: o.embedder.id, dim: o.embedder.dim });
  const enrolment = createEnrolmentService({ db: o.db, keys: o.keys, tenantId: o.tenantId, gallery, policy, clock, ...(o.enrolment ?? {}) });

  const purgeExpired = (): PurgeResult => {
    const r = purgeExpiredTemplates(o.db, clock(), o.inactiveDays);
    for (const id of r.employees) gallery.removeEmployee(id);
    return r;
  };
  const timer = setInterval(() => {
    try {
      purgeExpired();
    } catch {
      // A failed daily run (e.g. database busy) is retried the next day; startup also runs it.
    }
  }, DAY_MS);
  timer.unref?.();

  return {
    gallery,
    policy,
    report,
    startupPurge,
    enrolment,
    identify(embedding) {
      const id = identifyProbe(gallery, embedding, policy);
      return { ...id, name: id.employeeId ? (findEmployee(o.db, id.employeeId)?.displayName ?? null) : null };
    },
    deleteEmployee(employeeId, actor, reason) {
      const r = deleteEmployee(o.db, employeeId, { actor, now: clock(), ...(reason !== undefined ? { reason } : {}) });
      gallery.removeEmployee(employeeId);
      return r;
    },
    withdrawConsent(employeeId, noticeVersion, actor) {
      const n = withdrawConsent(o.db, employeeId, noticeVersion, actor, clock());
      gallery.removeEmployee(employeeId);
      return n;
    },
    purgeExpired,
    close() {
      clearInterval(timer);
      gallery.clear();
    },
  };
}
