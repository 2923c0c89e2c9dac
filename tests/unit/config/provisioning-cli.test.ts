/**
 * `kiosk provisioning check|schema` through the real CLI: IT checks a file before deploying it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKiosk, runKioskJson } from '../../helpers/cli';

const TOKEN = 'tok_cli_0123456789abcdef';
const GOOD = { version: 1, endpoint: 'https://attendance.example.com/api', tenantId: 'acme', deviceToken: TOKEN, siteName: 'Gate A' };

function write(content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-cli-'));
  const file = path.join(dir, 'provisioning.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('kiosk provisioning', () => {
  it('check accepts a valid file and never prints the token', () => {
    const file = write(GOOD);
    const r = runKioskJson<{ valid: boolean; tenantId: string; sha256: string }>(['provisioning', 'check', file]);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ file, valid: true, tenantId: 'acme', endpoint: GOOD.endpoint, siteName: 'Gate A' });
    expect(r.json.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(r.json)).not.toContain(TOKEN);
  });

  it('check rejects bad files with one stderr line and exit 2', () => {
    for (const [content, reason] of [
      ['{ nope', /not valid JSON/],
      [{ ...GOOD, colour: 'blue' }, /colour/],
      [{ ...GOOD, endpoint: 'ftp://x' }, /endpoint/],
      [{ ...GOOD, deviceToken: undefined }, /deviceToken/],
    ] as const) {
      const r = runKiosk(['provisioning', 'check', write(content)]);
      expect(r.code, String(reason)).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).not.toContain(TOKEN);
    }
  });

  it('check defaults to the machine-wide file (KIOSK_MACHINE_CONFIG_DIR)', () => {
    const dir = path.dirname(write(GOOD));
    expect(runKiosk(['provisioning', 'check'], { KIOSK_MACHINE_CONFIG_DIR: dir }).code).toBe(0);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-cli-'));
    const r = runKiosk(['provisioning', 'check'], { KIOSK_MACHINE_CONFIG_DIR: empty });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
  });

  it('schema prints the JSON Schema IT gets in resources/', () => {
    const r = runKiosk(['provisioning', 'schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: 'IntelliFace Kiosk provisioning file', required: ['version', 'endpoint', 'tenantId', 'deviceToken'] });
  });
});
