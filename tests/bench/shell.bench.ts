/**
 * @file Shell overheads on the per-frame path: the IPC gate every camera frame passes in the main
 * process (sender check + zod validation of a 640x480 RGBA request and of the answer), log
 * redaction, and one redacted log line written to a real rotating file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTRACT } from '../../electron/contract/channels';
import type { ServiceOf } from '../../electron/contract/define';
import { openKioskLogger } from '../../electron/logging/logger';
import { redactForLog } from '../../electron/logging/redact';
import { appSchemeOrigin } from '../../electron/shell/app-origin';
import { buildIpcRoutes } from '../../electron/shell/ipc-dispatch';

const RUNS = 500;
const WARMUP = 50;

function stats(ms: number[]): { p50: number; p95: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

async function time(fn: () => unknown): Promise<{ p50: number; p95: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return stats(ms);
}

const fmt = (s: { p50: number; p95: number; p99: number }): string => `${s.p50.toFixed(3)} / ${s.p95.toFixed(3)} / ${s.p99.toFixed(3)}`;

export default async function shellBench(): Promise<string> {
  // The gate around the service is what is measured, so the service answers at once.
  const answer = { kind: 'guidance', face: null, faceCount: 0, reasons: ['no_face'], liveness: null, agreeing: 0, needed: 3 };
  const service = new Proxy({}, { get: () => async () => answer }) as ServiceOf<typeof CONTRACT>;
  const log = { warn: () => {}, error: () => {} };
  const route = buildIpcRoutes(CONTRACT, service, { appOrigin: appSchemeOrigin(), log }).find((r) => r.method === 'processFrame')!;
  const frame = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 4).fill(128) };
  const sender = { frameUrl: 'kiosk-app://app/index.html', isMainFrame: true };
  const gate = await time(async () => {
    const r = await route.handle(sender, { frame });
    if (!r.ok) throw new Error('gate refused a valid frame');
  });

  const embedding = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i));
  const obj = { employeeId: 'e-17', score: 0.81, margin: 0.12, embedding, req: { headers: { Authorization: 'Bearer abcdefgh', 'content-type': 'application/json' } }, note: 'matched after 3 frames' };
  const redact = await time(() => redactForLog(obj));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-logs-'));
  const { logger, close } = await openKioskLogger({ dir });
  const line = await time(() => logger.info(obj, 'match'));
  await close();
  fs.rmSync(dir, { recursive: true, force: true });

  return [
    '## Shell',
    '',
    `Machine: ${os.cpus().length}-core ${os.arch()} (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}. ${RUNS} runs after ${WARMUP} warm-up; machine shared with other engineers' work, so medians are the meaningful numbers.`,
    '',
    '| what (tests/bench/shell.bench.ts) | p50 / p95 / p99 ms |',
    '|---|---|',
    `| IPC gate for one \`processFrame\` (640x480 RGBA): sender check + request and response zod validation | ${fmt(gate)} |`,
    `| \`redactForLog\` of a match record with a 128-float embedding and an Authorization header | ${fmt(redact)} |`,
    `| one redacted \`logger.info\` to a rotating file (pino + pino-roll) | ${fmt(line)} |`,
  ].join('\n');
}
