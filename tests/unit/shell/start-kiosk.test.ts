/**
 * The main process's composition root, run under Node with the real parts it uses in the app —
 * real models, real SQLite, a real inference child process (Node fork instead of Electron's
 * utilityProcess, the same InferenceChild interface), a real key file instead of safeStorage —
 * and a real provisioning file in a machine config folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintProvisioningFile, PROVISIONING_FILE } from '../../../electron/config/provisioning';
import { loadSettings, saveSettings } from '../../../electron/config/settings';
import { forkInferenceProcess } from '../../../electron/inference/fork-launcher';
import { startKiosk, type RunningKiosk } from '../../../electron/main/start-kiosk';
import { KeyError } from '../../../electron/common/errors';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { loadDevice } from '../../../electron/sync/device-identity';
import { openDatabase } from '../../../electron/store/database';
import { INSTALLED_MODELS_DIR } from '../../helpers/paths';

const EMBEDDER = process.env.KIOSK_EMBEDDER ?? 'mobilefacenet-128';
const TOKEN = 'tok_0123456789abcdef0123';
const silent = pino({ level: 'silent' });

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function setup(provisioning?: unknown): { dataDir: string; machineDir: string; keyFile: string } {
  const dataDir = tmp('kiosk-start-data-');
  const machineDir = tmp('kiosk-start-etc-');
  if (provisioning !== undefined) fs.writeFileSync(path.join(machineDir, PROVISIONING_FILE), JSON.stringify(provisioning));
  saveSettings(dataDir, { embedder: EMBEDDER });
  return { dataDir, machineDir, keyFile: path.join(dataDir, 'kek.key') };
}

const running: RunningKiosk[] = [];
afterAll(async () => {
  for (const k of running) await k.close();
});

describe('startKiosk (main-process composition under Node)', () => {
  it('applies a valid provisioning file, starts the engine and the service', async () => {
    const { dataDir, machineDir, keyFile } = setup({ version: 1, endpoint: 'http://127.0.0.1:9/api', tenantId: 'acme', deviceToken: TOKEN, siteName: 'Dock 4', sync: { enabled: false } });
    const out = await startKiosk({
      dataDir,
      modelsDir: INSTALLED_MODELS_DIR,
      machineConfigDir: machineDir,
      log: silent,
      openKeys: async () => openFileKeyProvider(keyFile, { create: true }),
      launcher: forkInferenceProcess,
    });
    if (!out.ok) throw new Error(`did not start: ${JSON.stringify(out.problems)}`);
    running.push(out.kiosk);
    expect(out.kiosk.settings).toMatchObject({ tenantId: 'acme', siteName: 'Dock 4', endpoint: 'http://127.0.0.1:9/api' });
    // applying the file does not change it, so the running kiosk's watch does not restart it in a loop
    expect(out.kiosk.provisioningFingerprint).toBe(fingerprintProvisioningFile(machineDir));
    const status = await out.kiosk.service.status({});
    expect(status).toMatchObject({ tenantId: 'acme', siteName: 'Dock 4', setupRequired: true, inference: { ok: true } });
    expect(status.models.embedder).toBe(EMBEDDER);
    // the token went to the device store, wrapped — not into settings
    expect(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).not.toContain(TOKEN);
    const db = openDatabase(path.join(dataDir, 'kiosk.db'));
    expect(loadDevice(db)).toMatchObject({ tenantId: 'acme' });
    expect(JSON.stringify(db.prepare('SELECT * FROM device').all())).not.toContain(TOKEN);
    db.close();
  });

  it('refuses an invalid provisioning file with the reason, changing nothing', async () => {
    const { dataDir, machineDir, keyFile } = setup({ version: 1, endpoint: 'http://attendance.example.com/', tenantId: 'acme', deviceToken: TOKEN });
    let keysOpened = false;
    const out = await startKiosk({
      dataDir,
      modelsDir: INSTALLED_MODELS_DIR,
      machineConfigDir: machineDir,
      log: silent,
      openKeys: async () => {
        keysOpened = true;
        return openFileKeyProvider(keyFile, { create: true });
      },
      launcher: forkInferenceProcess,
    });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.watchProvisioning).toBe(true);
    expect(out.provisioningFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(out.problems[0]).toMatchObject({ title: 'Provisioning file rejected', reason: expect.stringMatching(/endpoint: must be an https/) });
    expect(keysOpened).toBe(false);
    expect(loadSettings(dataDir).endpoint).toBeUndefined();
  });

  it('reports a refused key store (e.g. Linux basic_text) as a problem, not a crash', async () => {
    const { dataDir, machineDir } = setup();
    const out = await startKiosk({
      dataDir,
      modelsDir: INSTALLED_MODELS_DIR,
      machineConfigDir: machineDir,
      log: silent,
      openKeys: async (allowBasicText) => {
        throw new KeyError(`safeStorage uses basic_text (allowBasicText=${allowBasicText})`);
      },
      launcher: forkInferenceProcess,
    });
    expect(out).toMatchObject({ ok: false, watchProvisioning: false, problems: [{ title: 'Key storage refused', reason: 'safeStorage uses basic_text (allowBasicText=false)' }] });
  });

  it('reports missing models with what to do, and leaves the database closed', async () => {
    const { dataDir, machineDir, keyFile } = setup();
    const emptyModels = tmp('kiosk-start-models-');
    fs.copyFileSync(path.join(INSTALLED_MODELS_DIR, 'manifest.json'), path.join(emptyModels, 'manifest.json'));
    const out = await startKiosk({
      dataDir,
      modelsDir: emptyModels,
      machineConfigDir: machineDir,
      log: silent,
      openKeys: async () => openFileKeyProvider(keyFile, { create: true }),
      launcher: forkInferenceProcess,
    });
    expect(out).toMatchObject({ ok: false, problems: [{ title: 'Face engine cannot start', fix: expect.stringMatching(/models install/) }] });
    // nothing was provisioned, and the database it opened was released
    const db = openDatabase(path.join(dataDir, 'kiosk.db'));
    expect(loadDevice(db)).toBeNull();
    db.close();
  });
});
