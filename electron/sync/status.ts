/**
 * @file What the status screen and `kiosk sync` show: queue length, last success, dead letters,
 * whether the cloud refused this device.
 */
import type { Db } from '../store/database';

export interface DeadLetter {
  readonly eventId: string;
  readonly reason: string;
  readonly at: string;
}

export interface SyncStatus {
  readonly provisioned: boolean;
  /** Events recorded but not yet confirmed by the cloud. */
  readonly queueLength: number;
  readonly lastSuccessAt: string | null;
  readonly deadLetters: number;
  /** The most recent dead letters (up to 20), newest first. */
  readonly recentDeadLetters: readonly DeadLetter[];
  readonly unauthorised: boolean;
  readonly unauthorisedReason: string | null;
  readonly lastError: string | null;
  /** Epoch ms of the next retry of a waiting batch, or null. */
  readonly nextAttemptAt: number | null;
}

export function getSyncStatus(db: Db): SyncStatus {
  const device = db.prepare('SELECT unauthorised, unauthorised_reason, last_sync_at, last_error FROM device WHERE singleton = 1').get() as
    | { unauthorised: number; unauthorised_reason: string | null; last_sync_at: string | null; last_error: string | null }
    | undefined;
  const queueLength = db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck().get() as number;
  const deadLetters = db.prepare('SELECT count(*) FROM dead_letters').pluck().get() as number;
  const recentDeadLetters = (
    db.prepare('SELECT event_id, reason, at FROM dead_letters ORDER BY at DESC, event_id LIMIT 20').all() as Array<{ event_id: string; reason: string; at: string }>
  ).map((r) => ({ eventId: r.event_id, reason: r.reason, at: r.at }));
  const next = db.prepare("SELECT MIN(next_attempt_at) FROM sync_batches WHERE state = 'open' AND next_attempt_at > 0").pluck().get() as number | null;
  return {
    provisioned: device !== undefined,
    queueLength,
    lastSuccessAt: device?.last_sync_at ?? null,
    deadLetters,
    recentDeadLetters,
    unauthorised: device?.unauthorised === 1,
    unauthorisedReason: device?.unauthorised_reason ?? null,
    lastError: device?.last_error ?? null,
    nextAttemptAt: next,
  };
}
