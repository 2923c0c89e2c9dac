/**
 * @file Build the gallery at start: unwrap the tenant's data key, decrypt every template of the
 * active model straight into the gallery matrix, skip (and report) rows that fail authentication,
 * and report templates of other models as needing re-enrolment — they are never compared, since
 * embeddings from different models live in unrelated spaces.
 */
import { KeyError, NotFoundError } from '../common/errors';
import type { Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';
import { DATA_KEY_BYTES, decryptSealedBlob, templateAadBuilder, templateAadParts } from '../store/template-seal';
import { countOtherModelTemplates, countTemplates, iterateSealedBlobs, listEmployeesNeedingReenrolment, type ModelTemplateCount } from '../store/templates';
import { unwrapTenantKey } from '../store/tenant-keys';
import os from 'node:os';
import { Gallery } from './gallery';
import { openTemplatesInParallel, ROW_AUTH_FAILED, ROW_OK } from './parallel-open';

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
  /** Worker threads actually used (0 when loaded on this thread, including after a worker failure). */
  readonly workers: number;
  /** Why the worker path was abandoned for the single-thread path, if it was. */
  readonly workerFallback: string | null;
}

export interface LoadGalleryOptions {
  readonly db: Db;
  readonly keys: KeyProvider;
  readonly tenantId: string;
  readonly modelId: string;
  readonly dim: number;
  readonly simd?: boolean;
  /** Worker threads that read and decrypt rowid ranges in parallel; 0 = all on this thread. Default: `defaultLoadWorkers`. */
  readonly workers?: number;
  /** Where workers load better-sqlite3 from (default: require.resolve; a packaged app may point into app.asar.unpacked). */
  readonly sqliteModulePath?: string;
}

const PARALLEL_MIN_ROWS = 5_000;

/**
 * Threads for cold start: parallel only for ≥ 5,000 templates (worker start-up, tens of ms, costs
 * more below that) and only when the machine is not already saturated. Measured on the shared 2-core
 * bench machine (BENCHMARKS.md): load 2.1 → workers 746 ms vs one thread 990 ms; load 5.5 → equal;
 * load 6.8 → workers slower (their threads queue behind other processes). Cut-off: load < 1.5 × cores.
 */
export function defaultLoadWorkers(total: number): number {
  const cores = os.availableParallelism();
  if (total < PARALLEL_MIN_ROWS || cores < 2) return 0;
  return os.loadavg()[0]! < cores * 1.5 ? Math.min(cores, 4) : 0;
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
  const total = countTemplates(db, tenantId, modelId);
  gallery.reserve(total);
  const aadOf = templateAadBuilder(tenantId, modelId);
  const expectedBytes = opts.dim * 4 + 16;
  const workers = opts.workers ?? defaultLoadWorkers(total);
  const wrongSize = (row: { templateId: string; employeeId: string; ciphertext: Buffer }): boolean => {
    if (row.ciphertext.length === expectedBytes && row.ciphertext.length > 16) return false;
    tampered.push({ templateId: row.templateId, employeeId: row.employeeId, reason: `template ${row.templateId} has ${(row.ciphertext.length - 16) / 4} dimensions, the model has ${opts.dim}` });
    return true;
  };
  const shredded = (row: { templateId: string; employeeId: string }): void => {
    tampered.push({ templateId: row.templateId, employeeId: row.employeeId, reason: 'no data key for this tenant (crypto-shredded)' });
  };
  const file = db.name;
  const parallel = dataKey !== null && workers > 0 && !db.memory && file !== '' && total > 0;
  let usedWorkers = 0;
  let workerFallback: string | null = null;
  if (parallel) {
    const range = db.prepare('SELECT MIN(rowid) AS lo, MAX(rowid) AS hi FROM templates').get() as { lo: number; hi: number };
    const step = Math.ceil((range.hi - range.lo + 1) / workers);
    const ranges = Array.from({ length: workers }, (_, i) => [range.lo + i * step, Math.min(range.hi, range.lo + (i + 1) * step - 1)] as const);
    const { prefix, suffix } = templateAadParts(tenantId, modelId);
    try {
      await openTemplatesInParallel(
        { file, sqlitePath: opts.sqliteModulePath ?? require.resolve('better-sqlite3'), key: dataKey!, aadPrefix: prefix, aadSuffix: suffix, tenantId, modelId, dim: opts.dim, ranges },
        (b) => {
          b.status.forEach((st, i) => {
            if (st === ROW_OK) return;
            const templateId = b.ids[2 * i]!;
            tampered.push({
              templateId,
              employeeId: b.ids[2 * i + 1]!,
              reason:
                st === ROW_AUTH_FAILED
                  ? `template ${templateId} failed authentication: it was altered, copied from another employee/tenant/model, or sealed under another data key`
                  : `template ${templateId} has a malformed nonce or ciphertext length (the model has ${opts.dim} dimensions)`,
            });
          });
          const r = gallery.addBatch(b.ids, b.vectors, (i) => b.status[i] === ROW_OK);
          tampered.push(...r.rejected);
        },
      );
      usedWorkers = workers;
    } catch (e) {
      // Workers are an optimisation: if they cannot run here (runtime, packaging), load on this thread.
      workerFallback = (e as Error).message;
      gallery.clear();
      tampered.length = 0;
      gallery.reserve(total);
    }
  }
  if (usedWorkers > 0) {
    // loaded above
  } else if (dataKey) {
    if (dataKey.length !== DATA_KEY_BYTES) throw new KeyError(`tenant "${tenantId}" data key has ${dataKey.length} bytes, expected ${DATA_KEY_BYTES}`);
    for (const [templateId, employeeId, blob] of iterateSealedBlobs(db, tenantId, modelId)) {
      if (blob.length !== 12 + expectedBytes) {
        wrongSize({ templateId, employeeId, ciphertext: blob.subarray(12) });
        continue;
      }
      const plain = decryptSealedBlob(dataKey, aadOf(employeeId, templateId), blob);
      if (!plain) {
        tampered.push({
          templateId,
          employeeId,
          reason: `template ${templateId} failed authentication: it was altered, copied from another employee/tenant/model, or sealed under another data key`,
        });
        continue;
      }
      try {
        gallery.addBytes(employeeId, templateId, plain);
      } catch (e) {
        tampered.push({ templateId, employeeId, reason: (e as Error).message });
      } finally {
        plain.fill(0);
      }
    }
  } else {
    for (const [templateId, employeeId] of iterateSealedBlobs(db, tenantId, modelId)) shredded({ templateId, employeeId });
  }
  tampered.sort((a, b) => (a.employeeId === b.employeeId ? a.templateId.localeCompare(b.templateId) : a.employeeId.localeCompare(b.employeeId)));
  dataKey?.fill(0);
  const report: GalleryReport = {
    modelId,
    templates: gallery.size,
    employees: gallery.employeeCount,
    tampered,
    otherModels: countOtherModelTemplates(db, tenantId, modelId),
    needsReenrolment: listEmployeesNeedingReenrolment(db, tenantId, modelId),
    millis: performance.now() - t0,
    workers: usedWorkers,
    workerFallback,
  };
  return { gallery, report };
}
