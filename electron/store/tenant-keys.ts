/**
 * @file Per-tenant data keys (the `tenant_keys` table). Each tenant's 256-bit data key seals its
 * templates; only the key wrapped by the key provider's KEK is stored.
 *
 * - Rotation re-wraps data keys under a new KEK; templates are untouched (envelope encryption).
 * - Deleting a tenant's key makes every template sealed under it unrecoverable (crypto-shredding):
 *   the row is removed (secure_delete overwrites it) and the now useless template rows with it.
 */
import crypto from 'node:crypto';
import { KeyError, NotFoundError } from '../common/errors';
import { appendAudit } from './audit';
import type { Db } from './database';
import type { KeyProvider } from './key-provider';
import { DATA_KEY_BYTES } from './template-seal';
import { assertTenantId } from './validate';

interface TenantKeyRow {
  tenant_id: string;
  kek_id: string;
  wrapped_key: Buffer;
}

function rowOf(db: Db, tenantId: string): TenantKeyRow | undefined {
  return db.prepare('SELECT tenant_id, kek_id, wrapped_key FROM tenant_keys WHERE tenant_id = ?').get(tenantId) as TenantKeyRow | undefined;
}

async function unwrapRow(row: TenantKeyRow, keys: KeyProvider): Promise<Buffer> {
  if (row.kek_id !== keys.id) {
    throw new KeyError(
      `wrong key: tenant "${row.tenant_id}" data key is wrapped by ${row.kek_id}, but the key given is ${keys.id} (pass the key file/passphrase this data was created with)`,
      { tenantId: row.tenant_id, expected: row.kek_id, given: keys.id },
    );
  }
  const key = Buffer.from(await keys.unwrap(row.wrapped_key));
  if (key.length !== DATA_KEY_BYTES) throw new KeyError(`tenant "${row.tenant_id}" data key unwrapped to ${key.length} bytes, expected ${DATA_KEY_BYTES}`);
  return key;
}

/** Unwrap a tenant's data key. NotFoundError if the tenant has none; KeyError if the KEK is wrong. */
export async function unwrapTenantKey(db: Db, keys: KeyProvider, tenantId: string): Promise<Buffer> {
  assertTenantId(tenantId);
  const row = rowOf(db, tenantId);
  if (!row) throw new NotFoundError(`tenant "${tenantId}" has no data key (never created, or deleted — its templates are unrecoverable)`, { tenantId });
  return unwrapRow(row, keys);
}

/** Unwrap the tenant's data key, creating and storing a fresh random one on first use. */
export async function ensureTenantKey(db: Db, keys: KeyProvider, tenantId: string, now: Date = new Date()): Promise<Buffer> {
  assertTenantId(tenantId);
  const row = rowOf(db, tenantId);
  if (row) return unwrapRow(row, keys);
  const key = crypto.randomBytes(DATA_KEY_BYTES);
  const wrapped = Buffer.from(await keys.wrap(key));
  // INSERT OR IGNORE + re-read: if another connection created it meanwhile, use theirs.
  db.prepare('INSERT OR IGNORE INTO tenant_keys (tenant_id, kek_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)').run(
    tenantId,
    keys.id,
    wrapped,
    now.toISOString(),
  );
  const stored = rowOf(db, tenantId)!;
  if (!stored.wrapped_key.equals(wrapped)) return unwrapRow(stored, keys);
  appendAudit(db, { action: 'tenant_key.created', subject: tenantId, details: { kekId: keys.id }, at: now.toISOString() });
  return key;
}

/**
 * Re-wrap every tenant data key from `from` to `to` in one transaction. Templates are not
 * re-encrypted (the data keys do not change). Returns the number of keys re-wrapped.
 */
export async function rotateKeyEncryptionKey(db: Db, from: KeyProvider, to: KeyProvider, now: Date = new Date()): Promise<number> {
  const rows = db.prepare('SELECT tenant_id, kek_id, wrapped_key FROM tenant_keys ORDER BY tenant_id').all() as TenantKeyRow[];
  // Unwrap and re-wrap everything first (async), then write all at once: all or nothing.
  const rewrapped: Array<{ tenantId: string; wrapped: Buffer }> = [];
  for (const row of rows) {
    const key = await unwrapRow(row, from);
    rewrapped.push({ tenantId: row.tenant_id, wrapped: Buffer.from(await to.wrap(key)) });
    key.fill(0);
  }
  const update = db.prepare('UPDATE tenant_keys SET kek_id = ?, wrapped_key = ?, rotated_at = ? WHERE tenant_id = ? AND kek_id = ?');
  db.transaction(() => {
    for (const r of rewrapped) {
      if (update.run(to.id, r.wrapped, now.toISOString(), r.tenantId, from.id).changes !== 1) {
        throw new KeyError(`tenant "${r.tenantId}" key changed during rotation; nothing was rotated`);
      }
    }
    appendAudit(db, { action: 'kek.rotated', details: { from: from.id, to: to.id, tenants: rewrapped.length }, at: now.toISOString() });
  })();
  return rewrapped.length;
}

/** Crypto-shred a tenant: delete its data key and its (now unopenable) templates. */
export function deleteTenantKey(db: Db, tenantId: string, actor: string | null = null, now: Date = new Date()): { templatesRemoved: number } {
  assertTenantId(tenantId);
  return db.transaction(() => {
    const gone = db.prepare('DELETE FROM tenant_keys WHERE tenant_id = ?').run(tenantId).changes;
    if (gone === 0) throw new NotFoundError(`tenant "${tenantId}" has no data key`, { tenantId });
    const templatesRemoved = db.prepare('DELETE FROM templates WHERE tenant_id = ?').run(tenantId).changes;
    appendAudit(db, { action: 'tenant_key.deleted', actor, subject: tenantId, details: { templatesRemoved }, at: now.toISOString() });
    return { templatesRemoved };
  })();
}
