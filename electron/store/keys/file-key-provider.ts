/**
 * @file Key provider backed by a 32-byte key file — for the CLI, tests and headless installs
 * where Electron's safeStorage is not available.
 *
 * The file is created with mode 0600 (owner read/write only) and refused when group or others
 * can read it: a KEK anyone on the machine can read protects nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeyError } from '../../common/errors';
import type { KeyProvider } from '../key-provider';
import { KEK_BYTES, fingerprintKek, unwrapUnderKek, wrapUnderKek } from './kek-wrap';

export interface FileKeyProviderOptions {
  /** Create the file with a fresh random key when it does not exist (default false). */
  readonly create?: boolean;
}

export interface FileKeyProvider extends KeyProvider {
  readonly file: string;
  /** True when this call created the key file. */
  readonly created: boolean;
}

function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    // 'wx': never overwrite an existing key (that would lose every template sealed under it).
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    throw new KeyError(`cannot create key file ${file}: ${(e as Error).message}`);
  }
  try {
    fs.writeSync(fd, crypto.randomBytes(KEK_BYTES));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  // The umask may have narrowed the mode further, never widened it; make it exact anyway.
  fs.chmodSync(file, 0o600);
}

function readKeyFile(file: string): Buffer {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new KeyError(`key file ${file} does not exist (pass the key file that sealed this data, or let the CLI create one on first use)`);
  }
  if (!st.isFile()) throw new KeyError(`key file ${file} is not a regular file`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new KeyError(
      `key file ${file} is readable by group or others (mode ${(st.mode & 0o777).toString(8)}); refusing to use it — run: chmod 600 ${file}`,
    );
  }
  if (st.size !== KEK_BYTES) {
    throw new KeyError(`key file ${file} has ${st.size} bytes, expected exactly ${KEK_BYTES}; it is not a kiosk key file`);
  }
  return fs.readFileSync(file);
}

/** Open (optionally creating) a key file and return a KeyProvider using it as the KEK. */
export function openFileKeyProvider(file: string, opts: FileKeyProviderOptions = {}): FileKeyProvider {
  const abs = path.resolve(file);
  let created = false;
  if (!fs.existsSync(abs)) {
    if (!opts.create) throw new KeyError(`key file ${abs} does not exist`);
    createKeyFile(abs);
    created = true;
  }
  const kek = readKeyFile(abs);
  const id = `file:${fingerprintKek(kek)}`;
  return {
    id,
    file: abs,
    created,
    wrap: (plaintext) => Promise.resolve(wrapUnderKek(kek, plaintext)),
    unwrap: (wrapped) => Promise.resolve().then(() => unwrapUnderKek(kek, wrapped, `key file ${abs}`)),
  };
}
