/**
 * @file Compose the running kiosk in the Electron main process: provisioning → settings → key
 * provider → database → device token → models → inference utility process → kiosk service →
 * sync relay. Every step that can fail for a reason IT can fix becomes a `StartupProblem` with
 * the reason (logged, and shown on the kiosk screen) instead of a crash loop.
 */
import path from 'node:path';
import { applyProvisioningFromDir, fingerprintProvisioningFile, readProvisioningFile } from '../config/provisioning';
import { loadSettings, type Settings } from '../config/settings';
import { InferenceClient, type InferenceLauncher } from '../inference/client';
import { createKioskService, type KioskService } from '../kiosk/kiosk-service';
import type { Logger } from '../logging/logger';
import { loadManifest, selectModels } from '../models/manifest';
import type { StartupProblem } from '../shell/startup-problem-page';
import { DB_FILE, openDatabase, type Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';
import { provisionDevice } from '../sync/device-identity';
import { SyncRelay } from '../sync/relay';

export interface StartKioskOptions {
  readonly dataDir: string;
  readonly modelsDir: string;
  readonly machineConfigDir: string;
  readonly log: Logger;
  readonly openKeys: (allowBasicText: boolean) => Promise<KeyProvider>;
  readonly launcher: InferenceLauncher;
}

export interface RunningKiosk {
  readonly service: KioskService;
  readonly settings: Settings;
  /** The provisioning file as it was when the kiosk started (see fingerprintProvisioningFile). */
  readonly provisioningFingerprint: string;
  close(): Promise<void>;
}

export type StartOutcome =
  | { readonly ok: true; readonly kiosk: RunningKiosk }
  /**
   * `watchProvisioning`: the problem is the provisioning file; start again when it changes
   * (compare `fingerprintProvisioningFile(machineConfigDir)` with `provisioningFingerprint`).
   */
  | { readonly ok: false; readonly problems: readonly StartupProblem[]; readonly watchProvisioning: boolean; readonly provisioningFingerprint: string };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function startKiosk(o: StartKioskOptions): Promise<StartOutcome> {
  const { log } = o;
  // Taken before reading, so an edit made while we start is never missed.
  const provisioningFingerprint = fingerprintProvisioningFile(o.machineConfigDir);
  const fail = (problem: StartupProblem, err: unknown, watchProvisioning = false): StartOutcome => {
    log.error({ err, problem: problem.title }, `cannot start: ${problem.reason}`);
    return { ok: false, problems: [problem], watchProvisioning, provisioningFingerprint };
  };
  const prov = readProvisioningFile(o.machineConfigDir);
  if (prov.status === 'invalid') {
    return fail({
      title: 'Provisioning file rejected',
      reason: prov.reason,
      fix: `Correct ${prov.file} (its JSON Schema is resources/provisioning.schema.json) or remove it. Nothing from it was applied.`,
    }, null, true);
  }

  let settings: Settings;
  try {
    settings = loadSettings(o.dataDir);
  } catch (e) {
    return fail({ title: 'Settings file invalid', reason: message(e), fix: `Correct or delete ${path.join(o.dataDir, 'settings.json')}; re-provisioning rewrites it.` }, e);
  }

  const allowBasicText = (prov.status === 'valid' ? prov.provisioning.kiosk?.allowBasicTextKeyStorage : undefined) ?? settings.kiosk.allowBasicTextKeyStorage;
  let keys: KeyProvider;
  try {
    keys = await o.openKeys(allowBasicText);
  } catch (e) {
    return fail({ title: 'Key storage refused', reason: message(e), fix: 'See docs/security.md "Key storage". Face templates cannot be protected until this is fixed.' }, e);
  }

  let db: Db;
  try {
    db = openDatabase(path.join(o.dataDir, DB_FILE));
  } catch (e) {
    return fail({ title: 'Database cannot be opened', reason: message(e), fix: 'If a newer version wrote it, install that version again. Otherwise restore the data folder from backup.' }, e);
  }

  const closeOnFail = async (inference: InferenceClient | null): Promise<void> => {
    await inference?.close();
    db.close();
  };

  try {
    const applied = await applyProvisioningFromDir(o.machineConfigDir, {
      dataDir: o.dataDir,
      storeDeviceToken: async (deviceToken, p) => {
        await provisionDevice(db, keys, { tenantId: p.tenantId, deviceToken });
      },
    });
    if (applied.status === 'applied') log.info({ file: applied.file, sha256: applied.sha256 }, 'provisioning applied');
    else if (applied.status === 'invalid') {
      await closeOnFail(null);
      return fail({ title: 'Provisioning file rejected', reason: applied.reason, fix: `Correct ${applied.file} or remove it.` }, null, true);
    }
    settings = loadSettings(o.dataDir);
  } catch (e) {
    await closeOnFail(null);
    return fail({ title: 'Provisioning could not be applied', reason: message(e), fix: 'Check the device token and tenant in the provisioning file.' }, e, true);
  }

  let inference: InferenceClient | null = null;
  try {
    const selection = selectModels(loadManifest(o.modelsDir), { embedder: settings.embedder });
    inference = await InferenceClient.start({
      modelsDir: o.modelsDir,
      embedder: selection.embedder.id,
      detector: selection.detector.id,
      intraOpThreads: settings.recognition.intraOpThreads,
      livenessThreshold: settings.recognition.livenessThreshold,
      launcher: o.launcher,
    });
    const service = await createKioskService({
      db,
      dataDir: o.dataDir,
      keys,
      analyzer: inference,
      livenessModelIds: selection.liveness.map((m) => m.id),
      embeddingDim: selection.embedder.embedder.outputDim,
    });
    const relay = new SyncRelay(db, {
      keys,
      // Read on every attempt so a re-provisioned endpoint applies without a restart.
      getEndpoint: () => loadSettings(o.dataDir).endpoint,
      batchSize: () => loadSettings(o.dataDir).sync.batchSize,
      logger: log.child({ component: 'sync' }),
    });
    if (settings.sync.enabled) relay.start();
    else log.info({}, 'sync disabled by settings.sync.enabled');
    log.info({ embedder: selection.embedder.id, detector: selection.detector.id, inferencePid: inference.pid }, 'kiosk started');
    const client = inference;
    return {
      ok: true,
      kiosk: {
        service,
        settings,
        provisioningFingerprint,
        async close() {
          await relay.stop();
          service.close();
          await client.close();
          db.close();
        },
      },
    };
  } catch (e) {
    await closeOnFail(inference);
    return fail({
      title: 'Face engine cannot start',
      reason: message(e),
      fix: 'Reinstall the app, or install the models with `kiosk models install --from DIR` into the models folder; every model is checked against its SHA-256.',
    }, e);
  }
}
