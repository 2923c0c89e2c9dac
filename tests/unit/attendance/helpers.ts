/**
 * @file Real SQLite files for attendance and sync tests, with employees inserted directly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../../electron/store/database';

export interface TempDb {
  readonly db: Db;
  readonly dir: string;
  readonly file: string;
  cleanup(): void;
}

export function openTempDb(prefix = 'kiosk-att-'): TempDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'kiosk.db');
  const db = openDatabase(file);
  return {
    db,
    dir,
    file,
    cleanup: () => {
      if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function addEmployee(db: Db, id: string, status: 'active' | 'inactive' = 'active'): void {
  const now = new Date().toISOString();
  db.prepare('INSERT INTO employees (id, tenant_id, display_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    'default',
    `Employee ${id}`,
    status,
    now,
    now,
  );
}

export const FACE_MATCH = { similarity: 0.72, liveness: 0.97, modelId: 'mobilefacenet-128' } as const;
