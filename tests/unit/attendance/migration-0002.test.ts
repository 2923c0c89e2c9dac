import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersionOf } from '../../../electron/store/database';
import { MIGRATIONS } from '../../../electron/store/migrations';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function migrateTo2(): Database.Database {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS.filter((x) => x.version <= 2)) m.up(db);
  return db;
}

const insertEvent = `INSERT INTO events (id, seq, type, employee_id, occurred_at, tz_offset_minutes, method, match, reason,
  prev_hash, hash, recorded_at, mono_session, mono_ms) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00.000Z', 0, ?, NULL, NULL, ?, ?, '2026-01-01T00:00:00.000Z', 's', 0)`;

describe('migration 0002 attendance-sync', () => {
  it('creates events, outbox, sync_batches, dead_letters and device on a fresh database', () => {
    const db = migrateTo2();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['events', 'outbox', 'sync_batches', 'dead_letters', 'device']));
    const cols = (t: string): unknown[] => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t);
    expect(cols('events')).toEqual(
      expect.arrayContaining(['id', 'seq', 'type', 'employee_id', 'occurred_at', 'tz_offset_minutes', 'method', 'match', 'reason', 'prev_hash', 'hash', 'corrects_event_id', 'recorded_at', 'mono_ms', 'clock_flag']),
    );
    expect(cols('outbox')).toEqual(expect.arrayContaining(['event_id', 'state', 'attempts', 'next_attempt_at', 'batch_id']));
    expect(cols('dead_letters')).toEqual(['event_id', 'reason', 'at']);
    expect(cols('device')).toEqual(
      expect.arrayContaining(['device_id', 'tenant_id', 'wrapped_private_key', 'public_key_pem', 'wrapped_device_token', 'unauthorised', 'last_sync_at', 'client_cert_pem', 'wrapped_client_key']),
    );
    // No column anywhere in these tables can hold an image or embedding.
    for (const t of ['events', 'outbox', 'sync_batches', 'dead_letters']) {
      expect(cols(t).join(',')).not.toMatch(/embedding|image|photo|template/);
    }
    db.close();
  });

  it('opens a real file at the latest version with the new tables', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-m2-'));
    dirs.push(dir);
    const db = openDatabase(path.join(dir, 'kiosk.db'));
    expect(schemaVersionOf(db)).toBeGreaterThanOrEqual(2);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events'").pluck().get()).toBe(1);
    db.close();
  });

  it('refuses an unknown event type, a duplicate seq and a second device row', () => {
    const db = migrateTo2();
    db.prepare(insertEvent).run('e1', 1, 'clock_in', 'emp', 'face', '0'.repeat(64), 'a'.repeat(64));
    expect(() => db.prepare(insertEvent).run('e2', 2, 'lunch', 'emp', 'face', 'a'.repeat(64), 'b'.repeat(64))).toThrow(/CHECK/);
    expect(() => db.prepare(insertEvent).run('e3', 1, 'clock_out', 'emp', 'face', 'a'.repeat(64), 'c'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => db.prepare(insertEvent).run('e4', 2, 'clock_out', 'emp', 'fingerprint', 'a'.repeat(64), 'd'.repeat(64))).toThrow(/CHECK/);
    const dev = `INSERT INTO device (singleton, device_id, tenant_id, kek_id, key_algorithm, wrapped_private_key, public_key_pem,
      wrapped_device_token, provisioned_at, updated_at) VALUES (?, 'd', 't', 'k', 'RSA-3072', x'00', 'pem', x'00', 'now', 'now')`;
    db.prepare(dev).run(1);
    expect(() => db.prepare(dev).run(1)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare(dev).run(2)).toThrow(/CHECK/);
    db.close();
  });

  it('keeps events when the employee row is deleted (no foreign key to employees)', () => {
    const db = migrateTo2();
    db.pragma('foreign_keys = ON');
    db.prepare(
      "INSERT INTO employees (id, tenant_id, display_name, created_at, updated_at) VALUES ('emp', 't', 'E', 'now', 'now')",
    ).run();
    db.prepare(insertEvent).run('e1', 1, 'clock_in', 'emp', 'face', '0'.repeat(64), 'a'.repeat(64));
    db.prepare("DELETE FROM employees WHERE id = 'emp'").run();
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    db.close();
  });
});
