/**
 * @file PIN hashing: scrypt with a random 16-byte salt, stored as a self-describing string
 * `scrypt$N$r$p$salt$hash` (base64) so the cost can be raised later. A 4-8 digit PIN has little
 * entropy; scrypt slows offline guessing and the kiosk's attempt lockout (settings.pin) limits
 * online guessing.
 */
import crypto from 'node:crypto';
import { InvalidInputError } from '../common/errors';

const COST = { N: 2 ** 14, r: 8, p: 1 } as const;
const HASH_BYTES = 32;

export function assertPinFormat(pin: unknown): asserts pin is string {
  if (typeof pin !== 'string' || !/^[0-9]{4,8}$/.test(pin)) throw new InvalidInputError('PIN must be 4 to 8 digits');
}

function scrypt(pin: string, salt: Buffer, c: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(pin, salt, HASH_BYTES, { ...c, maxmem: 256 * c.N * c.r + 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

export async function hashPin(pin: string): Promise<string> {
  assertPinFormat(pin);
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(pin, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Constant-time check of `pin` against a stored hash; false for a malformed hash. */
export async function verifyPinHash(pin: string, stored: string): Promise<boolean> {
  if (typeof pin !== 'string' || !/^[0-9]{4,8}$/.test(pin)) return false;
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const got = await scrypt(pin, Buffer.from(m[4]!, 'base64'), { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) });
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}
