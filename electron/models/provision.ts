/**
 * @file Install, fetch and verify model files against the manifest.
 *
 * A model is only ever loaded through `loadModelVerified`, which re-checks size and SHA-256
 * on the bytes it hands to onnxruntime — so a file swapped after install is still refused.
 * Installs write `<file>.part` and rename, so an interrupted copy never leaves a half file
 * under the real name.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, ModelCorruptError, ModelMissingError, NetworkError } from '../common/errors';
import type { Manifest, ModelEntry } from './manifest';

export type ModelStatus = 'ok' | 'missing' | 'corrupt';

export interface ModelReport {
  readonly id: string;
  readonly kind: ModelEntry['kind'];
  readonly file: string;
  readonly status: ModelStatus;
  readonly expectedSha256: string;
  readonly expectedBytes: number;
  readonly actualSha256?: string;
  readonly actualBytes?: number;
  readonly reason?: string;
}

export const INSTALL_HINT =
  'install it with `npm run --silent kiosk -- models install --from DIR` (offline) or `npm run --silent kiosk -- models fetch` (online)';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = fs.createReadStream(file);
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Check one candidate file against its manifest entry without reading it when the size is already wrong. */
export async function checkModelFile(entry: ModelEntry, file: string): Promise<ModelReport> {
  const base = { id: entry.id, kind: entry.kind, file, expectedSha256: entry.sha256, expectedBytes: entry.bytes };
  let st: fs.Stats;
  try {
    st = await fsp.stat(file);
  } catch {
    return { ...base, status: 'missing', reason: `${path.basename(file)} is not installed; ${INSTALL_HINT}` };
  }
  if (!st.isFile()) return { ...base, status: 'corrupt', reason: `${file} is not a regular file` };
  if (st.size !== entry.bytes) {
    return {
      ...base,
      status: 'corrupt',
      actualBytes: st.size,
      reason: `size is ${st.size} bytes, manifest says ${entry.bytes}`,
    };
  }
  const actual = await sha256File(file);
  if (actual !== entry.sha256) {
    return {
      ...base,
      status: 'corrupt',
      actualBytes: st.size,
      actualSha256: actual,
      reason: `SHA-256 is ${actual}, manifest says ${entry.sha256}`,
    };
  }
  return { ...base, status: 'ok', actualBytes: st.size, actualSha256: actual };
}

export async function verifyModels(manifest: Manifest, modelsDir: string): Promise<ModelReport[]> {
  const reports: ModelReport[] = [];
  for (const entry of manifest.models) reports.push(await checkModelFile(entry, path.join(modelsDir, entry.file)));
  return reports;
}

/**
 * Read a model's bytes, refusing anything whose size or SHA-256 differs from the manifest.
 * Loading from bytes (not a path) also works from inside an asar archive.
 */
export async function loadModelVerified(entry: ModelEntry, modelsDir: string): Promise<Uint8Array> {
  const file = path.join(modelsDir, entry.file);
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch {
    throw new ModelMissingError(`model ${entry.id} (${entry.file}) is not installed in ${modelsDir}; ${INSTALL_HINT}`, {
      modelId: entry.id,
    });
  }
  if (bytes.length !== entry.bytes) {
    throw new ModelCorruptError(
      `model ${entry.id} (${file}) is ${bytes.length} bytes, expected ${entry.bytes}; refusing to load it. Reinstall: ${INSTALL_HINT}`,
      { modelId: entry.id },
    );
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== entry.sha256) {
    throw new ModelCorruptError(
      `model ${entry.id} (${file}) has SHA-256 ${actual}, expected ${entry.sha256}; refusing to load it. Reinstall: ${INSTALL_HINT}`,
      { modelId: entry.id },
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface InstallResult {
  readonly id: string;
  readonly file: string;
  readonly status: 'installed' | 'already-installed' | 'not-in-source' | 'refused';
  readonly reason?: string;
}

function selectEntries(manifest: Manifest, only?: readonly string[]): ModelEntry[] {
  if (!only || only.length === 0) return manifest.models;
  const unknown = only.filter((id) => !manifest.models.some((m) => m.id === id));
  if (unknown.length > 0) {
    throw new InvalidInputError(`unknown model id(s): ${unknown.join(', ')} (known: ${manifest.models.map((m) => m.id).join(', ')})`);
  }
  return manifest.models.filter((m) => only.includes(m.id));
}

async function placeVerified(entry: ModelEntry, tmp: string, dest: string): Promise<InstallResult> {
  const check = await checkModelFile(entry, tmp);
  if (check.status !== 'ok') {
    await fsp.rm(tmp, { force: true });
    return { id: entry.id, file: dest, status: 'refused', reason: check.reason ?? 'verification failed' };
  }
  await fsp.rename(tmp, dest);
  return { id: entry.id, file: dest, status: 'installed' };
}

/** Copy every manifest model found in `fromDir` into `modelsDir`, verifying each. */
export async function installModelsFrom(
  manifest: Manifest,
  fromDir: string,
  modelsDir: string,
  only?: readonly string[],
): Promise<InstallResult[]> {
  let st: fs.Stats;
  try {
    st = await fsp.stat(fromDir);
  } catch {
    throw new InvalidInputError(`--from ${fromDir}: no such directory`);
  }
  if (!st.isDirectory()) throw new InvalidInputError(`--from ${fromDir}: not a directory`);
  await fsp.mkdir(modelsDir, { recursive: true });
  const results: InstallResult[] = [];
  for (const entry of selectEntries(manifest, only)) {
    const src = path.join(fromDir, entry.file);
    const dest = path.join(modelsDir, entry.file);
    if (!fs.existsSync(src)) {
      results.push({ id: entry.id, file: dest, status: 'not-in-source', reason: `${entry.file} not found in ${fromDir}` });
      continue;
    }
    if (path.resolve(src) === path.resolve(dest)) {
      const check = await checkModelFile(entry, dest);
      results.push(
        check.status === 'ok'
          ? { id: entry.id, file: dest, status: 'already-installed' }
          : { id: entry.id, file: dest, status: 'refused', reason: check.reason ?? 'verification failed' },
      );
      continue;
    }
    const tmp = `${dest}.part`;
    await fsp.copyFile(src, tmp);
    results.push(await placeVerified(entry, tmp, dest));
  }
  return results;
}

export interface FetchProgress {
  start(id: string, total: number): void;
  tick(bytes: number): void;
  stop(): void;
}

/** Download models from their upstream URLs (where there is a network), verifying each. */
export async function fetchModels(
  manifest: Manifest,
  modelsDir: string,
  opts: { only?: readonly string[]; progress?: FetchProgress; fetchImpl?: typeof fetch; timeoutMs?: number } = {},
): Promise<InstallResult[]> {
  const doFetch = opts.fetchImpl ?? fetch;
  await fsp.mkdir(modelsDir, { recursive: true });
  const results: InstallResult[] = [];
  for (const entry of selectEntries(manifest, opts.only)) {
    const dest = path.join(modelsDir, entry.file);
    if ((await checkModelFile(entry, dest)).status === 'ok') {
      results.push({ id: entry.id, file: dest, status: 'already-installed' });
      continue;
    }
    const tmp = `${dest}.part`;
    try {
      const res = await doFetch(entry.url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 10 * 60_000) });
      if (!res.ok || !res.body) throw new NetworkError(`GET ${entry.url} answered HTTP ${res.status}`);
      opts.progress?.start(entry.id, entry.bytes);
      const out = fs.createWriteStream(tmp);
      let written = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        written += chunk.byteLength;
        // Guard against a server streaming something far larger than the model.
        if (written > entry.bytes) throw new ModelCorruptError(`${entry.url} sent more than the expected ${entry.bytes} bytes`);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        opts.progress?.tick(chunk.byteLength);
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      opts.progress?.stop();
      results.push(await placeVerified(entry, tmp, dest));
    } catch (e) {
      opts.progress?.stop();
      await fsp.rm(tmp, { force: true });
      const msg = e instanceof Error ? (e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message) : String(e);
      results.push({ id: entry.id, file: dest, status: 'refused', reason: `download failed: ${msg}` });
    }
  }
  return results;
}
