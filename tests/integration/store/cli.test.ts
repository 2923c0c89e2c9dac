/**
 * The store commands as a user runs them: real CLI process, real inference process and models,
 * real SQLite file and key file in a temp data dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKiosk, runKioskJson } from '../../helpers/cli';
import { sharedFace } from '../../helpers/paths';

let dir: string;
let env: NodeJS.ProcessEnv;
const img = (p: string) => sharedFace(p);

interface Outcome {
  image: string;
  employeeId: string | null;
  name: string | null;
  similarity: number | null;
  margin: number | null;
  reason: string;
  quality: string[];
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-cli-store-'));
  env = { KIOSK_DATA_DIR: path.join(dir, 'data'), KIOSK_EMBEDDER: 'mobilefacenet-128', KIOSK_KEY_FILE: '' };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Several real CLI runs per test (each spawns the CLI and the inference process): allow for a loaded machine.
describe('kiosk enroll / identify / employees', { timeout: 180_000 }, () => {
  it('enrols two people, creating the key file (0600) on first use', () => {
    const a = runKioskJson<{ employeeId: string; templatesStored: number; duplicateOf: unknown; images: Array<{ accepted: boolean }> }>(
      ['enroll', '--employee', 'id01', '--name', 'Person One', img('deepface/img1.jpg'), img('deepface/img10.jpg'), img('deepface/img11.jpg')],
      env,
    );
    expect(a.code).toBe(0);
    expect(a.json).toMatchObject({ employeeId: 'id01', templatesStored: 3, duplicateOf: null });
    const key = path.join(dir, 'data', 'kek.key');
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    const b = runKiosk(['enroll', '--employee', 'id10', '--name', 'Person Ten', img('deepface/img26.jpg'), img('deepface/img27.jpg')], env);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/id10: 2 templates stored/);
  });

  it('identifies enrolled people and calls strangers unknown', () => {
    const r = runKioskJson<Outcome[]>(['identify', img('deepface/img2.jpg'), img('deepface/img28.jpg'), img('face-api.js/amy/amy1.png'), img('deepface/img12.jpg')], env);
    expect(r.code).toBe(0);
    expect(r.json.map((o) => o.employeeId)).toEqual(['id01', 'id10', null, null]);
    expect(r.json[0]).toMatchObject({ image: img('deepface/img2.jpg'), name: 'Person One', reason: 'match' });
    expect(r.json[0]!.similarity).toBeGreaterThan(0.5);
    expect(r.json[0]!.margin).toBeGreaterThan(0.05);
    expect(r.json[2]).toMatchObject({ name: null, reason: 'below_threshold', quality: [] });
    for (const o of r.json) expect(Object.keys(o)).toEqual(expect.arrayContaining(['image', 'employeeId', 'name', 'similarity', 'margin']));
  });

  it('identifies a photo that misses a quality gate, reporting the gate, and says no_face for an empty scene', async () => {
    const sharp = (await import('sharp')).default;
    const blank = path.join(dir, 'scene.png');
    await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 100, b: 110 } } }).png().toFile(blank);
    // A darkened copy of an enrolled person's photo: fails the brightness gate, still the same face.
    const dark = path.join(dir, 'dark.png');
    await sharp(img('deepface/img2.jpg')).rotate().resize({ width: 640 }).linear(0.12, 0).png().toFile(dark);
    const r = runKioskJson<Outcome[]>(['identify', dark, blank], env);
    expect(r.code).toBe(0);
    expect(r.json[0]!.quality).toContain('too_dark');
    expect(r.json[0]!.employeeId).toBe('id01');
    expect(r.json[1]).toMatchObject({ employeeId: null, reason: 'no_face', similarity: null, margin: null });
  });

  it('warns about a possible duplicate enrolment', () => {
    const r = runKioskJson<{ duplicateOf: { employeeId: string } | null; warnings: string[] }>(['enroll', '--employee', 'dup', '--name', 'Same Face', img('deepface/img4.jpg')], env);
    expect(r.code).toBe(0);
    expect(r.json.duplicateOf?.employeeId).toBe('id01');
    expect(r.json.warnings.join(' ')).toMatch(/possible duplicate.*id01/);
    expect(runKiosk(['employees', 'delete', 'dup'], env).code).toBe(0);
  });

  it('falls back to the recognition gates for photos when none meets the enrolment gates, and says so', () => {
    // img41 has a second face too close in size for the enrolment gates (multiple_faces), fine for recognition.
    const r = runKioskJson<{ templatesStored: number; qualityGates: string; warnings: string[]; images: Array<{ accepted: boolean; reasons: string[] }> }>(
      ['enroll', '--employee', 'id13', '--name', 'Person Thirteen', img('deepface/img41.jpg')],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ templatesStored: 1, qualityGates: 'recognize' });
    expect(r.json.warnings.join(' ')).toMatch(/no photo met the enrolment quality gates/);
    expect(runKiosk(['employees', 'delete', 'id13'], env).code).toBe(0);
  });

  it('reports images without a usable face and fails when none is usable', async () => {
    const sharp = (await import('sharp')).default;
    const blank = path.join(dir, 'wall.png');
    await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120, g: 130, b: 140 } } }).png().toFile(blank);
    const junk = path.join(dir, 'junk.jpg');
    fs.writeFileSync(junk, 'not an image');
    const r = runKioskJson<{ templatesStored: number; images: Array<{ image: string; accepted: boolean; reasons: string[] }> }>(
      ['enroll', '--employee', 'nobody', '--name', 'No Face', blank, junk],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.json.templatesStored).toBe(0);
    expect(r.json.images.map((i) => i.reasons)).toEqual([['no_face'], ['unreadable']]);
    expect(runKiosk(['employees', 'list'], env).stdout).not.toMatch(/nobody/);
  });

  it('lists and deletes employees', () => {
    const l = runKioskJson<Array<{ id: string; name: string; templates: number }>>(['employees', 'list'], env);
    expect(l.json.map((e) => [e.id, e.templates])).toEqual([
      ['id01', 3],
      ['id10', 2],
    ]);
    const d = runKioskJson<{ employeeId: string; templatesRemoved: number }>(['employees', 'delete', 'id10'], env);
    expect(d.json).toEqual({ employeeId: 'id10', templatesRemoved: 2 });
    expect(runKiosk(['employees', 'delete', 'id10'], env)).toMatchObject({ code: 1, stderr: expect.stringMatching(/employee id10 not found/) });
    const r = runKioskJson<Outcome[]>(['identify', img('deepface/img28.jpg')], env);
    expect(r.json[0]!.employeeId).toBeNull();
  });

  it('bad input exits 2 with one line', () => {
    const r = runKiosk(['enroll', '--employee', 'bad id', '--name', 'X', img('deepface/img1.jpg')], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/invalid employee id/);
    expect(runKiosk(['identify', path.join(dir, 'missing.jpg')], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such file/) });
    expect(runKiosk(['enroll', '--name', 'X', img('deepface/img1.jpg')], env).code).toBe(2);
    expect(runKiosk(['enroll', '--employee', 'x2', '--name', 'X', '--role', 'boss', img('deepface/img1.jpg')], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--role must be employee or manager/) });
    expect(runKiosk(['employees', 'delete', '../etc'], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/invalid employee id/) });
  });

  it('a wrong key file is a clear key error and changes nothing', () => {
    const dbFile = path.join(dir, 'data', 'kiosk.db');
    const before = new Database(dbFile, { readonly: true }).prepare('SELECT * FROM tenant_keys').all();
    const wrong = path.join(dir, 'wrong.key');
    fs.writeFileSync(wrong, Buffer.alloc(32, 7), { mode: 0o600 });
    const r = runKiosk(['--key-file', wrong, 'identify', img('deepface/img2.jpg')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kiosk: wrong key: tenant "default" data key is wrapped by file:[0-9a-f]+, but the key given is file:[0-9a-f]+/);
    const e = runKiosk(['--key-file', wrong, 'enroll', '--employee', 'x1', '--name', 'X', img('deepface/img2.jpg')], env);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/wrong key/);
    expect(new Database(dbFile, { readonly: true }).prepare('SELECT * FROM tenant_keys').all()).toEqual(before);
    // A missing key file is not silently replaced when data exists.
    const missing = runKiosk(['--key-file', path.join(dir, 'none.key'), 'identify', img('deepface/img2.jpg')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist, but the data .* is sealed under file:/);
    expect(fs.existsSync(path.join(dir, 'none.key'))).toBe(false);
    // A world-readable key file is refused.
    fs.chmodSync(wrong, 0o644);
    expect(runKiosk(['--key-file', wrong, 'identify', img('deepface/img2.jpg')], env).stderr).toMatch(/readable by group or others/);
  });

  it('a tampered or moved template is skipped and reported; identification carries on; nothing is deleted', () => {
    runKiosk(['enroll', '--employee', 'id02', '--name', 'Person Two', img('deepface/img12.jpg'), img('deepface/img3.jpg')], env);
    const dbFile = path.join(dir, 'data', 'kiosk.db');
    const raw = new Database(dbFile);
    const [t1, t2] = raw.prepare("SELECT id FROM templates WHERE employee_id = 'id01' ORDER BY id").pluck().all() as string[];
    const ct = raw.prepare('SELECT sealed FROM templates WHERE id = ?').pluck().get(t1) as Buffer;
    ct[10]! ^= 0xff;
    raw.prepare('UPDATE templates SET sealed = ? WHERE id = ?').run(ct, t1);
    raw.prepare("UPDATE templates SET employee_id = 'id02' WHERE id = ?").run(t2); // a row copied to another employee
    const count = raw.prepare('SELECT COUNT(*) FROM templates').pluck().get();
    raw.close();
    const r = runKioskJson<Outcome[]>(['identify', img('deepface/img2.jpg'), img('deepface/img53.jpg')], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`skipped template ${t1} of id01: template ${t1} failed authentication`);
    expect(r.stderr).toContain(`skipped template ${t2} of id02`);
    expect(r.json.map((o) => o.employeeId)).toEqual(['id01', 'id02']);
    const after = new Database(dbFile, { readonly: true });
    expect(after.prepare('SELECT COUNT(*) FROM templates').pluck().get()).toBe(count);
    after.close();
  });

  it('keys rotate re-wraps the data keys: the new key opens the data, the old one no longer does', () => {
    const next = path.join(dir, 'next.key');
    const r = runKioskJson<{ rotated: number; from: string; to: string; created: boolean }>(['keys', 'rotate', '--to', next], env);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ rotated: 1, created: true });
    expect(r.json.to).not.toBe(r.json.from);
    expect(fs.statSync(next).mode & 0o777).toBe(0o600);
    const withNew = runKioskJson<Outcome[]>(['--key-file', next, 'identify', img('deepface/img2.jpg')], env);
    expect(withNew.json[0]!.employeeId).toBe('id01');
    expect(runKiosk(['identify', img('deepface/img2.jpg')], env).stderr).toMatch(/wrong key/);
    // Rotate back so later tests use the default key file again.
    expect(runKiosk(['--key-file', next, 'keys', 'rotate', '--to', path.join(dir, 'data', 'kek.key')], env).code).toBe(0);
    expect(runKioskJson<Outcome[]>(['identify', img('deepface/img2.jpg')], env).json[0]!.employeeId).toBe('id01');
    expect(runKiosk(['keys', 'rotate', '--to', path.join(dir, 'data', 'kek.key')], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/different file/) });
  });

  it('a database from a newer app version is refused and left untouched', () => {
    const d = path.join(dir, 'future');
    fs.mkdirSync(d);
    const raw = new Database(path.join(d, 'kiosk.db'));
    raw.pragma('user_version = 999');
    raw.close();
    const before = fs.readFileSync(path.join(d, 'kiosk.db'));
    const r = runKiosk(['--data-dir', d, 'employees', 'list'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/schema version 999, newer than this app supports/);
    expect(fs.readFileSync(path.join(d, 'kiosk.db')).equals(before)).toBe(true);
  });
});
