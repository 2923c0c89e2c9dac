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
    expect(cols).toEqual(expect.arrayContaining(['sealed', 'model_id', 'tenant_id']));
    expect(cols).not.toEqual(expect.arrayContaining(['embedding']));
    db.close();
  });

  it('migration 0001 enforces roles, statuses, consent decisions and cascades templates with their employee', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    MIGRATIONS.find((m) => m.version === 1)!.up(db);
    const now = '2026-01-01T00:00:00.000Z';
    const emp = db.prepare('INSERT INTO employees (id, tenant_id, display_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    emp.run('E1', 't', 'Ada', 'manager', now, now);
    expect(() => emp.run('E2', 't', 'Bob', 'boss', now, now)).toThrow(/CHECK constraint/);
    expect(() => db.prepare("UPDATE employees SET status = 'gone' WHERE id = 'E1'").run()).toThrow(/CHECK constraint/);
    expect(() =>
      db.prepare("INSERT INTO consents (id, employee_id, decision, notice_version, recorded_at) VALUES ('c', 'E1', 'maybe', 'v1', ?)").run(now),
    ).toThrow(/CHECK constraint/);
    db.prepare("INSERT INTO templates (id, employee_id, tenant_id, model_id, quality, sealed, created_at) VALUES ('t1', 'E1', 't', 'm', 1, zeroblob(100), ?)").run(now);
    expect(() =>
      db.prepare("INSERT INTO templates (id, employee_id, tenant_id, model_id, quality, sealed, created_at) VALUES ('t2', 'nobody', 't', 'm', 1, zeroblob(100), ?)").run(now),
    ).toThrow(/FOREIGN KEY/);
    // STRICT tables refuse a wrongly typed embedding column (no accidental text/plaintext storage).
    expect(() =>
      db.prepare("INSERT INTO templates (id, employee_id, tenant_id, model_id, quality, sealed, created_at) VALUES ('t3', 'E1', 't', 'm', 1, 'plain text is not a sealed template', ?)").run(now),
    ).toThrow(/cannot store TEXT value in BLOB column/);
    db.prepare("DELETE FROM employees WHERE id = 'E1'").run();
    expect(db.prepare('SELECT COUNT(*) FROM templates').pluck().get()).toBe(0);
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
