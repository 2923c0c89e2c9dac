import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DBVersionFromFutureError, DatabaseError } from '../../../electron/common/errors';
import { latestSchemaVersion, openDatabase, schemaVersionOf } from '../../../electron/store/database';
import { MIGRATIONS } from '../../../electron/store/migrations';

const dirs: string[] = [];
function tmpDb(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-db-'));
  dirs.push(d);
  return path.join(d, 'kiosk.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('database open and migrations', () => {
  it('creates a fresh database at the latest version with WAL, secure_delete and foreign keys', () => {
    const db = openDatabase(tmpDb());
    expect(schemaVersionOf(db)).toBe(latestSchemaVersion());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('versions strictly increase', () => {
    for (let i = 1; i < MIGRATIONS.length; i += 1) expect(MIGRATIONS[i]!.version).toBeGreaterThan(MIGRATIONS[i - 1]!.version);
  });

  it('migration 0001 creates the identity tables on a fresh database', () => {
    const db = new Database(':memory:');
    MIGRATIONS.find((m) => m.version === 1)!.up(db);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['employees', 'templates', 'consents', 'tenant_keys', 'audit_log']));
    const cols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('templates');
    expect(cols).toEqual(expect.arrayContaining(['nonce', 'ciphertext', 'model_id', 'tenant_id']));
    db.close();
  });

  it('refuses a database from the future and leaves it untouched', () => {
    const file = tmpDb();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestSchemaVersion() + 7}`);
    raw.exec('CREATE TABLE marker (x INTEGER)');
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DBVersionFromFutureError);
    expect(() => openDatabase(file)).toThrow(/newer than this app supports/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database with a clear error', () => {
    const file = tmpDb();
    fs.writeFileSync(file, 'this is not sqlite at all, just text'.repeat(100));
    expect(() => openDatabase(file)).toThrow(DatabaseError);
    expect(() => openDatabase(file)).toThrow(/not a database/);
  });
});
