/**
 * @file Compose a running kiosk service from a data dir, a models dir and a key provider: open
 * the database, start the inference process with the configured models, and build the service.
 * The Electron main process (with its safeStorage key provider) and the e2e bridge (with a key
 * file) both start the kiosk this way.
 */
import path from 'node:path';
import { loadSettings } from '../config/settings';
import { InferenceClient } from '../inference/client';
import { loadManifest, selectModels } from '../models/manifest';
import { DB_FILE, openDatabase, type Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';
import { createKioskService, type KioskService } from './kiosk-service';

export interface KioskRuntimeOptions {
  readonly dataDir: string;
  readonly modelsDir: string;
  readonly keys: KeyProvider;
  readonly consentDir?: string;
  /** Overrides settings.embedder (KIOSK_EMBEDDER still wins inside selectModels). */
  readonly embedder?: string;
}

export interface KioskRuntime {
  readonly service: KioskService;
  readonly db: Db;
  readonly inference: InferenceClient;
  close(): Promise<void>;
}

export async function startKioskRuntime(opts: KioskRuntimeOptions): Promise<KioskRuntime> {
  const settings = loadSettings(opts.dataDir);
  const selection = selectModels(loadManifest(opts.modelsDir), { embedder: opts.embedder ?? settings.embedder });
  const db = openDatabase(path.join(opts.dataDir, DB_FILE));
  let inference: InferenceClient | null = null;
  try {
    inference = await InferenceClient.start({
      modelsDir: opts.modelsDir,
      embedder: selection.embedder.id,
      intraOpThreads: settings.recognition.intraOpThreads,
      livenessThreshold: settings.recognition.livenessThreshold,
    });
    const service = await createKioskService({
      db,
      dataDir: opts.dataDir,
      keys: opts.keys,
      analyzer: inference,
      livenessModelIds: selection.liveness.map((m) => m.id),
      embeddingDim: selection.embedder.embedder.outputDim,
      ...(opts.consentDir ? { consentDir: opts.consentDir } : {}),
    });
    const client = inference;
    return {
      service,
      db,
      inference: client,
      async close() {
        service.close();
        await client.close();
        db.close();
      },
    };
  } catch (e) {
    await inference?.close();
    db.close();
    throw e;
  }
}
