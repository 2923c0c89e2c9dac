import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyError } from '../../../electron/common/errors';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { openPassphraseKeyProvider } from '../../../electron/store/keys/passphrase-key-provider';
import { assertSafeStorageBackendAllowed, createSafeStorageKeyProvider } from '../../../electron/store/keys/safe-storage-policy';

const dirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-keys-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const secret = new Uint8Array(Array.from({ length: 32 }, (_, i) => i * 7));
const FAST = { N: 1024, r: 8, p: 1 };

describe('file key provider', () => {
  it('creates a 32-byte key file with mode 0600 and round-trips a wrapped key', async () => {
    const file = path.join(tmpDir(), 'sub', 'kek.key');
    const kp = openFileKeyProvider(file, { create: true });
    expect(kp.created).toBe(true);
    const st = fs.statSync(file);
    expect(st.size).toBe(32);
    expect(st.mode & 0o777).toBe(0o600);
    expect(kp.id).toMatch(/^file:[0-9a-f]{16}$/);
    const wrapped = await kp.wrap(secret);
    expect(Buffer.from(wrapped).includes(Buffer.from(secret))).toBe(false);
    expect(Buffer.from(await kp.unwrap(wrapped)).equals(Buffer.from(secret))).toBe(true);
    // Re-opening the same file gives the same KEK (same id, can unwrap).
    const again = openFileKeyProvider(file);
    expect(again.created).toBe(false);
    expect(again.id).toBe(kp.id);
    expect(Buffer.from(await again.unwrap(wrapped)).equals(Buffer.from(secret))).toBe(true);
  });

  it('never overwrites an existing key file', () => {
    const file = path.join(tmpDir(), 'kek.key');
    openFileKeyProvider(file, { create: true });
    const before = fs.readFileSync(file);
    openFileKeyProvider(file, { create: true });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a missing file unless asked to create it', () => {
    expect(() => openFileKeyProvider(path.join(tmpDir(), 'none.key'))).toThrow(KeyError);
    expect(() => openFileKeyProvider(path.join(tmpDir(), 'none.key'))).toThrow(/does not exist/);
  });

  it('refuses a group- or world-readable key file', () => {
    const file = path.join(tmpDir(), 'kek.key');
    openFileKeyProvider(file, { create: true });
    fs.chmodSync(file, 0o644);
    expect(() => openFileKeyProvider(file)).toThrow(KeyError);
    expect(() => openFileKeyProvider(file)).toThrow(/readable by group or others.*chmod 600/);
    fs.chmodSync(file, 0o640);
    expect(() => openFileKeyProvider(file)).toThrow(/readable by group or others/);
  });

  it('refuses a key file of the wrong size', () => {
    const file = path.join(tmpDir(), 'kek.key');
    fs.writeFileSync(file, Buffer.alloc(31, 1), { mode: 0o600 });
    expect(() => openFileKeyProvider(file)).toThrow(/has 31 bytes, expected exactly 32/);
  });

  it('a different key file cannot unwrap, and says so', async () => {
    const a = openFileKeyProvider(path.join(tmpDir(), 'a.key'), { create: true });
    const b = openFileKeyProvider(path.join(tmpDir(), 'b.key'), { create: true });
    expect(a.id).not.toBe(b.id);
    const wrapped = await a.wrap(secret);
    await expect(b.unwrap(wrapped)).rejects.toThrow(KeyError);
    await expect(b.unwrap(wrapped)).rejects.toThrow(/wrong key-encryption key/);
  });

  it('an altered or truncated wrapped key is refused', async () => {
    const a = openFileKeyProvider(path.join(tmpDir(), 'a.key'), { create: true });
    const wrapped = Buffer.from(await a.wrap(secret));
    wrapped[wrapped.length - 1]! ^= 1;
    await expect(a.unwrap(wrapped)).rejects.toThrow(/altered/);
    await expect(a.unwrap(wrapped.subarray(0, 10))).rejects.toThrow(/malformed/);
  });
});

describe('passphrase key provider', () => {
  it('derives the same KEK from the same passphrase and stored salt', async () => {
    const params = path.join(tmpDir(), 'kek.scrypt.json');
    const a = await openPassphraseKeyProvider('correct horse battery', params, { create: true, cost: FAST });
    const stored = JSON.parse(fs.readFileSync(params, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ v: 1, kdf: 'scrypt', N: 1024, r: 8, p: 1 });
    expect(JSON.stringify(stored)).not.toContain('horse');
    const wrapped = await a.wrap(secret);
    const b = await openPassphraseKeyProvider('correct horse battery', params);
    expect(b.id).toBe(a.id);
    expect(Buffer.from(await b.unwrap(wrapped)).equals(Buffer.from(secret))).toBe(true);
  });

  it('a wrong passphrase cannot unwrap', async () => {
    const params = path.join(tmpDir(), 'kek.scrypt.json');
    const a = await openPassphraseKeyProvider('correct horse battery', params, { create: true, cost: FAST });
    const wrapped = await a.wrap(secret);
    const wrong = await openPassphraseKeyProvider('incorrect horse battery', params);
    expect(wrong.id).not.toBe(a.id);
    await expect(wrong.unwrap(wrapped)).rejects.toThrow(KeyError);
  });

  it('rejects short passphrases, missing and malformed parameter files', async () => {
    const dir = tmpDir();
    await expect(openPassphraseKeyProvider('short', path.join(dir, 'p.json'), { create: true })).rejects.toThrow(/at least 8/);
    await expect(openPassphraseKeyProvider('long enough pass', path.join(dir, 'none.json'))).rejects.toThrow(/does not exist/);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ v: 1, kdf: 'scrypt', salt: 'AAAA', N: 1000, r: 8, p: 1 }));
    await expect(openPassphraseKeyProvider('long enough pass', path.join(dir, 'bad.json'))).rejects.toThrow(/invalid/);
  });
});

describe('safeStorage policy', () => {
  it('refuses basic_text on Linux unless explicitly allowed, explaining why', () => {
    expect(() => assertSafeStorageBackendAllowed('basic_text', false, 'linux')).toThrow(KeyError);
    expect(() => assertSafeStorageBackendAllowed('basic_text', false, 'linux')).toThrow(/fixed password.*allowBasicTextKeyStorage/);
    expect(() => assertSafeStorageBackendAllowed('basic_text', true, 'linux')).not.toThrow();
  });

  it('accepts real keystores, refuses unknown ones, ignores the backend off Linux', () => {
    for (const b of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) expect(() => assertSafeStorageBackendAllowed(b, false, 'linux')).not.toThrow();
    expect(() => assertSafeStorageBackendAllowed('unknown', false, 'linux')).toThrow(/after the app is ready/);
    expect(() => assertSafeStorageBackendAllowed('rot13', true, 'linux')).toThrow(/not one this app knows/);
    expect(() => assertSafeStorageBackendAllowed('basic_text', false, 'win32')).not.toThrow();
  });

  // Electron cannot run here; this object has safeStorage's shape and a real (reversible) cipher
  // so the adapter's byte↔string handling and the policy check are exercised end to end.
  function keystore(backend: string, available = true) {
    const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    return {
      isAsyncEncryptionAvailable: () => Promise.resolve(available),
      encryptStringAsync: (s: string) => Promise.resolve(mask(Buffer.from(s, 'utf8'))),
      decryptStringAsync: (b: Buffer) => Promise.resolve({ result: mask(b).toString('utf8'), shouldReEncrypt: false }),
      getSelectedStorageBackend: () => backend,
    };
  }

  it('the safeStorage provider round-trips bytes and applies the policy', async () => {
    const kp = await createSafeStorageKeyProvider(keystore('gnome_libsecret'), { allowBasicText: false, platform: 'linux' });
    expect(kp.id).toBe('safeStorage:gnome_libsecret');
    expect(Buffer.from(await kp.unwrap(await kp.wrap(secret))).equals(Buffer.from(secret))).toBe(true);
    await expect(createSafeStorageKeyProvider(keystore('basic_text'), { allowBasicText: false, platform: 'linux' })).rejects.toThrow(/basic_text/);
    await expect(createSafeStorageKeyProvider(keystore('gnome_libsecret', false), { allowBasicText: false, platform: 'linux' })).rejects.toThrow(/not available/);
  });
});
