/**
 * @file Key provider whose KEK is derived from a passphrase with scrypt. The salt and cost
 * parameters are stored beside the data in a small JSON file (they are not secret); the
 * passphrase never is.
 *
 * Cost: N=2^15, r=8, p=1 (≈32 MiB, ~100 ms) — the interactive-login parameters from the scrypt
 * paper; stored per file so they can be raised later without breaking old files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KeyError } from '../../common/errors';
import type { KeyProvider } from '../key-provider';
import { KEK_BYTES, fingerprintKek, unwrapUnderKek, wrapUnderKek } from './kek-wrap';

const ParamsSchema = z
  .object({
    v: z.literal(1),
    kdf: z.literal('scrypt'),
    salt: z.base64().refine((s) => Buffer.from(s, 'base64').length >= 16, 'salt must be at least 16 bytes'),
    N: z.number().int().min(1024).max(2 ** 22).refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
  })
  .strict();
export type PassphraseParams = z.infer<typeof ParamsSchema>;

export const DEFAULT_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const MIN_PASSPHRASE = 8;

export interface PassphraseKeyProviderOptions {
  readonly create?: boolean;
  /** Override the cost for new files (tests use a small N to stay fast). */
  readonly cost?: { N: number; r: number; p: number };
}

function readParams(file: string): PassphraseParams {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KeyError(`passphrase parameters file ${file} is unreadable: ${(e as Error).message}`);
  }
  const r = ParamsSchema.safeParse(json);
  if (!r.success) throw new KeyError(`passphrase parameters file ${file} is invalid: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`);
  return r.data;
}

function deriveKek(passphrase: string, p: PassphraseParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphrase.normalize('NFC'), Buffer.from(p.salt, 'base64'), KEK_BYTES, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 }, (err, key) =>
      err ? reject(new KeyError(`scrypt failed: ${err.message}`)) : resolve(key),
    );
  });
}

/** Derive a KEK from `passphrase` with the salt/params in `paramsFile` (created when `create`). */
export async function openPassphraseKeyProvider(
  passphrase: string,
  paramsFile: string,
  opts: PassphraseKeyProviderOptions = {},
): Promise<KeyProvider> {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE) {
    throw new KeyError(`passphrase must be at least ${MIN_PASSPHRASE} characters`);
  }
  const abs = path.resolve(paramsFile);
  let params: PassphraseParams;
  if (fs.existsSync(abs)) {
    params = readParams(abs);
  } else {
    if (!opts.create) throw new KeyError(`passphrase parameters file ${abs} does not exist`);
    const cost = opts.cost ?? DEFAULT_SCRYPT;
    params = ParamsSchema.parse({ v: 1, kdf: 'scrypt', salt: crypto.randomBytes(16).toString('base64'), ...cost });
    fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
    fs.writeFileSync(abs, `${JSON.stringify(params)}\n`, { mode: 0o600, flag: 'wx' });
  }
  const kek = await deriveKek(passphrase, params);
  return {
    id: `passphrase:${fingerprintKek(kek)}`,
    wrap: (plaintext) => Promise.resolve(wrapUnderKek(kek, plaintext)),
    unwrap: (wrapped) => Promise.resolve().then(() => unwrapUnderKek(kek, wrapped, 'the passphrase')),
  };
}
