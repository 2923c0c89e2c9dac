/**
 * @file 0002: attendance events and the sync outbox.
 *
 * - `events` is the device's append-only, hash-chained punch log. `employee_id` has no foreign
 *   key on purpose: payroll history must survive deleting the employee (and their face template).
 * - `outbox` has one row per event, written in the same transaction as the event (transactional
 *   outbox): a punch is either recorded and queued, or neither.
 * - `sync_batches` keeps the exact body bytes of each batch so every retry is byte-identical
 *   under the same Idempotency-Key (a strict receiver may refuse a reused key with another body).
 * - `device` is a single row; secrets (private key, device token, client-cert key) are stored
 *   wrapped by the key provider, never in plaintext.
 */
import type { Migration } from './index';

export const migration0002: Migration = {
  version: 2,
  name: 'attendance-sync',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        id                 TEXT PRIMARY KEY,
        seq                INTEGER NOT NULL UNIQUE CHECK (seq >= 1),
        type               TEXT NOT NULL CHECK (type IN ('clock_in', 'clock_out', 'break_start', 'break_end')),
        employee_id        TEXT NOT NULL,
        occurred_at        TEXT NOT NULL,
        tz_offset_minutes  INTEGER NOT NULL CHECK (tz_offset_minutes BETWEEN -840 AND 840),
        method             TEXT NOT NULL CHECK (method IN ('face', 'pin', 'manager')),
        match              TEXT,
        reason             TEXT,
        prev_hash          TEXT NOT NULL,
        hash               TEXT NOT NULL UNIQUE,
        corrects_event_id  TEXT,
        kind               TEXT NOT NULL DEFAULT 'punch' CHECK (kind IN ('punch', 'correction', 'undo')),
        recorded_at        TEXT NOT NULL,
        mono_session       TEXT NOT NULL,
        mono_ms            REAL NOT NULL,
        clock_flag         TEXT CHECK (clock_flag IS NULL OR clock_flag IN ('backward_jump'))
      ) STRICT;
      CREATE INDEX events_by_employee ON events(employee_id, occurred_at, seq);
      CREATE INDEX events_by_employee_seq ON events(employee_id, seq);
      CREATE INDEX events_by_occurred ON events(occurred_at);
      -- The newest wall time ever recorded: a clock below it has jumped back (even across restarts).
      CREATE INDEX events_by_recorded ON events(recorded_at);

      CREATE TABLE sync_batches (
        batch_id          TEXT PRIMARY KEY,
        state             TEXT NOT NULL CHECK (state IN ('open', 'done', 'split')),
        body              TEXT NOT NULL,
        event_count       INTEGER NOT NULL,
        attempts          INTEGER NOT NULL DEFAULT 0,
        next_attempt_at   INTEGER NOT NULL DEFAULT 0,
        last_error        TEXT,
        created_at        TEXT NOT NULL,
        closed_at         TEXT
      ) STRICT;
      CREATE INDEX sync_batches_open ON sync_batches(state, created_at);

      CREATE TABLE outbox (
        event_id          TEXT PRIMARY KEY REFERENCES events(id),
        seq               INTEGER NOT NULL UNIQUE,
        state             TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
        attempts          INTEGER NOT NULL DEFAULT 0,
        next_attempt_at   INTEGER NOT NULL DEFAULT 0,
        batch_id          TEXT REFERENCES sync_batches(batch_id),
        done_at           TEXT
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox(state, batch_id, seq);

      CREATE TABLE dead_letters (
        event_id  TEXT PRIMARY KEY REFERENCES events(id),
        reason    TEXT NOT NULL,
        at        TEXT NOT NULL
      ) STRICT;

      CREATE TABLE device (
        singleton              INTEGER PRIMARY KEY CHECK (singleton = 1),
        device_id              TEXT NOT NULL,
        tenant_id              TEXT NOT NULL,
        kek_id                 TEXT NOT NULL,
        key_algorithm          TEXT NOT NULL,
        wrapped_private_key    BLOB NOT NULL,
        public_key_pem         TEXT NOT NULL,
        wrapped_device_token   BLOB NOT NULL,
        unauthorised           INTEGER NOT NULL DEFAULT 0 CHECK (unauthorised IN (0, 1)),
        unauthorised_reason    TEXT,
        last_sync_at           TEXT,
        last_error             TEXT,
        client_cert_pem        TEXT,
        wrapped_client_key     BLOB,
        server_ca_pem          TEXT,
        provisioned_at         TEXT NOT NULL,
        updated_at             TEXT NOT NULL
      ) STRICT;
    `);
  },
};
