import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, KeyError, NotFoundError, TamperedDataError } from '../../../electron/common/errors';
import { listAudit } from '../../../electron/store/audit';
import { createEmployee } from '../../../electron/store/employees';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { openTemplate, sealTemplate, templateAad, type TemplateBinding } from '../../../electron/store/template-seal';
import { listSealedTemplates, storeTemplate } from '../../../electron/store/templates';
import { deleteTenantKey, ensureTenantKey, rotateKeyEncryptionKey, unwrapTenantKey } from '../../../electron/store/tenant-keys';
import path from 'node:path';
import { openTempStore, randomUnit, seededRandom, type TempStore } from './store-fixtures';

let s: TempStore;
afterEach(() => s?.close());

const binding: TemplateBinding = { tenantId: 'acme', employeeId: 'E1', templateId: 't-1', modelId: 'mobilefacenet-128' };
const key = Buffer.alloc(32, 9);

describe('template sealing (AES-256-GCM)', () => {
  it('round-trips an embedding and never contains its plaintext bytes', () => {
    const emb = randomUnit(seededRandom(1));
    const sealed = sealTemplate(key, binding, emb);
    expect(sealed.nonce.length).toBe(12);
    expect(sealed.ciphertext.length).toBe(128 * 4 + 16);
    const plain = Buffer.from(emb.buffer);
    expect(sealed.ciphertext.includes(plain.subarray(0, 8))).toBe(false);
    expect(Array.from(openTemplate(key, binding, sealed))).toEqual(Array.from(emb));
  });

  it('uses a fresh nonce for every seal', () => {
    const emb = randomUnit(seededRandom(2));
    const a = sealTemplate(key, binding, emb);
    const b = sealTemplate(key, binding, emb);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('fails to open when moved to another employee, tenant, template id or model', () => {
    const sealed = sealTemplate(key, binding, randomUnit(seededRandom(3)));
    for (const other of [
      { ...binding, employeeId: 'E2' },
      { ...binding, tenantId: 'other' },
      { ...binding, templateId: 't-2' },
      { ...binding, modelId: 'sface-2021dec' },
    ]) {
      expect(() => openTemplate(key, other, sealed)).toThrow(TamperedDataError);
    }
  });

  it('fails to open a flipped bit, a swapped nonce or another key', () => {
    const sealed = sealTemplate(key, binding, randomUnit(seededRandom(4)));
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[5]! ^= 0x01;
    expect(() => openTemplate(key, binding, { nonce: sealed.nonce, ciphertext: flipped })).toThrow(/failed authentication/);
    const nonce = Buffer.from(sealed.nonce);
    nonce[0]! ^= 0x80;
    expect(() => openTemplate(key, binding, { nonce, ciphertext: sealed.ciphertext })).toThrow(TamperedDataError);
    expect(() => openTemplate(Buffer.alloc(32, 8), binding, sealed)).toThrow(TamperedDataError);
    expect(() => openTemplate(key, binding, { nonce: sealed.nonce, ciphertext: sealed.ciphertext.subarray(0, 10) })).toThrow(/malformed/);
  });

  it('the AAD is unambiguous (length-prefixed)', () => {
    const a = templateAad({ tenantId: 'ab', employeeId: 'c', templateId: 't', modelId: 'm' });
    const b = templateAad({ tenantId: 'a', employeeId: 'bc', templateId: 't', modelId: 'm' });
    expect(a.equals(b)).toBe(false);
  });

  it('rejects bad inputs: non-finite values, empty embeddings, short keys', () => {
    const bad = new Float32Array(128);
    bad[3] = Number.NaN;
    expect(() => sealTemplate(key, binding, bad)).toThrow(InvalidInputError);
    expect(() => sealTemplate(key, binding, new Float32Array(0))).toThrow(/non-empty/);
    expect(() => sealTemplate(Buffer.alloc(16), binding, randomUnit(seededRandom(5)))).toThrow(KeyError);
  });
});

describe('per-tenant data keys', () => {
  it('creates a key once, stores it only wrapped, and unwraps it again', async () => {
    s = openTempStore();
    const k1 = await ensureTenantKey(s.db, s.keys, 'acme');
    const k2 = await ensureTenantKey(s.db, s.keys, 'acme');
    expect(k1.equals(k2)).toBe(true);
    const row = s.db.prepare('SELECT kek_id, wrapped_key FROM tenant_keys WHERE tenant_id = ?').get('acme') as { kek_id: string; wrapped_key: Buffer };
    expect(row.kek_id).toBe(s.keys.id);
    expect(row.wrapped_key.includes(k1)).toBe(false);
    expect((await unwrapTenantKey(s.db, s.keys, 'acme')).equals(k1)).toBe(true);
    const other = await ensureTenantKey(s.db, s.keys, 'globex');
    expect(other.equals(k1)).toBe(false);
  });

  it('a wrong key file is refused with a KeyError naming both keys', async () => {
    s = openTempStore();
    await ensureTenantKey(s.db, s.keys, 'acme');
    const wrong = openFileKeyProvider(path.join(s.dir, 'wrong.key'), { create: true });
    await expect(unwrapTenantKey(s.db, wrong, 'acme')).rejects.toThrow(KeyError);
    await expect(unwrapTenantKey(s.db, wrong, 'acme')).rejects.toThrow(new RegExp(`wrong key.*${s.keys.id}.*${wrong.id}`));
  });

  it('rotation re-wraps data keys under the new KEK without touching templates', async () => {
    s = openTempStore();
    const dk = await ensureTenantKey(s.db, s.keys, 'acme');
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'Ada' });
    const emb = randomUnit(seededRandom(6));
    storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: 'mobilefacenet-128', quality: 0.9, embedding: emb });
    const before = s.db.prepare('SELECT sealed FROM templates').all();
    const next = openFileKeyProvider(path.join(s.dir, 'next.key'), { create: true });
    expect(await rotateKeyEncryptionKey(s.db, s.keys, next)).toBe(1);
    expect(s.db.prepare('SELECT sealed FROM templates').all()).toEqual(before);
    await expect(unwrapTenantKey(s.db, s.keys, 'acme')).rejects.toThrow(KeyError);
    const dk2 = await unwrapTenantKey(s.db, next, 'acme');
    expect(dk2.equals(dk)).toBe(true);
    const [row] = listSealedTemplates(s.db, 'acme', 'mobilefacenet-128');
    expect(Array.from(openTemplate(dk2, row!, row!))).toEqual(Array.from(emb));
    expect(listAudit(s.db, { action: 'kek.rotated' })).toHaveLength(1);
  });

  it('rotation from a wrong KEK changes nothing', async () => {
    s = openTempStore();
    await ensureTenantKey(s.db, s.keys, 'acme');
    const before = s.db.prepare('SELECT * FROM tenant_keys').all();
    const wrong = openFileKeyProvider(path.join(s.dir, 'w.key'), { create: true });
    const next = openFileKeyProvider(path.join(s.dir, 'n.key'), { create: true });
    await expect(rotateKeyEncryptionKey(s.db, wrong, next)).rejects.toThrow(KeyError);
    expect(s.db.prepare('SELECT * FROM tenant_keys').all()).toEqual(before);
  });

  it('deleting a tenant key crypto-shreds its templates', async () => {
    s = openTempStore();
    const dk = await ensureTenantKey(s.db, s.keys, 'acme');
    createEmployee(s.db, { id: 'E1', tenantId: 'acme', displayName: 'Ada' });
    storeTemplate(s.db, dk, { employeeId: 'E1', tenantId: 'acme', modelId: 'mobilefacenet-128', quality: 0.9, embedding: randomUnit(seededRandom(7)) });
    const [copy] = listSealedTemplates(s.db, 'acme', 'mobilefacenet-128'); // e.g. a leaked backup of the row
    expect(deleteTenantKey(s.db, 'acme', 'it-admin')).toEqual({ templatesRemoved: 1 });
    await expect(unwrapTenantKey(s.db, s.keys, 'acme')).rejects.toThrow(NotFoundError);
    const fresh = await ensureTenantKey(s.db, s.keys, 'acme');
    expect(() => openTemplate(fresh, copy!, copy!)).toThrow(TamperedDataError);
    expect(listAudit(s.db, { action: 'tenant_key.deleted' })[0]).toMatchObject({ actor: 'it-admin', subject: 'acme' });
  });

  it('rejects invalid tenant ids', async () => {
    s = openTempStore();
    await expect(ensureTenantKey(s.db, s.keys, '../etc')).rejects.toThrow(InvalidInputError);
    expect(() => deleteTenantKey(s.db, '')).toThrow(/invalid tenant id/);
  });
});
