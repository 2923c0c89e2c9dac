/**
 * electron-builder.yml (and the Azure signing overlay) against electron-builder's own JSON schema
 * (app-builder-lib/scheme.json), loaded with electron-builder's own config loader, plus the
 * facts the shell relies on.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NAME } from '../../../electron/config/paths';
import { PROJECT_ROOT } from '../../helpers/paths';

const SCHEME = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;

function validate(config: unknown): string[] {
  // electron-builder itself validates with ajv in non-strict mode (its schema uses custom keywords).
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const check = ajv.compile(SCHEME);
  return check(config) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

async function load(configPath: string): Promise<Record<string, unknown>> {
  return (await getConfig(PROJECT_ROOT, path.join(PROJECT_ROOT, configPath), null)) as unknown as Record<string, unknown>;
}

/** The value at a dotted path of a loaded config ("win.signtoolOptions.publisherName"). */
function at(config: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), config);
}

function targets(config: unknown, platform: string): string[] {
  return (at(config, `${platform}.target`) as { target: string }[]).map((t) => t.target);
}

describe('electron-builder.yml', () => {
  it('validates against electron-builder\'s JSON schema', async () => {
    expect(validate(await load('electron-builder.yml'))).toEqual([]);
  });

  it('the Azure Trusted Signing overlay validates too and replaces signtool', async () => {
    const c = await load('build/signing-azure.yml');
    expect(validate(c)).toEqual([]);
    expect(at(c, 'win.azureSignOptions.publisherName')).toBe('IntelliFace');
    expect(at(c, 'win.signtoolOptions') ?? null).toBeNull();
  });

  it('the schema validator really rejects bad configs', () => {
    expect(validate({ nsis: { perMachine: 'yes' } }).length).toBeGreaterThan(0);
    expect(validate({ electronFuses: { runAsNodee: false } }).length).toBeGreaterThan(0);
  });

  it('names the product as the app does (userData path), installs per machine, ships and unpacks what the app needs', async () => {
    const c = await load('electron-builder.yml');
    expect(c.productName).toBe(PRODUCT_NAME);
    expect(c.appId).toBe('com.intelliface.kiosk');
    expect(c.nsis).toMatchObject({ perMachine: true, oneClick: true });
    expect(at(c, 'win.signtoolOptions.publisherName')).toBe('IntelliFace');
    expect(targets(c, 'linux')).toEqual(['AppImage', 'deb']);
    expect(targets(c, 'mac')).toEqual(['dmg']);
    expect(targets(c, 'win')).toEqual(['nsis']);
    expect(at(c, 'mac.extendInfo.NSCameraUsageDescription')).toMatch(/camera/);
    expect(at(c, 'mac.notarize')).toBe(true);
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/onnxruntime-node/bin/**', 'node_modules/better-sqlite3/build/Release/**']));
    expect(c.npmRebuild).toBe(true);
    // the kiosk service reads consent notices relative to the bundle (resolveConsentDir)
    expect(at(c, 'files.0.filter')).toEqual(['out/**/*', 'package.json', 'resources/consent/**/*']);
    // the notices are Markdown: no platform filter may exclude them
    for (const p of ['win', 'linux', 'mac']) expect(JSON.stringify(at(c, `${p}.files`)), p).not.toMatch(/\.md|consent/);
    expect(at(c, 'extraResources.0')).toEqual({ from: 'models', to: 'models', filter: ['manifest.json', '*.onnx'] });
    expect(at(c, 'publish.0')).toMatchObject({ provider: 'generic' });
  });

  it('unpacks every native binary the production dependencies ship (they cannot load from inside the asar)', async () => {
    const patterns = at(await load('electron-builder.yml'), 'asarUnpack') as string[];
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const roots = Object.keys(pkg.dependencies).map((d) => path.join('node_modules', d));
    // sharp's platform binaries live in optional @img/* packages.
    const img = path.join(PROJECT_ROOT, 'node_modules', '@img');
    if (fs.existsSync(img)) roots.push(...fs.readdirSync(img).map((d) => path.join('node_modules', '@img', d)));
    const natives: string[] = [];
    const walk = (rel: string): void => {
      const abs = path.join(PROJECT_ROOT, rel);
      if (!fs.existsSync(abs)) return;
      for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
        const child = path.posix.join(rel.split(path.sep).join('/'), e.name);
        if (e.isDirectory()) walk(child);
        else if (/\.(node|dll|dylib)$|\.so(\.\d+)*$/.test(e.name)) natives.push(child);
      }
    };
    roots.forEach(walk);
    expect(natives.some((f) => f.includes('onnxruntime-node'))).toBe(true);
    expect(natives.some((f) => f.includes('better-sqlite3'))).toBe(true);
    const packed = natives.filter((f) => !patterns.some((p) => minimatch(f, p, { dot: true })));
    expect(packed).toEqual([]);
  });

  it('turns the dangerous Electron fuses off', async () => {
    expect((await load('electron-builder.yml')).electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('the mac entitlements grant the camera', () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, 'build', 'entitlements.mac.plist'), 'utf8')).toMatch(/com\.apple\.security\.device\.camera<\/key>\s*<true\/>/);
  });
});
