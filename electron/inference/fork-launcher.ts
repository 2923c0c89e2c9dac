/**
 * @file The Node launcher for the inference process: child_process.fork of entry.ts through tsx
 * when running from TypeScript sources (CLI, tests), of the built entry.js otherwise. Electron's
 * utilityProcess launcher lives in electron/main and implements the same InferenceChild.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { InferenceChild } from './client';

/** Last stderr lines of the child, kept for health().lastError. */
const STDERR_TAIL = 2000;

export function resolveInferenceEntry(): { file: string; execArgv: string[] } {
  const ts = path.join(__dirname, 'entry.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(ts)) return { file: ts, execArgv: ['--import', 'tsx'] };
  // Built: tsc output keeps entry.js next to this file; electron-vite bundles it as out/main/inference.js.
  const built = [path.join(__dirname, 'entry.js'), path.join(__dirname, 'inference.js')].find((f) => fs.existsSync(f));
  return { file: built ?? path.join(__dirname, 'entry.js'), execArgv: [] };
}

export function forkInferenceProcess(): InferenceChild {
  const entry = resolveInferenceEntry();
  const child = fork(entry.file, [], {
    execArgv: entry.execArgv,
    // Typed arrays (frames, embeddings) survive only with structured-clone serialization.
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  // 'exit' may not follow a spawn or IPC 'error' (Node docs), so an error also counts as an exit, once.
  const exitCbs: Array<(code: number | null) => void> = [];
  let exited = false;
  const fireExit = (code: number | null): void => {
    if (exited) return;
    exited = true;
    for (const cb of exitCbs) cb(code);
  };
  child.once('exit', (code) => fireExit(code));
  child.on('error', (err) => {
    tail = `${tail}\n${err.message}`.slice(-STDERR_TAIL);
    child.kill('SIGKILL');
    fireExit(null);
  });
  return {
    send: (msg) => {
      if (child.connected) child.send(msg as never, (err) => err && child.emit('error', err));
    },
    onMessage: (cb) => {
      child.on('message', (m) => cb(m));
    },
    onExit: (cb) => {
      if (exited) cb(child.exitCode);
      else exitCbs.push(cb);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
    stderrTail: () => tail,
    pid: child.pid,
  };
}
