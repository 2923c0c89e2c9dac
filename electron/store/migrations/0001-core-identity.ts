/**
 * @file 0001: identity tables — employees, sealed templates, consents, wrapped tenant keys,
 * audit log. No column ever holds an image or a plaintext embedding.
 */
import type { Migration } from './index';

export const migration0001: Migration = {
  version: 1,
  name: 'core-identity',
  up(db) {
    db.exec(`
      CREATE TABLE employees (
        id            TEXT PRIMARY KEY,
        tenant_id     TEXT NOT NULL,
        display_name  TEXT NOT NULL,
        pin_hash      TEXT,
        role          TEXT NOT NULL DEFAULT 'employee' CHECK (role IN ('employee', 'manager')),
        status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        last_seen_at  TEXT
      ) STRICT;

      CREATE TABLE templates (
        id           TEXT PRIMARY KEY,
        employee_id  TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
        tenant_id    TEXT NOT NULL,
        model_id     TEXT NOT NULL,
        quality      REAL NOT NULL,
        -- nonce (12 bytes) ‖ AES-256-GCM ciphertext ‖ tag (16): one blob, so cold start reads
        -- one value per row (a second blob column cost ~35% more SQLite read time, measured).
        sealed       BLOB NOT NULL CHECK (length(sealed) > 28),
        created_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX templates_by_model ON templates(tenant_id, model_id);
      CREATE INDEX templates_by_employee ON templates(employee_id);

      CREATE TABLE consents (
        id              TEXT PRIMARY KEY,
        employee_id     TEXT NOT NULL,
        decision        TEXT NOT NULL CHECK (decision IN ('accepted', 'refused', 'withdrawn')),
        notice_version  TEXT NOT NULL,
        recorded_by     TEXT,
        recorded_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consents_by_employee ON consents(employee_id);

      CREATE TABLE tenant_keys (
        tenant_id    TEXT PRIMARY KEY,
        kek_id       TEXT NOT NULL,
        wrapped_key  BLOB NOT NULL,
        created_at   TEXT NOT NULL,
        rotated_at   TEXT
      ) STRICT;

      CREATE TABLE audit_log (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        at           TEXT NOT NULL,
        actor        TEXT,
        action       TEXT NOT NULL,
        subject      TEXT,
        details      TEXT
      ) STRICT;
      CREATE INDEX audit_by_action ON audit_log(action, at);
    `);
  },
};
