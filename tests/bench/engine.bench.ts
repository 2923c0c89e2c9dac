/**
 * @file Face engine benchmark: one 640x480 RGBA camera frame with one face → decision
 * (detect + align + embed + liveness), p50/p95/p99, split into onnxruntime time and our own
 * pre/post-processing; in-process for both detector variants, and through the inference process.
 */
import fs from 'node:fs';
import os from 'node:os';
import sharp from 'sharp';
import { FaceEngine } from '../../electron/engine/face-engine';
import { summarizeLatencies, type LatencySummary } from '../../electron/engine/latency';
import type { RawImage } from '../../electron/engine/types';
import { InferenceClient } from '../../electron/inference/client';
import { INSTALLED_MODELS_DIR, sharedFace } from '../helpers/paths';

const RUNS = Number(process.env.KIOSK_BENCH_RUNS ?? 300);
const WARMUP = 30;
const EMBEDDER = process.env.KIOSK_EMBEDDER ?? 'mobilefacenet-128';

async function cameraFrame(): Promise<RawImage> {
  const { data, info } = await sharp(fs.readFileSync(sharedFace('deepface/img3.jpg')))
    .rotate()
    .resize(640, 480, { fit: 'cover' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 4, data: new Uint8Array(data) };
}

interface Row {
  readonly name: string;
  readonly total: LatencySummary;
  readonly model: LatencySummary;
  readonly overhead: LatencySummary;
  readonly stages: Record<string, LatencySummary>;
}

async function benchInProcess(frame: RawImage, detector: string, detectMaxSide = 0): Promise<Row> {
  const engine = await FaceEngine.create({ modelsDir: INSTALLED_MODELS_DIR, embedder: EMBEDDER, detector, detectMaxSide, env: {} });
  try {
    const totals: number[] = [];
    const models: number[] = [];
    const stages: Record<string, number[]> = { detect: [], align: [], embed: [], liveness: [] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const a = await engine.analyze(frame);
      if (a.faces.length !== 1 || !a.embedding || !a.liveness) throw new Error('benchmark frame must give one face, an embedding and a liveness verdict');
      if (i < WARMUP) continue;
      totals.push(a.timings.total);
      models.push(a.timings.model);
      for (const k of Object.keys(stages)) stages[k]!.push(a.timings[k as 'detect']);
    }
    return {
      name: `in-process, ${detector}${detectMaxSide ? ` at ${detectMaxSide} px` : ''}`,
      total: summarizeLatencies(totals),
      model: summarizeLatencies(models),
      overhead: summarizeLatencies(totals.map((t, i) => t - models[i]!)),
      stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, summarizeLatencies(v)])),
    };
  } finally {
    await engine.release();
  }
}

async function benchThroughProcess(frame: RawImage): Promise<Row> {
  const client = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: EMBEDDER });
  try {
    const totals: number[] = [];
    const models: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const a = await client.analyze(frame);
      const t = performance.now() - t0;
      if (i < WARMUP) continue;
      totals.push(t);
      models.push(a.timings.model);
    }
    return {
      name: `inference process round trip, ${client.detectorId}`,
      total: summarizeLatencies(totals),
      model: summarizeLatencies(models),
      overhead: summarizeLatencies(totals.map((t, i) => t - models[i]!)),
      stages: {},
    };
  } finally {
    await client.close();
  }
}

export default async function engineBench(): Promise<string> {
  const frame = await cameraFrame();
  const rows = [
    await benchInProcess(frame, 'yunet-2023mar'),
    await benchInProcess(frame, 'yunet-2023mar-dynamic'),
    await benchInProcess(frame, 'yunet-2023mar-dynamic', 320),
    await benchThroughProcess(frame),
  ];
  const fmt = (s: LatencySummary): string => `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.p99.toFixed(1)}`;
  const lines = [
    `## Face engine`,
    '',
    `640x480 RGBA frame, one face → decision (detect + align + embed + liveness), ${EMBEDDER}, 1 intra-op thread, ${RUNS} runs after ${WARMUP} warm-up.`,
    `Machine: ${os.cpus().length}-core ${os.arch()} (${os.cpus()[0]?.model.trim() ?? 'cpu'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at start ${os.loadavg()[0]!.toFixed(2)}.`,
    '',
    '| path | total p50 / p95 / p99 ms | model (onnxruntime) p50 / p95 / p99 ms | own overhead p50 / p95 / p99 ms | overhead / model (p50) |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.total)} | ${fmt(r.model)} | ${fmt(r.overhead)} | ${((r.overhead.p50 / r.model.p50) * 100).toFixed(0)}% |`),
    '',
    '| stage (in-process, yunet-2023mar) | p50 / p95 / p99 ms |',
    '|---|---|',
    ...Object.entries(rows[0]!.stages).map(([k, s]) => `| ${k} | ${fmt(s)} |`),
  ];
  return lines.join('\n');
}
