/**
 * @file Open the kiosk's SQLite database and bring it to the current schema.
 *
 * Pragmas: WAL so the relay can read while a punch is written; `secure_delete` so deleted
 * template ciphertext is overwritten, not left in free pages; foreign keys on.
 * Migrations follow Signal Desktop's `ts/sql/migrations`: one numbered file per step, all pending
 * steps in one transaction, and a database whose `user_version` is ahead of the code is refused
 * (never modified).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError, DBVersionFromFutureError } from '../common/errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'kiosk.db';

export function latestSchemaVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export function schemaVersionOf(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Apply every migration newer than the database, in one transaction. */
export function migrateDatabase(db: Db, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  for (let i = 1; i < migrations.length; i += 1) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) {
      throw new DatabaseError(`migration list is not strictly increasing at version ${migrations[i]!.version}`);
    }
  }
  const from = schemaVersionOf(db);
  const latest = latestSchemaVersion(migrations);
  if (from > latest) {
    throw new DBVersionFromFutureError(
      `database schema version ${from} is newer than this app supports (${latest}); refusing to open it. Install the newer app version that wrote it.`,
      { version: from, supported: latest },
    );
  }
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
  return { from, to: latestSchemaVersion(migrations) };
}

export interface OpenOptions {
  readonly readonly?: boolean;
  readonly migrations?: readonly Migration[];
}

/** Open (creating if needed) `<dataDir>/kiosk.db` or a given file, apply pragmas and migrations. */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new DatabaseError(`cannot open database ${file}: ${(e as Error).message}`);
  }
  try {
    // A file that is not SQLite fails here ("file is not a database").
    db.pragma('foreign_keys = ON');
    // Check the version before anything that writes (switching to WAL rewrites the header).
    const version = schemaVersionOf(db);
    const latest = latestSchemaVersion(opts.migrations);
    if (version > latest) {
      throw new DBVersionFromFutureError(
        `database ${file} has schema version ${version}, newer than this app supports (${latest}); refusing to open it. Install the newer app version that wrote it.`,
        { version, supported: latest },
      );
    }
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON');
      db.pragma('busy_timeout = 5000');
    }
    if (!opts.readonly) migrateDatabase(db, opts.migrations);
    if (file !== ':memory:') {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
    }
    return db;
  } catch (e) {
    db.close();
    if (e instanceof DBVersionFromFutureError || e instanceof DatabaseError) throw e;
    throw new DatabaseError(`cannot use database ${file}: ${(e as Error).message}`);
  }
}
