/**
 * @file What the store commands (enroll, identify, employees) share: the data dir's database,
 * settings, the key file and the active embedder's open-set policy.
 *
 * The key file is created on first use only when the database holds no wrapped keys yet: creating
 * a fresh key beside data sealed under another key would just hide the real problem (wrong or
 * missing --key-file), so that case is a KeyError naming the key the data needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeyError } from '../common/errors';
import { loadSettings, type Settings } from '../config/settings';
import { selectModels, type EmbedderModel } from '../models/manifest';
import type { Gallery } from '../matching/gallery';
import { loadGallery } from '../matching/load-gallery';
import { resolveOpenSetPolicy } from '../matching/policy';
import type { OpenSetPolicy } from '../matching/open-set';
import { DB_FILE, openDatabase, type Db } from '../store/database';
import { openFileKeyProvider, type FileKeyProvider } from '../store/keys/file-key-provider';
import { dataDirOf, manifestOf, type GlobalOptions } from './context';

export interface StoreContext {
  readonly dataDir: string;
  readonly db: Db;
  readonly settings: Settings;
  readonly tenantId: string;
  close(): void;
}

export function keyFileOf(g: GlobalOptions, dataDir: string): string {
  // An empty KIOSK_KEY_FILE counts as unset (path.resolve('') would be the working directory).
  return path.resolve(g.keyFile || process.env.KIOSK_KEY_FILE || path.join(dataDir, 'kek.key'));
}

export function openStoreContext(g: GlobalOptions): StoreContext {
  const dataDir = dataDirOf(g);
  const settings = loadSettings(dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(path.join(dataDir, DB_FILE));
  return { dataDir, db, settings, tenantId: settings.tenantId, close: () => db.close() };
}

/** Open the key file, creating it only for a database that has no wrapped keys yet. */
export function openStoreKeys(g: GlobalOptions, ctx: StoreContext): FileKeyProvider {
  const file = keyFileOf(g, ctx.dataDir);
  if (!fs.existsSync(file)) {
    const wrappedBy = ctx.db.prepare('SELECT DISTINCT kek_id FROM tenant_keys').pluck().all() as string[];
    if (wrappedBy.length > 0) {
      throw new KeyError(`key file ${file} does not exist, but the data in ${ctx.dataDir} is sealed under ${wrappedBy.join(', ')}; pass that key with --key-file or KIOSK_KEY_FILE`);
    }
    return openFileKeyProvider(file, { create: true });
  }
  return openFileKeyProvider(file);
}

export interface ActiveEmbedder {
  readonly model: EmbedderModel;
  readonly policy: OpenSetPolicy;
}

/** The embedder the engine will run (KIOSK_EMBEDDER > settings > manifest default) and its policy. */
export function activeEmbedderOf(g: GlobalOptions, settings: Settings): ActiveEmbedder {
  const model = selectModels(manifestOf(g), { embedder: settings.embedder }).embedder;
  return { model, policy: resolveOpenSetPolicy(settings.recognition, { id: model.id, defaultThreshold: model.embedder.defaultThreshold }) };
}

export interface CliGallery extends ActiveEmbedder {
  readonly keys: FileKeyProvider;
  readonly gallery: Gallery;
}

/**
 * Keys, active embedder and its decrypted gallery, as enroll and identify need them. Tampered rows
 * and employees left with only another model's templates are named on stderr, never fatal.
 */
export async function openCliGallery(g: GlobalOptions, ctx: StoreContext): Promise<CliGallery> {
  const keys = openStoreKeys(g, ctx);
  const { model, policy } = activeEmbedderOf(g, ctx.settings);
  const { gallery, report } = await loadGallery({ db: ctx.db, keys, tenantId: ctx.tenantId, modelId: model.id, dim: model.embedder.outputDim });
  for (const t of report.tampered) process.stderr.write(`kiosk: warning: skipped template ${t.templateId} of ${t.employeeId}: ${t.reason}\n`);
  if (report.needsReenrolment.length > 0) {
    process.stderr.write(
      `kiosk: warning: ${report.needsReenrolment.length} employee(s) have only templates of another model and need re-enrolment: ${report.needsReenrolment.join(', ')}\n`,
    );
  }
  return { keys, model, policy, gallery };
}

export const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;
