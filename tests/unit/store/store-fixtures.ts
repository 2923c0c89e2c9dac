/**
 * @file Real SQLite files and real key files in a temp dir, plus deterministic synthetic unit
 * vectors (the store never looks inside an embedding, so a seeded random unit vector exercises the
 * same code path as one from the face engine).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../../electron/store/database';
import { openFileKeyProvider, type FileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { seededRandom } from '../../helpers/random';

// Re-exported: the store and matching tests import it from here.
export { seededRandom };

export interface TempStore {
  readonly dir: string;
  readonly dbFile: string;
  readonly db: Db;
  readonly keys: FileKeyProvider;
  close(): void;
}

export function openTempStore(prefix = 'kiosk-store-'): TempStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dbFile = path.join(dir, 'kiosk.db');
  const db = openDatabase(dbFile);
  const keys = openFileKeyProvider(path.join(dir, 'kek.key'), { create: true });
  return {
    dir,
    dbFile,
    db,
    keys,
    close() {
      if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}


export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  for (let i = 0; i < v.length; i += 1) v[i]! /= n;
  return v;
}

/** A random unit vector (Gaussian via Box-Muller, so directions are uniform). */
export function randomUnit(rand: () => number, dim = 128): Float32Array {
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i += 1) v[i] = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  return normalize(v);
}

/** A unit vector near `base`: base + noise·random, renormalised (cosine to base ≈ 1/sqrt(1+noise²)). */
export function nearby(base: Float32Array, rand: () => number, noise: number): Float32Array {
  const r = randomUnit(rand, base.length);
  const v = new Float32Array(base.length);
  for (let i = 0; i < v.length; i += 1) v[i] = base[i]! + noise * r[i]!;
  return normalize(v);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += a[i]! * b[i]!;
  return s;
}
