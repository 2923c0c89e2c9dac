/**
 * @file The inference process's message protocol: a request union with ids, answered by
 * `{id, ok:true, value} | {id, ok:false, error: ErrorValue}`. Both ends parse with zod, because
 * this is a process boundary (a bad message must be refused with a clear error, not crash it).
 * Binary data (frames, encoded images, embeddings) travel as typed arrays: structured clone in
 * Electron's utilityProcess, `serialization: 'advanced'` under child_process.fork.
 */
import { z } from 'zod';
import type { ErrorValue } from '../common/errors';
import type { FaceAnalysis } from '../engine/types';

export const InitOptionsSchema = z.object({
  modelsDir: z.string().min(1),
  embedder: z.string().min(1).optional(),
  detector: z.string().min(1).optional(),
  intraOpThreads: z.number().int().min(1).max(64).optional(),
  livenessThreshold: z.number().min(0).max(1).optional(),
  flipEmbedding: z.boolean().optional(),
  detectMaxSide: z.number().int().min(0).max(8192).optional(),
});
export type InitOptions = z.infer<typeof InitOptionsSchema>;

export const AnalyzeOptionsSchema = z
  .object({
    liveness: z.boolean().optional(),
    embedEvenIfPoorQuality: z.boolean().optional(),
    purpose: z.enum(['enrol', 'recognize']).optional(),
  })
  .strict();

const Id = z.number().int().nonnegative();
const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'must be a Uint8Array' });

/** The frame's fields are checked in depth by validateRawImage (dimensions, length, value range). */
const FrameSchema = z.object({
  width: z.number(),
  height: z.number(),
  channels: z.number(),
  data: z.unknown(),
});

export const RequestSchema = z.discriminatedUnion('type', [
  z.object({ id: Id, type: z.literal('init'), options: InitOptionsSchema }),
  z.object({ id: Id, type: z.literal('ping') }),
  z.object({ id: Id, type: z.literal('analyze'), image: FrameSchema, options: AnalyzeOptionsSchema.optional() }),
  z.object({ id: Id, type: z.literal('analyzeEncoded'), bytes: Bytes, options: AnalyzeOptionsSchema.optional() }),
  z.object({ id: Id, type: z.literal('analyzeFile'), path: z.string().min(1), options: AnalyzeOptionsSchema.optional() }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];

export interface EngineInfo {
  readonly detectorId: string;
  readonly embedderId: string;
  readonly livenessIds: readonly string[];
  readonly threshold: number;
  readonly embeddingDim: number;
  readonly pid: number;
}

export interface ResultOf {
  init: EngineInfo;
  ping: { pid: number };
  analyze: FaceAnalysis;
  analyzeEncoded: FaceAnalysis;
  analyzeFile: FaceAnalysis;
}

/**
 * The entry's first message, sent once its listener is attached: a response to the reserved id 0
 * (request ids start at 1). The client sends nothing before it.
 */
export const HELLO_ID = 0;
export function helloMessage(pid: number): Response {
  return { id: HELLO_ID, ok: true, value: { hello: true, pid } };
}

export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorValue };

const ErrorValueSchema = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const ResponseSchema = z.union([
  z.object({ id: Id, ok: z.literal(true), value: z.unknown() }),
  z.object({ id: Id, ok: z.literal(false), error: ErrorValueSchema }),
]);

/** The id of a message that failed validation, if it carries one, so the error can still be routed. */
export function idOf(msg: unknown): number {
  const id = typeof msg === 'object' && msg !== null ? (msg as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : -1;
}
