/**
 * @file `kiosk detect|embed|verify|liveness|bench|evaluate`: the face engine from the command
 * line, through the same InferenceClient (and inference process) the app uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ImageDecodeError, InvalidInputError } from '../common/errors';
import { loadSettings } from '../config/settings';
import { cosineSimilarity } from '../engine/embedding';
import { evaluateVerification, pairScores, parseLabelsCsv } from '../engine/evaluation';
import { summarizeLatencies } from '../engine/latency';
import type { FaceAnalysis, FaceDetection, StageTimings } from '../engine/types';
import { InferenceClient } from '../inference/client';
import { dataDirOf, globalOptions, modelsDirOf, type GlobalOptions } from './context';
import { printResult } from './output';

const r2 = (v: number): number => Math.round(v * 100) / 100;
const r4 = (v: number): number => Math.round(v * 10000) / 10000;

/** Embedder from settings when a settings file exists (KIOSK_EMBEDDER still wins inside selectModels). */
function configuredEmbedder(g: GlobalOptions): string | undefined {
  const dir = dataDirOf(g);
  if (!fs.existsSync(path.join(dir, 'settings.json'))) return undefined;
  return loadSettings(dir).embedder;
}

async function withClient<T>(g: GlobalOptions, extra: { livenessThreshold?: number }, fn: (c: InferenceClient) => Promise<T>): Promise<T> {
  const embedder = configuredEmbedder(g);
  const client = await InferenceClient.start({
    modelsDir: modelsDirOf(g),
    ...(embedder ? { embedder } : {}),
    ...(extra.livenessThreshold !== undefined ? { livenessThreshold: extra.livenessThreshold } : {}),
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

function requireImage(file: string): string {
  if (!fs.existsSync(file)) throw new InvalidInputError(`${file}: no such file`);
  if (!fs.statSync(file).isFile()) throw new InvalidInputError(`${file}: not a file`);
  return path.resolve(file);
}

function faceJson(f: FaceDetection): unknown {
  return {
    box: { x: r2(f.box.x), y: r2(f.box.y), width: r2(f.box.width), height: r2(f.box.height) },
    landmarks: f.landmarks.map((p) => ({ x: r2(p.x), y: r2(p.y) })),
    score: r4(f.score),
  };
}

function parseThreshold(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidInputError(`${name} must be a number, got "${v}"`);
  return n;
}

function subjectOrFail(a: FaceAnalysis, file: string): FaceDetection {
  const f = a.faces[a.subject];
  if (!f) throw new ImageDecodeError(`no face found in ${file}`);
  return f;
}

export function buildEngineCommands(): Command[] {
  const detect = new Command('detect')
    .description('find faces: box, 5 landmarks (YuNet order) and score per face')
    .argument('<image>', 'JPEG, PNG or WebP file')
    .action(async (image: string, _o: unknown, cmd: Command) => {
      const g = globalOptions(cmd);
      const file = requireImage(image);
      const a = await withClient(g, {}, (c) => c.analyzeFile(file, { liveness: false }));
      const value = { image, width: a.width, height: a.height, faces: a.faces.map(faceJson) };
      printResult(g, value, () =>
        a.faces.length === 0
          ? `${image}: no face`
          : a.faces.map((f, i) => `face ${i}: score ${f.score.toFixed(3)} box ${[f.box.x, f.box.y, f.box.width, f.box.height].map((v) => v.toFixed(1)).join(',')}`).join('\n'),
      );
    });

  const embed = new Command('embed')
    .description('128-d L2-normalised embedding of the largest face in each image')
    .argument('<image...>', 'JPEG, PNG or WebP files')
    .action(async (images: string[], _o: unknown, cmd: Command) => {
      const g = globalOptions(cmd);
      const files = images.map(requireImage);
      const rows = await withClient(g, {}, async (c) => {
        const out: Array<{ image: string; faces: number; modelId: string; embedding?: number[] }> = [];
        for (let i = 0; i < files.length; i++) {
          const a = await c.analyzeFile(files[i]!, { liveness: false, embedEvenIfPoorQuality: true });
          out.push({ image: images[i]!, faces: a.faces.length, modelId: a.modelId, ...(a.embedding ? { embedding: Array.from(a.embedding) } : {}) });
        }
        return out;
      });
      printResult(g, rows, () => rows.map((r) => `${r.image}: ${r.faces} face(s)${r.embedding ? `, ${r.modelId} [${r.embedding.slice(0, 4).map((v) => v.toFixed(3)).join(', ')}, …]` : ''}`).join('\n'));
    });

  const verify = new Command('verify')
    .description('are the largest faces in two images the same person? (cosine ≥ the embedder threshold)')
    .argument('<imageA>')
    .argument('<imageB>')
    .option('--threshold <cos>', 'cosine threshold (default: the embedder manifest default)')
    .action(async (imageA: string, imageB: string, o: { threshold?: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const fa = requireImage(imageA);
      const fb = requireImage(imageB);
      const th = parseThreshold(o.threshold, '--threshold');
      const value = await withClient(g, {}, async (c) => {
        const a = await c.analyzeFile(fa, { liveness: false, embedEvenIfPoorQuality: true });
        const b = await c.analyzeFile(fb, { liveness: false, embedEvenIfPoorQuality: true });
        subjectOrFail(a, imageA);
        subjectOrFail(b, imageB);
        const similarity = cosineSimilarity(a.embedding!, b.embedding!);
        const threshold = th ?? c.threshold;
        return { similarity: r4(similarity), threshold, match: similarity >= threshold, modelId: c.embedderId };
      });
      printResult(g, value, () => `${value.match ? 'match' : 'no match'}: similarity ${value.similarity} (threshold ${value.threshold}, ${value.modelId})`);
    });

  const liveness = new Command('liveness')
    .description('passive liveness (MiniFASNetV2 + V1SE fused) of the largest face')
    .argument('<image>')
    .option('--threshold <p>', 'also require this fused real probability (0..1; default: upstream argmax rule only)')
    .action(async (image: string, o: { threshold?: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const file = requireImage(image);
      const th = parseThreshold(o.threshold, '--threshold');
      if (th !== undefined && (th < 0 || th > 1)) throw new InvalidInputError('--threshold must be within 0..1');
      const a = await withClient(g, th !== undefined ? { livenessThreshold: th } : {}, (c) => c.analyzeFile(file, { liveness: true }));
      subjectOrFail(a, image);
      const v = a.liveness!;
      const value = { image, real: v.real, score: r4(v.score), label: v.label };
      printResult(g, value, () => `${image}: ${v.real ? 'real' : 'spoof'} (real probability ${v.score.toFixed(3)}, label ${v.label})`);
    });

  const bench = new Command('bench')
    .description('per-stage latency p50/p95/p99 over repeated runs on the shared faces, plus throughput')
    .option('--images <csv>', 'labels CSV whose images to use (default: ../shared/faces/labels.csv)')
    .option('--runs <n>', 'analyses to time (default 100)', '100')
    .option('--warmup <n>', 'untimed warm-up analyses (default 10)', '10')
    .action(async (o: { images?: string; runs: string; warmup: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const runs = Number(o.runs);
      const warmup = Number(o.warmup);
      if (!Number.isInteger(runs) || runs < 1 || runs > 100_000) throw new InvalidInputError('--runs must be an integer 1..100000');
      if (!Number.isInteger(warmup) || warmup < 0) throw new InvalidInputError('--warmup must be a non-negative integer');
      // Default: the shared test photos next to the checkout (KIOSK_SHARED_DIR overrides, as in the tests).
      const shared = process.env.KIOSK_SHARED_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared');
      const csv = path.resolve(o.images ?? path.join(shared, 'faces', 'labels.csv'));
      if (!fs.existsSync(csv)) throw new InvalidInputError(`${csv}: no such labels CSV (pass --images)`);
      const files = parseLabelsCsv(fs.readFileSync(csv, 'utf8')).map((row) => path.resolve(path.dirname(csv), row.path));
      const bytes = files.map((f) => new Uint8Array(fs.readFileSync(f)));
      const value = await withClient(g, {}, async (c) => {
        for (let i = 0; i < warmup; i++) await c.analyzeEncoded(bytes[i % bytes.length]!);
        const t: Record<keyof StageTimings, number[]> = { decode: [], detect: [], align: [], embed: [], liveness: [], total: [], model: [] };
        const roundTrip: number[] = [];
        const start = performance.now();
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          const a = await c.analyzeEncoded(bytes[i % bytes.length]!, { embedEvenIfPoorQuality: true });
          roundTrip.push(performance.now() - t0);
          for (const k of Object.keys(t) as (keyof StageTimings)[]) t[k].push(a.timings[k]);
        }
        const seconds = (performance.now() - start) / 1000;
        const stages = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, summarizeLatencies(v)]));
        return {
          runs,
          images: files.length,
          embedder: c.embedderId,
          stages,
          roundTrip: summarizeLatencies(roundTrip),
          throughputPerSecond: r2(runs / seconds),
        };
      });
      printResult(g, value, () =>
        [
          `${value.runs} analyses of ${value.images} images (${value.embedder}), ms:`,
          'stage       p50      p95      p99',
          ...Object.entries(value.stages).map(([k, s]) => `${k.padEnd(9)} ${String(s.p50).padStart(7)}  ${String(s.p95).padStart(7)}  ${String(s.p99).padStart(7)}`),
          `round trip ${value.roundTrip.p50} / ${value.roundTrip.p95} / ${value.roundTrip.p99}`,
          `throughput ${value.throughputPerSecond} images/s`,
        ].join('\n'),
      );
    });

  const evaluate = new Command('evaluate')
    .description('verification accuracy (ISO/IEC 19795 FMR, FNMR, EER, TAR@FMR=1e-3) over all pairs of a labels CSV')
    .requiredOption('--labels <csv>', '`path,identity` CSV; paths relative to the CSV')
    .option('--threshold <cos>', 'decision threshold (default: the embedder manifest default)')
    .action(async (o: { labels: string; threshold?: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const csv = path.resolve(o.labels);
      if (!fs.existsSync(csv)) throw new InvalidInputError(`--labels ${o.labels}: no such file`);
      let rows;
      try {
        rows = parseLabelsCsv(fs.readFileSync(csv, 'utf8'));
      } catch (e) {
        throw new InvalidInputError(`--labels ${o.labels}: ${(e as Error).message}`);
      }
      const th = parseThreshold(o.threshold, '--threshold');
      const value = await withClient(g, {}, async (c) => {
        const items: { identity: string; embedding: Float32Array }[] = [];
        const failedToAcquire: string[] = [];
        for (const row of rows) {
          const file = path.resolve(path.dirname(csv), row.path);
          let a: FaceAnalysis | null = null;
          try {
            a = await c.analyzeFile(file, { liveness: false, embedEvenIfPoorQuality: true });
          } catch (e) {
            if (!(e instanceof ImageDecodeError)) throw e;
          }
          if (a?.embedding) items.push({ identity: row.identity, embedding: a.embedding });
          else failedToAcquire.push(row.path);
        }
        const { genuine, impostor } = pairScores(items);
        const threshold = th ?? c.threshold;
        const rep = evaluateVerification(genuine, impostor, threshold);
        return {
          modelId: c.embedderId,
          samples: rows.length,
          identities: new Set(rows.map((r) => r.identity)).size,
          failureToAcquireRate: r4(failedToAcquire.length / rows.length),
          failedToAcquire,
          genuinePairs: rep.genuinePairs,
          impostorPairs: rep.impostorPairs,
          threshold,
          fnmr: r4(rep.atThreshold.fnmr),
          fmr: r4(rep.atThreshold.fmr),
          eer: r4(rep.eer),
          eerThreshold: r4(rep.eerThreshold),
          tarAtFmr1e3: r4(rep.tarAtTargetFmr),
          thresholdAtFmr1e3: r4(rep.thresholdAtTargetFmr),
          genuineScores: { min: r4(rep.genuine.min), p05: r4(rep.genuine.p05), mean: r4(rep.genuine.mean) },
          impostorScores: { max: r4(rep.impostor.max), p95: r4(rep.impostor.p95), mean: r4(rep.impostor.mean) },
        };
      });
      printResult(g, value, () =>
        [
          `${value.modelId}: ${value.samples} samples, ${value.identities} identities, FTA ${(value.failureToAcquireRate * 100).toFixed(2)}%`,
          `${value.genuinePairs} genuine / ${value.impostorPairs} impostor comparisons`,
          `at threshold ${value.threshold}: FNMR ${(value.fnmr * 100).toFixed(2)}%  FMR ${(value.fmr * 100).toFixed(3)}%`,
          `EER ${(value.eer * 100).toFixed(2)}% at ${value.eerThreshold}`,
          `TAR@FMR=1e-3 ${(value.tarAtFmr1e3 * 100).toFixed(2)}% at threshold ${value.thresholdAtFmr1e3}`,
        ].join('\n'),
      );
    });

  return [detect, embed, verify, liveness, bench, evaluate];
}
