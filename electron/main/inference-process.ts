/**
 * @file The inference process under Electron: `utilityProcess.fork` of the built
 * electron/inference/entry (out/main/inference.js), behind the same `InferenceChild` interface
 * as the Node fork launcher, so `InferenceClient` (which restarts it with backoff on a crash)
 * works unchanged. A utility process, not a worker thread: onnxruntime's `run()` blocks its
 * thread, and a native crash there must not take the kiosk down (engineering-notes §4).
 */
import path from 'node:path';
import { utilityProcess } from 'electron';
import type { InferenceChild, InferenceLauncher } from '../inference/client';

const STDERR_TAIL = 2000;

/** Built by electron-vite next to the main bundle (electron.vite.config.ts `inference` input). */
export function resolveUtilityInferenceEntry(): string {
  return path.join(__dirname, 'inference.js');
}

export function createUtilityInferenceLauncher(entry: string = resolveUtilityInferenceEntry()): InferenceLauncher {
  return (): InferenceChild => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'IntelliFace inference',
      stdio: ['ignore', 'ignore', 'pipe'],
      // Nothing in the environment should steer the inference process (NODE_OPTIONS is also
      // disabled by fuse in packaged builds); pass only what models and ORT need.
      env: { ...pickEnv(process.env, ['PATH', 'HOME', 'USERPROFILE', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'KIOSK_EMBEDDER', 'KIOSK_DETECTOR', 'SystemRoot']) },
    });
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    // Messages posted before the process has spawned are held here and flushed on 'spawn'.
    let spawned = false;
    const queue: unknown[] = [];
    child.once('spawn', () => {
      spawned = true;
      for (const m of queue.splice(0)) child.postMessage(m);
    });
    return {
      send: (msg) => {
        if (spawned) child.postMessage(msg);
        else queue.push(msg);
      },
      onMessage: (cb) => {
        child.on('message', (m: unknown) => cb(m));
      },
      onExit: (cb) => {
        child.once('exit', (code: number) => cb(code));
      },
      kill: () => {
        child.kill();
      },
      stderrTail: () => tail,
      get pid() {
        return child.pid;
      },
    };
  };
}

function pickEnv(env: NodeJS.ProcessEnv, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
