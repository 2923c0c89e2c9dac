import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCorruptError, ModelMissingError } from '../../../electron/common/errors';
import { findModel, loadManifest, selectModels } from '../../../electron/models/manifest';
import { installModelsFrom, loadModelVerified, verifyModels } from '../../../electron/models/provision';
import { runKiosk, runKioskJson } from '../../helpers/cli';
import { INSTALLED_MODELS_DIR, SHARED_MODELS_DIR } from '../../helpers/paths';

const ALL_IDS = ['yunet-2023mar', 'yunet-2023mar-dynamic', 'sface-2021dec', 'mobilefacenet-128', 'minifasnet-v2', 'minifasnet-v1se'];

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-models-'));
  fs.copyFileSync(path.join(INSTALLED_MODELS_DIR, 'manifest.json'), path.join(tmp, 'manifest.json'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('model manifest', () => {
  it('lists the six supported models with the documented SFace facts', () => {
    const m = loadManifest(INSTALLED_MODELS_DIR);
    expect(m.models.map((e) => e.id).sort()).toEqual([...ALL_IDS].sort());
    const sface = findModel(m, 'sface-2021dec');
    expect(sface.sha256).toBe('0ba9fbfa01b5270c96627c4ef784da859931e02f04419c829e83484087c34e79');
    expect(sface.bytes).toBe(38_696_353);
    expect(sface.license).toBe('Apache-2.0');
    expect(sface.kind === 'embedder' && sface.preprocess.channelOrder).toBe('RGB');
  });

  it('defaults to SFace and lets KIOSK_EMBEDDER choose MobileFaceNet', () => {
    const m = loadManifest(INSTALLED_MODELS_DIR);
    expect(selectModels(m, { env: {} }).embedder.id).toBe('sface-2021dec');
    expect(selectModels(m, { env: { KIOSK_EMBEDDER: 'mobilefacenet-128' } }).embedder.id).toBe('mobilefacenet-128');
    expect(() => selectModels(m, { env: { KIOSK_EMBEDDER: 'minifasnet-v2' } })).toThrow(/is a liveness, not a embedder/);
    expect(() => selectModels(m, { env: { KIOSK_EMBEDDER: 'nope' } })).toThrow(/unknown model id "nope"/);
  });

  it('rejects an invalid manifest naming the bad field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-manifest-'));
    const m = JSON.parse(fs.readFileSync(path.join(INSTALLED_MODELS_DIR, 'manifest.json'), 'utf8'));
    m.models[0].sha256 = 'xyz';
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    expect(() => loadManifest(dir)).toThrow(/models\.0\.sha256/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{not json');
    expect(() => loadManifest(dir)).toThrow(/not valid JSON/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('model install and verification', () => {
  it('installs from a folder, verifying every file, and skips what the folder lacks', async () => {
    const m = loadManifest(tmp);
    const results = await installModelsFrom(m, SHARED_MODELS_DIR, tmp);
    const byId = Object.fromEntries(results.map((r) => [r.id, r.status]));
    expect(byId['mobilefacenet-128']).toBe('installed');
    expect(byId['sface-2021dec']).toBe('not-in-source');
    const reports = await verifyModels(m, tmp);
    expect(reports.filter((r) => r.status === 'ok').map((r) => r.id).sort()).toEqual(ALL_IDS.filter((i) => i !== 'sface-2021dec').sort());
  });

  it('refuses a corrupted copy at install and at load, with a clear message', async () => {
    const m = loadManifest(tmp);
    const entry = findModel(m, 'minifasnet-v2');
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-src-'));
    const bytes = fs.readFileSync(path.join(SHARED_MODELS_DIR, entry.file));
    bytes[1000] = (bytes[1000]! ^ 0xff) & 0xff; // same size, one flipped byte
    fs.writeFileSync(path.join(src, entry.file), bytes);
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-dest-'));
    const [res] = await installModelsFrom(m, src, dest, ['minifasnet-v2']);
    expect(res?.status).toBe('refused');
    expect(res?.reason).toMatch(/SHA-256 is [0-9a-f]{64}, manifest says 7886c41b/);
    expect(fs.existsSync(path.join(dest, entry.file))).toBe(false);
    expect(fs.existsSync(path.join(dest, `${entry.file}.part`))).toBe(false);

    // A file corrupted after install is never handed to the runtime.
    fs.writeFileSync(path.join(dest, entry.file), bytes);
    await expect(loadModelVerified(entry, dest)).rejects.toBeInstanceOf(ModelCorruptError);
    fs.writeFileSync(path.join(dest, entry.file), bytes.subarray(0, 100));
    await expect(loadModelVerified(entry, dest)).rejects.toThrow(/is 100 bytes, expected 1743495/);
    fs.rmSync(path.join(dest, entry.file));
    await expect(loadModelVerified(entry, dest)).rejects.toBeInstanceOf(ModelMissingError);
    await expect(loadModelVerified(entry, dest)).rejects.toThrow(/models install --from DIR/);
    fs.rmSync(src, { recursive: true });
    fs.rmSync(dest, { recursive: true });
  });
});

describe('kiosk models CLI', () => {
  it('verify --json reports all six models with their status', () => {
    const { json } = runKioskJson<{ models: Array<{ id: string; status: string }> }>(['models', 'verify'], {
      KIOSK_MODELS_DIR: tmp,
      KIOSK_EMBEDDER: 'mobilefacenet-128',
    });
    expect(json.models.map((r) => r.id).sort()).toEqual([...ALL_IDS].sort());
    for (const r of json.models) expect(['ok', 'missing']).toContain(r.status);
  });

  it('verify refuses a deliberately corrupted copy with a clear message and exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-corrupt-'));
    for (const f of fs.readdirSync(tmp)) fs.copyFileSync(path.join(tmp, f), path.join(dir, f));
    const file = path.join(dir, 'MobileFaceNet.onnx');
    const bytes = fs.readFileSync(file);
    bytes[5000] = (bytes[5000]! + 1) & 0xff;
    fs.writeFileSync(file, bytes);
    const { code, json } = runKioskJson<{ ok: boolean; models: Array<{ id: string; status: string; reason?: string }> }>(
      ['models', 'verify'],
      { KIOSK_MODELS_DIR: dir, KIOSK_EMBEDDER: 'mobilefacenet-128' },
    );
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    const mfn = json.models.find((r) => r.id === 'mobilefacenet-128');
    expect(mfn?.status).toBe('corrupt');
    expect(mfn?.reason).toMatch(/SHA-256 is .*manifest says b7120c09/);
    fs.rmSync(dir, { recursive: true });
  });

  it('bad input gives one stderr line and a non-zero exit, never a stack trace', () => {
    const cases: string[][] = [['models', 'install', '--from', '/definitely/not/here'], ['models', 'nope'], ['models', 'install'], ['--bogus']];
    for (const args of cases) {
      const r = runKiosk(args, { KIOSK_MODELS_DIR: tmp });
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^kiosk: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const help = runKiosk(['models', 'install', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--from <dir>/);
  });
});
