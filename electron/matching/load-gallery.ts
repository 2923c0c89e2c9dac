/**
 * @file Build the gallery at start: unwrap the tenant's data key, decrypt every template of the
 * active model straight into the gallery matrix, skip (and report) rows that fail authentication,
 * and report templates of other models as needing re-enrolment — they are never compared, since
 * embeddings from different models live in unrelated spaces.
 */
import { NotFoundError, TamperedDataError } from '../common/errors';
import type { Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';
import { openTemplateWithAad, templateAadBuilder } from '../store/template-seal';
import { countTemplates, countTemplatesByModel, forEachSealedTemplate, listEmployeesNeedingReenrolment, type ModelTemplateCount } from '../store/templates';
import { unwrapTenantKey } from '../store/tenant-keys';
import { Gallery } from './gallery';

export interface TamperedTemplate {
  readonly templateId: string;
  readonly employeeId: string;
  readonly reason: string;
}

export interface GalleryReport {
  readonly modelId: string;
  readonly templates: number;
  readonly employees: number;
  /** Rows that failed to open; skipped, left in the database untouched for investigation. */
  readonly tampered: readonly TamperedTemplate[];
  /** Template counts of other models in this tenant (not loaded). */
  readonly otherModels: readonly ModelTemplateCount[];
  /** Employees whose templates are all from another model: they must re-enrol. */
  readonly needsReenrolment: readonly string[];
  readonly millis: number;
}

export interface LoadGalleryOptions {
  readonly db: Db;
  readonly keys: KeyProvider;
  readonly tenantId: string;
  readonly modelId: string;
  readonly dim: number;
  readonly simd?: boolean;
}

/**
 * Load the active model's gallery. Throws KeyError for a wrong key (nothing is decrypted); never
 * throws for a bad row — it is reported in `tampered`.
 */
export async function loadGallery(opts: LoadGalleryOptions): Promise<{ gallery: Gallery; report: GalleryReport }> {
  const t0 = performance.now();
  const { db, tenantId, modelId } = opts;
  const gallery = new Gallery(modelId, opts.dim, opts.simd === undefined ? {} : { simd: opts.simd });
  let dataKey: Buffer | null = null;
  try {
    dataKey = await unwrapTenantKey(db, opts.keys, tenantId);
  } catch (e) {
    // No key yet and nothing sealed: an empty, valid gallery. Templates without a key were shredded.
    if (!(e instanceof NotFoundError)) throw e;
  }
  const tampered: TamperedTemplate[] = [];
  gallery.reserve(countTemplates(db, tenantId, modelId));
  const aadOf = templateAadBuilder(tenantId, modelId);
  const expectedBytes = opts.dim * 4 + 16;
  forEachSealedTemplate(db, tenantId, modelId, (row) => {
    if (!dataKey) {
      tampered.push({ templateId: row.templateId, employeeId: row.employeeId, reason: 'no data key for this tenant (crypto-shredded)' });
      return;
    }
    const key = dataKey;
    try {
      gallery.addWith(row.employeeId, row.templateId, (into) => {
        if (row.ciphertext.length !== expectedBytes) {
          throw new TamperedDataError(`template ${row.templateId} has ${(row.ciphertext.length - 16) / 4} dimensions, the model has ${opts.dim}`);
        }
        openTemplateWithAad(key, row, aadOf(row.employeeId, row.templateId), row, into);
      });
    } catch (e) {
      tampered.push({ templateId: row.templateId, employeeId: row.employeeId, reason: (e as Error).message });
    }
  });
  tampered.sort((a, b) => (a.employeeId === b.employeeId ? a.templateId.localeCompare(b.templateId) : a.employeeId.localeCompare(b.employeeId)));
  dataKey?.fill(0);
  const report: GalleryReport = {
    modelId,
    templates: gallery.size,
    employees: gallery.employeeCount,
    tampered,
    otherModels: countTemplatesByModel(db, tenantId).filter((c) => c.modelId !== modelId),
    needsReenrolment: listEmployeesNeedingReenrolment(db, tenantId, modelId),
    millis: performance.now() - t0,
  };
  return { gallery, report };
}
