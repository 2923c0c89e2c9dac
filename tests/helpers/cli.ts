/**
 * @file Run the real `kiosk` CLI in a child process, as a user would.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './paths';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const ENTRY = path.join(PROJECT_ROOT, 'electron', 'cli', 'main.ts');

export function runKiosk(args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): CliRun {
  const r = spawnSync(TSX, [ENTRY, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function runKioskJson<T = unknown>(args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number; json: T; stderr: string } {
  const r = runKiosk(['--json', ...args], env);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`kiosk ${args.join(' ')} did not print JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}
