/**
 * @file Cold start on worker threads: each worker opens its own read-only connection, reads one
 * rowid range of the active model's templates and decrypts it, so SQLite row reading (~40% of cold
 * start) and AES-GCM (~60%) both run on every core (measured, BENCHMARKS.md). The main thread only
 * copies plaintext batches into the gallery.
 *
 * - The AAD is built exactly as `templateAad` does: the caller passes the encoded prefix (label,
 *   tenant) and suffix (model) from `templateAadParts`; the worker length-prefixes employee id and
 *   template id between them. tests/unit/matching/load-gallery.test.ts checks both paths agree.
 * - The worker source is inline (eval) so it runs unchanged under tsx, vitest and the bundled app,
 *   with no separate build entry; it loads better-sqlite3 from the path the caller resolved.
 * - Plaintext crosses threads only in memory (transferred buffers), zeroed after copying.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const crypto = require('node:crypto');
const Database = require(w.sqlitePath);
const key = Buffer.from(w.key);
const prefix = Buffer.from(w.aadPrefix);
const suffix = Buffer.from(w.aadSuffix);
const bodyLen = w.dim * 4;
const db = new Database(w.file, { readonly: true, fileMustExist: true });
const stmt = db.prepare('SELECT id, employee_id, sealed FROM templates NOT INDEXED WHERE rowid >= ? AND rowid <= ? AND tenant_id = ? AND model_id = ?').raw(true);
let ids = [];
let out = new Float32Array(w.batch * w.dim);
let status = new Uint8Array(w.batch);
let n = 0;
function flush() {
  if (n === 0) return;
  const o = out.buffer.slice(0, n * bodyLen);
  const s = status.buffer.slice(0, n);
  out.fill(0);
  parentPort.postMessage({ ids, out: o, status: s }, [o, s]);
  ids = [];
  n = 0;
}
const outBytes = new Uint8Array(out.buffer);
for (const [tid, eid, sealed] of stmt.iterate(w.lo, w.hi, w.tenantId, w.modelId)) {
  ids.push(tid, eid);
  // sealed = nonce (12) ‖ ciphertext ‖ tag (16), as packSealed writes it.
  if (!Buffer.isBuffer(sealed) || sealed.length !== 12 + bodyLen + 16) {
    status[n] = 2;
  } else {
    const e = Buffer.from(eid, 'utf8');
    const t = Buffer.from(tid, 'utf8');
    const aad = Buffer.allocUnsafe(prefix.length + 4 + e.length + t.length + suffix.length);
    let o = prefix.copy(aad, 0);
    o = aad.writeUInt16BE(e.length, o);
    o += e.copy(aad, o);
    o = aad.writeUInt16BE(t.length, o);
    o += t.copy(aad, o);
    suffix.copy(aad, o);
    const nonce = sealed.subarray(0, 12);
    const ct = sealed.subarray(12);
    const d = crypto.createDecipheriv('aes-256-gcm', key, nonce);
    d.setAAD(aad);
    d.setAuthTag(ct.subarray(bodyLen));
    const plain = d.update(ct.subarray(0, bodyLen));
    try {
      d.final();
      outBytes.set(plain, n * bodyLen);
      status[n] = 1;
    } catch (err) {
      status[n] = 0;
    }
    plain.fill(0);
  }
  n += 1;
  if (n === w.batch) flush();
}
flush();
db.close();
key.fill(0);
parentPort.postMessage({ done: true });
`;

/** Per-row outcome codes from the worker. */
export const ROW_OK = 1;
export const ROW_AUTH_FAILED = 0;
export const ROW_MALFORMED = 2;

export interface OpenedBatch {
  /** templateId, employeeId pairs, flattened. */
  readonly ids: readonly string[];
  /** Plaintext rows (rows × dim), valid only during the callback (zeroed after). */
  readonly vectors: Float32Array;
  readonly status: Uint8Array;
}

export interface ParallelOpenOptions {
  readonly file: string;
  readonly sqlitePath: string;
  readonly key: Uint8Array;
  readonly aadPrefix: Buffer;
  readonly aadSuffix: Buffer;
  readonly tenantId: string;
  readonly modelId: string;
  readonly dim: number;
  /** Inclusive rowid ranges, one worker each. */
  readonly ranges: ReadonlyArray<readonly [number, number]>;
}

const BATCH_ROWS = 4096;

/** Run one worker per range; `consume` gets each decrypted batch as it arrives. */
export async function openTemplatesInParallel(o: ParallelOpenOptions, consume: (b: OpenedBatch) => void): Promise<void> {
  const workers: Worker[] = [];
  // After success or the first failure, batches still in flight from other workers are dropped:
  // the caller may already be rebuilding the gallery on its own thread.
  let settled = false;
  try {
    await Promise.all(
      o.ranges.map(
        ([lo, hi]) =>
          new Promise<void>((resolve, reject) => {
            const w = new Worker(WORKER_SOURCE, {
              eval: true,
              // A larger young generation: the loop allocates several short-lived buffers per row and
              // the default semi-space makes scavenges a large share of the time (CPU profile).
              resourceLimits: { maxYoungGenerationSizeMb: 64 },
              workerData: {
                file: o.file,
                sqlitePath: o.sqlitePath,
                key: Uint8Array.from(o.key),
                aadPrefix: Uint8Array.from(o.aadPrefix),
                aadSuffix: Uint8Array.from(o.aadSuffix),
                tenantId: o.tenantId,
                modelId: o.modelId,
                dim: o.dim,
                lo,
                hi,
                batch: BATCH_ROWS,
              },
            });
            workers.push(w);
            let done = false;
            w.on('message', (m: { done?: true; ids?: string[]; out?: ArrayBuffer; status?: ArrayBuffer }) => {
              if (settled) {
                if (m.out) new Float32Array(m.out).fill(0);
                return;
              }
              if (m.done) {
                done = true;
                resolve();
                return;
              }
              const vectors = new Float32Array(m.out!);
              try {
                consume({ ids: m.ids!, vectors, status: new Uint8Array(m.status!) });
              } catch (e) {
                reject(e as Error);
              } finally {
                vectors.fill(0);
              }
            });
            w.on('error', reject);
            w.on('exit', (code) => {
              if (!done) reject(new Error(`template decrypt worker exited early (code ${code})`));
            });
          }),
      ),
    );
  } finally {
    settled = true;
    for (const w of workers) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
}
