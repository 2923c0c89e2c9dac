/**
 * @file Scrub a value before it is written to a log: logs leave the device (IT collects them,
 * support reads them), so they must never hold biometric data, tokens or keys.
 *
 * Three nets, because one is never enough:
 * 1. by key name — `embedding`, `deviceToken`, `authorization`, `privateKey`, `pin`, … at any depth;
 * 2. by type — typed arrays, ArrayBuffers and Buffers (an embedding is a Float32Array, a frame a
 *    Uint8Array, a key a Buffer) and long arrays of numbers (an embedding copied into a plain
 *    array), whatever key holds them;
 * 3. by shape inside strings — `Bearer …` credentials, PEM private keys, `token=`/`key=` URL
 *    parameters — which is how secrets slip in through error messages.
 */

export const REDACTED = '[redacted]';

/** Key names whose values are never logged (compared case-insensitively, ignoring `-` and `_`). */
const SECRET_KEYS = new Set(
  [
    // biometric
    'embedding', 'embeddings', 'template', 'templates', 'descriptor', 'descriptors', 'vector', 'features', 'frame', 'frames',
    'image', 'images', 'pixels', 'rgba', 'crop', 'crops', 'photo', 'photos', 'face_image', 'thumbnail',
    // credentials
    'authorization', 'proxy_authorization', 'cookie', 'set_cookie', 'token', 'device_token', 'access_token', 'refresh_token',
    'id_token', 'api_key', 'apikey', 'secret', 'client_secret', 'password', 'passphrase', 'pin', 'new_pin', 'old_pin', 'pin_hash',
    // keys
    'private_key', 'privatekey', 'key', 'data_key', 'kek', 'wrapped_key', 'signing_key', 'private_key_pem', 'csr_key', 'seed',
  ].map(normaliseKey),
);

/** A plain array of numbers this long is treated as a vector (embeddings are 128 or 512). */
export const NUMERIC_ARRAY_LIMIT = 16;
const MAX_DEPTH = 8;

function normaliseKey(k: string): string {
  return k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}

export function isSecretKey(key: string): boolean {
  const n = normaliseKey(key);
  return SECRET_KEYS.has(n) || SECRET_KEYS.has(n.replace(/_/g, '')) || /(^|_)(token|secret|password|passphrase|private_key|api_key|pin)$/.test(n);
}

const STRING_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g, `${REDACTED} private key`],
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
  [/([?&;](?:token|access_token|device_token|key|api_key|apikey|signature|sig|password|secret)=)[^&#\s]+/gi, `$1${REDACTED}`],
];

export function redactString(s: string): string {
  let out = s;
  for (const [re, rep] of STRING_PATTERNS) out = out.replace(re, rep);
  return out;
}

function describeBinary(v: ArrayBufferView | ArrayBuffer): string {
  const name = v instanceof ArrayBuffer ? 'ArrayBuffer' : v.constructor.name;
  return `${REDACTED} ${name}(${v.byteLength} bytes)`;
}

/**
 * A deep copy of `value` that is safe to log. Never mutates the input; cycles and depth are
 * bounded so a log call can never throw or hang.
 */
export function redactForLog(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(v: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof v === 'string') return redactString(v);
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : v;
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return describeBinary(v);
  if (seen.has(v)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(v);
  try {
    if (Array.isArray(v)) {
      if (v.length >= NUMERIC_ARRAY_LIMIT && v.every((x) => typeof x === 'number')) return `${REDACTED} number[${v.length}]`;
      return v.map((x) => walk(x, depth + 1, seen));
    }
    if (v instanceof Error) {
      const out: Record<string, unknown> = { type: v.name, message: redactString(v.message) };
      if (v.stack) out.stack = redactString(v.stack);
      for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) ? REDACTED : walk(x, depth + 1, seen);
      if (v.cause !== undefined) out.cause = walk(v.cause, depth + 1, seen);
      return out;
    }
    if (v instanceof Map) return walk(Object.fromEntries(v), depth, seen);
    if (v instanceof Set) return walk([...v], depth, seen);
    if (v instanceof Date) return v.toISOString();
    if (v instanceof URL) return redactString(v.href);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) ? REDACTED : walk(x, depth + 1, seen);
    return out;
  } finally {
    seen.delete(v);
  }
}
