/**
 * The machine-wide provisioning file: valid files apply once to settings and the device-token
 * sink; bad files are refused with a reason that names the problem (and never the token).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../electron/config/settings';
import {
  applyProvisioningFromDir,
  fingerprintProvisioningFile,
  parseProvisioning,
  PROVISIONING_FILE,
  readProvisioningFile,
  type Provisioning,
} from '../../../electron/config/provisioning';
import { formatProvisioningJsonSchema, PROVISIONING_SCHEMA_PATH } from '../../../electron/config/export-provisioning-schema';

const TOKEN = 'dev-tok_3f9a8c7b6e5d4c3b2a1';
const GOOD = {
  version: 1,
  endpoint: 'https://attendance.example.com/api/v1',
  tenantId: 'acme',
  deviceToken: TOKEN,
  siteName: 'Warehouse 7',
  language: 'es',
  kiosk: { startOnLogin: true, kioskMode: true },
  update: { channel: 'beta' },
};

function dirWith(content: string | object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-'));
  fs.writeFileSync(path.join(dir, PROVISIONING_FILE), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function reasonFor(content: string | object): string {
  const r = readProvisioningFile(dirWith(content));
  if (r.status !== 'invalid') throw new Error(`expected invalid, got ${r.status}`);
  expect(r.reason).not.toContain(TOKEN);
  return r.reason;
}

describe('provisioning file validation', () => {
  it('accepts a good file (and a UTF-8 BOM, as Windows editors write)', () => {
    expect(readProvisioningFile(dirWith(GOOD))).toMatchObject({ status: 'valid', provisioning: GOOD });
    expect(readProvisioningFile(dirWith(`\uFEFF${JSON.stringify(GOOD)}`)).status).toBe('valid');
  });

  it('reports a missing file as absent, not as an error', () => {
    expect(readProvisioningFile(fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-'))).status).toBe('absent');
  });

  it('rejects bad JSON', () => {
    expect(reasonFor('{"version": 1,')).toMatch(/provisioning\.json is not valid JSON/);
  });

  it('rejects unknown keys (typos), at the top and inside sections', () => {
    expect(reasonFor({ ...GOOD, siteNmae: 'x' })).toMatch(/siteNmae/);
    expect(reasonFor({ ...GOOD, kiosk: { kiosk_mode: true } })).toMatch(/kiosk.*kiosk_mode/);
  });

  it('rejects wrong types, naming the field', () => {
    expect(reasonFor({ ...GOOD, kiosk: { startOnLogin: 'yes' } })).toMatch(/kiosk\.startOnLogin/);
    expect(reasonFor({ ...GOOD, language: 'fr' })).toMatch(/language/);
    expect(reasonFor({ ...GOOD, version: 2 })).toMatch(/version/);
    expect(reasonFor([GOOD])).toMatch(/\(file\)/);
  });

  it('rejects bad URLs: not a URL, plain http to a remote host, embedded credentials', () => {
    expect(reasonFor({ ...GOOD, endpoint: 'attendance.example.com' })).toMatch(/endpoint: must be an https/);
    expect(reasonFor({ ...GOOD, endpoint: 'http://attendance.example.com/' })).toMatch(/endpoint/);
    expect(reasonFor({ ...GOOD, endpoint: 'https://user:pw@attendance.example.com/' })).toMatch(/endpoint/);
    expect(readProvisioningFile(dirWith({ ...GOOD, endpoint: 'http://127.0.0.1:8080/' })).status).toBe('valid');
  });

  it('rejects a missing or malformed token without echoing it', () => {
    const { deviceToken: _t, ...noToken } = GOOD;
    expect(reasonFor(noToken)).toMatch(/deviceToken/);
    expect(reasonFor({ ...GOOD, deviceToken: 'short' })).toMatch(/deviceToken must be at least 16/);
    expect(reasonFor({ ...GOOD, deviceToken: `${TOKEN} x` })).toMatch(/printable ASCII without spaces/);
  });

  it('refuses an oversized file and a directory in its place', () => {
    expect(reasonFor(`${JSON.stringify(GOOD)}${' '.repeat(70 * 1024)}`)).toMatch(/at most 65536/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-'));
    fs.mkdirSync(path.join(dir, PROVISIONING_FILE));
    expect(readProvisioningFile(dir)).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/not a regular file/) });
  });

  it('parseProvisioning throws a ConfigError naming the source', () => {
    expect(() => parseProvisioning({}, 'mdm-payload')).toThrow(expect.objectContaining({ name: 'ConfigError', message: expect.stringMatching(/^mdm-payload: /) }));
  });
});

describe('applying provisioning', () => {
  it('writes settings and hands the token to the store, once per file content', async () => {
    const machineDir = dirWith(GOOD);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-data-'));
    const stored: string[] = [];
    const opts = { dataDir, storeDeviceToken: async (t: string, _p: Provisioning) => void stored.push(t) };

    const first = await applyProvisioningFromDir(machineDir, opts);
    expect(first.status).toBe('applied');
    const s = loadSettings(dataDir);
    expect(s).toMatchObject({ endpoint: GOOD.endpoint, tenantId: 'acme', siteName: 'Warehouse 7', language: 'es', kiosk: { startOnLogin: true, fullscreen: true }, update: { enabled: true, channel: 'beta' } });
    expect(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).not.toContain(TOKEN);
    expect(stored).toEqual([TOKEN]);

    expect((await applyProvisioningFromDir(machineDir, opts)).status).toBe('unchanged');
    expect(stored).toHaveLength(1);

    fs.writeFileSync(path.join(machineDir, PROVISIONING_FILE), JSON.stringify({ ...GOOD, siteName: 'Dock 2' }));
    expect((await applyProvisioningFromDir(machineDir, opts)).status).toBe('applied');
    expect(loadSettings(dataDir).siteName).toBe('Dock 2');
    expect(stored).toHaveLength(2);
  });

  it('changes nothing for an invalid file', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-data-'));
    const out = await applyProvisioningFromDir(dirWith({ ...GOOD, endpoint: 'ftp://x' }), { dataDir, storeDeviceToken: async () => {} });
    expect(out).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/endpoint/) });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});

describe('provisioning fingerprint (what the startup-problem screen polls)', () => {
  it('changes exactly when the file changes, appears or disappears', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-'));
    expect(fingerprintProvisioningFile(dir)).toBe('absent');
    fs.writeFileSync(path.join(dir, PROVISIONING_FILE), '{ broken');
    const broken = fingerprintProvisioningFile(dir);
    expect(broken).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintProvisioningFile(dir)).toBe(broken);
    fs.writeFileSync(path.join(dir, PROVISIONING_FILE), JSON.stringify(GOOD));
    expect(fingerprintProvisioningFile(dir)).not.toBe(broken);
    fs.rmSync(path.join(dir, PROVISIONING_FILE));
    expect(fingerprintProvisioningFile(dir)).toBe('absent');
  });
});

describe('JSON Schema for IT', () => {
  it('resources/provisioning.schema.json is generated from the zod schema (regenerate with tsx electron/config/export-provisioning-schema.ts)', () => {
    expect(fs.readFileSync(PROVISIONING_SCHEMA_PATH, 'utf8')).toBe(formatProvisioningJsonSchema());
  });

  it('agrees with the zod schema on good and bad files', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(PROVISIONING_SCHEMA_PATH, 'utf8')));
    expect(validate(GOOD)).toBe(true);
    for (const bad of [{ ...GOOD, extra: 1 }, { ...GOOD, endpoint: 'http://evil.example/' }, { ...GOOD, deviceToken: 'short' }, { ...GOOD, kiosk: { startOnLogin: 'yes' } }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
