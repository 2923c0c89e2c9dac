/**
 * @file Sync state for the status screen and the offline banner, read straight from the outbox,
 * dead-letter and device tables (migration 0002) — cheap COUNTs, no network.
 */
import type { Settings } from '../config/settings';
import type { Db } from '../store/database';
import type { SyncStatusValue } from './ports';

export function readSyncStatus(db: Db, settings: Settings): SyncStatusValue {
  const queueLength = db.prepare("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").pluck().get() as number;
  const deadLetters = db.prepare('SELECT COUNT(*) FROM dead_letters').pluck().get() as number;
  const device = db.prepare('SELECT unauthorised, last_sync_at, last_error FROM device WHERE singleton = 1').get() as
    | { unauthorised: number; last_sync_at: string | null; last_error: string | null }
    | undefined;
  // Without an endpoint and a provisioned device there is nothing to sync to: not "offline".
  const enabled = settings.sync.enabled && settings.endpoint !== undefined && device !== undefined;
  return {
    enabled,
    queueLength,
    lastSuccessAt: device?.last_sync_at ?? null,
    deadLetters,
    unauthorized: device?.unauthorised === 1,
    // recordSyncSuccess clears last_error, so a set last_error means the latest attempt failed.
    online: enabled ? device?.last_error === null || device?.last_error === undefined : true,
  };
}
