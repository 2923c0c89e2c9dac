/**
 * @file Outbox bookkeeping for the relay. A batch is formed once (ids, body bytes, batch id)
 * and kept until answered, so every retry carries the same Idempotency-Key and the same bytes.
 * Every state change is one transaction: a kill between any two statements loses nothing.
 */
import { v4 as uuidv4 } from 'uuid';
import { EVENT_COLUMNS, rowToEvent } from '../attendance/event-log';
import type { AttendanceEvent } from '../attendance/types';
import type { Db } from '../store/database';
import { WireEventSchema, buildBatchBody, toWireEvent, type BatchResponse } from './protocol';

export interface OutboxBatch {
  readonly batchId: string;
  readonly body: string;
  readonly eventIds: readonly string[];
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

export interface BatchIdentity {
  readonly deviceId: string;
  readonly tenantId: string;
}

interface BatchRow {
  batch_id: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

function eventIdsOf(db: Db, batchId: string): string[] {
  return db.prepare("SELECT event_id FROM outbox WHERE batch_id = ? AND state = 'pending' ORDER BY seq").pluck().all(batchId) as string[];
}

function toBatch(db: Db, r: BatchRow): OutboxBatch {
  return { batchId: r.batch_id, body: r.body, eventIds: eventIdsOf(db, r.batch_id), attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error };
}

function insertBatch(db: Db, who: BatchIdentity, events: readonly AttendanceEvent[], now: Date): OutboxBatch {
  // v4 like Stripe's suggested idempotency keys; the batch id carries no time information.
  const batchId = uuidv4();
  const body = buildBatchBody({ deviceId: who.deviceId, tenantId: who.tenantId, batchId, sentAt: now.toISOString(), events });
  db.prepare("INSERT INTO sync_batches (batch_id, state, body, event_count, created_at) VALUES (?, 'open', ?, ?, ?)").run(
    batchId,
    body,
    events.length,
    now.toISOString(),
  );
  const mark = db.prepare('UPDATE outbox SET batch_id = ? WHERE event_id = ?');
  for (const e of events) mark.run(batchId, e.id);
  return { batchId, body, eventIds: events.map((e) => e.id), attempts: 0, nextAttemptAt: 0, lastError: null };
}

/**
 * The batch to send next: the oldest open batch (a retry, same key and bytes), else a new one
 * of up to `batchSize` queued events in seq order. null when nothing is queued.
 */
export function nextBatch(db: Db, who: BatchIdentity, batchSize: number, now: Date = new Date()): OutboxBatch | null {
  return db.transaction(() => nextBatchInTx(db, who, batchSize, now)).immediate();
}

function nextBatchInTx(db: Db, who: BatchIdentity, batchSize: number, now: Date): OutboxBatch | null {
  const openStmt = db.prepare("SELECT batch_id, body, attempts, next_attempt_at, last_error FROM sync_batches WHERE state = 'open' ORDER BY rowid LIMIT 1");
  for (let open = openStmt.get() as BatchRow | undefined; open; open = openStmt.get() as BatchRow | undefined) {
    const batch = toBatch(db, open);
    if (batch.eventIds.length > 0) return batch;
    // Every event of it was settled elsewhere (a second relay on this database): close it.
    db.prepare("UPDATE sync_batches SET state = 'done', closed_at = ? WHERE batch_id = ?").run(now.toISOString(), open.batch_id);
  }
  const rows = db
    .prepare(
      `SELECT ${EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')} FROM outbox o JOIN events e ON e.id = o.event_id
       WHERE o.state = 'pending' AND o.batch_id IS NULL ORDER BY o.seq LIMIT ?`,
    )
    .all(batchSize) as Parameters<typeof rowToEvent>[0][];
  if (rows.length === 0) return null;
  // An event the allowlist refuses (a damaged or hand-edited row) must not block the queue:
  // it is dead-lettered here, never sent, and the rest of the batch goes ahead.
  const events: AttendanceEvent[] = [];
  for (const r of rows) {
    let reason: string;
    try {
      const e = rowToEvent(r);
      const check = WireEventSchema.safeParse(toWireEvent(e));
      if (check.success) {
        events.push(e);
        continue;
      }
      const issue = check.error.issues[0];
      reason = `refused by the sync allowlist at ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}`;
    } catch (err) {
      reason = `unreadable event row: ${(err as Error).message}`;
    }
    db.prepare("UPDATE outbox SET state = 'dead', done_at = ? WHERE event_id = ?").run(now.toISOString(), r.id);
    db.prepare('INSERT OR REPLACE INTO dead_letters (event_id, reason, at) VALUES (?, ?, ?)').run(r.id, reason.slice(0, 500), now.toISOString());
  }
  if (events.length === 0) return nextBatchInTx(db, who, batchSize, now);
  return insertBatch(db, who, events, now);
}

export interface BatchOutcome {
  readonly done: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Batch events the server did not mention: queued again for a later batch. */
  readonly requeued: number;
}

/** Apply a 2xx answer: accepted/duplicates done, rejected dead-lettered, the rest requeued. */
export function completeBatch(db: Db, batchId: string, res: BatchResponse, now: Date = new Date()): BatchOutcome {
  return db
    .transaction((): BatchOutcome => {
      const at = now.toISOString();
      const ids = new Set(eventIdsOf(db, batchId));
      const done = db.prepare("UPDATE outbox SET state = 'done', done_at = ? WHERE event_id = ? AND batch_id = ? AND state = 'pending'");
      const dead = db.prepare("UPDATE outbox SET state = 'dead', done_at = ? WHERE event_id = ? AND batch_id = ? AND state = 'pending'");
      const letter = db.prepare('INSERT OR REPLACE INTO dead_letters (event_id, reason, at) VALUES (?, ?, ?)');
      let nAccepted = 0;
      let nDuplicates = 0;
      let nRejected = 0;
      for (const id of res.accepted) {
        if (ids.delete(id)) nAccepted += done.run(at, id, batchId).changes;
      }
      for (const id of res.duplicates) {
        if (ids.delete(id)) nDuplicates += done.run(at, id, batchId).changes;
      }
      for (const r of res.rejected) {
        if (ids.delete(r.id)) {
          nRejected += dead.run(at, r.id, batchId).changes;
          letter.run(r.id, r.reason.slice(0, 500), at);
        }
      }
      const requeue = db.prepare("UPDATE outbox SET batch_id = NULL WHERE event_id = ? AND state = 'pending'");
      for (const id of ids) requeue.run(id);
      db.prepare("UPDATE sync_batches SET state = 'done', closed_at = ? WHERE batch_id = ?").run(at, batchId);
      return { done: nAccepted + nDuplicates, accepted: nAccepted, duplicates: nDuplicates, rejected: nRejected, requeued: ids.size };
    })
    .immediate();
}

/** A failed attempt: same batch, later. */
export function deferBatch(db: Db, batchId: string, delayMs: number, error: string, now: Date = new Date()): void {
  db.transaction(() => {
    const next = now.getTime() + Math.max(0, Math.round(delayMs));
    db.prepare('UPDATE sync_batches SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE batch_id = ?').run(next, error.slice(0, 500), batchId);
    db.prepare("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE batch_id = ? AND state = 'pending'").run(next, batchId);
  }).immediate();
}

/**
 * A relay starting (boot, `kiosk sync`) tries waiting batches at once: the network or the
 * server may have changed while nothing ran. A wait the server asked for (Retry-After) stands.
 */
export function expediteRetriesOnStart(db: Db): number {
  return db.prepare("UPDATE sync_batches SET next_attempt_at = 0 WHERE state = 'open' AND (last_error IS NULL OR last_error NOT LIKE 'server-wait:%')").run().changes;
}

/** Network is back: retry batches that were waiting out a network failure now (not server-requested waits). */
export function expediteNetworkRetries(db: Db): number {
  return db.prepare("UPDATE sync_batches SET next_attempt_at = 0 WHERE state = 'open' AND last_error LIKE 'network:%'").run().changes;
}

/**
 * 400/413: split the batch in halves (new batch ids) to isolate the offending event; a batch
 * of one is dead-lettered with the server's reason. Returns how many events were dead-lettered.
 */
export function splitBatch(db: Db, batchId: string, who: BatchIdentity, reason: string, now: Date = new Date()): number {
  return db
    .transaction((): number => {
      const at = now.toISOString();
      const ids = eventIdsOf(db, batchId);
      db.prepare("UPDATE sync_batches SET state = 'split', closed_at = ?, last_error = ? WHERE batch_id = ?").run(at, reason.slice(0, 500), batchId);
      if (ids.length <= 1) {
        for (const id of ids) {
          db.prepare("UPDATE outbox SET state = 'dead', done_at = ? WHERE event_id = ?").run(at, id);
          db.prepare('INSERT OR REPLACE INTO dead_letters (event_id, reason, at) VALUES (?, ?, ?)').run(id, reason.slice(0, 500), at);
        }
        return ids.length;
      }
      const load = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`);
      const events = ids.map((id) => rowToEvent(load.get(id) as Parameters<typeof rowToEvent>[0]));
      const half = Math.ceil(events.length / 2);
      insertBatch(db, who, events.slice(0, half), now);
      insertBatch(db, who, events.slice(half), now);
      return 0;
    })
    .immediate();
}

/**
 * Give up on a batch's key after many failed attempts and send the same events under a new
 * batch id, keeping the backoff. Guards against a receiver that stores and replays a failure
 * per Idempotency-Key forever (Stripe replays even 500s to same-key retries); safe because
 * receivers deduplicate on event id.
 */
export function reissueBatch(db: Db, batchId: string, who: BatchIdentity, nextAttemptAt: number, reason: string, now: Date = new Date()): string | null {
  return db
    .transaction((): string | null => {
      const ids = eventIdsOf(db, batchId);
      db.prepare("UPDATE sync_batches SET state = 'split', closed_at = ?, last_error = ? WHERE batch_id = ?").run(now.toISOString(), reason.slice(0, 500), batchId);
      if (ids.length === 0) return null;
      const load = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`);
      const events = ids.map((id) => rowToEvent(load.get(id) as Parameters<typeof rowToEvent>[0]));
      const b = insertBatch(db, who, events, now);
      db.prepare('UPDATE sync_batches SET next_attempt_at = ?, last_error = ? WHERE batch_id = ?').run(nextAttemptAt, reason.slice(0, 500), b.batchId);
      return b.batchId;
    })
    .immediate();
}
