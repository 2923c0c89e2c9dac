/**
 * @file The model manifest (`models/manifest.json`): every supported model with its
 * hash, size, licence and preprocessing descriptor. Validated on load so a hand-edited
 * manifest fails with the path of the bad field instead of a confusing inference error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, ModelUnknownError } from '../common/errors';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const triple = z.tuple([z.number(), z.number(), z.number()]);

export const PreprocessSchema = z.object({
  inputWidth: z.number().int().positive(),
  inputHeight: z.number().int().positive(),
  /** True when the graph accepts any H and W (multiples of 32 for YuNet). */
  dynamicInput: z.boolean(),
  layout: z.enum(['NCHW', 'NHWC']),
  channelOrder: z.enum(['RGB', 'BGR']),
  /** value = (pixel * scale - mean[c]) / std[c], pixel in 0..255. */
  scale: z.number().positive(),
  mean: triple,
  std: triple.refine((s) => s.every((v) => v > 0), 'std must be positive'),
});
export type Preprocess = z.infer<typeof PreprocessSchema>;

const Base = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  file: z.string().regex(/^[A-Za-z0-9._-]+\.onnx$/, 'must be a plain .onnx file name'),
  sha256: sha256Hex,
  bytes: z.number().int().positive(),
  url: z.url(),
  license: z.string().min(1),
  preprocess: PreprocessSchema,
});

export const DetectorModelSchema = Base.extend({
  kind: z.literal('detector'),
  detector: z.object({
    strides: z.array(z.number().int().positive()).min(1),
    scoreThreshold: z.number().min(0).max(1),
    nmsThreshold: z.number().min(0).max(1),
    topK: z.number().int().positive(),
  }),
});

export const EmbedderModelSchema = Base.extend({
  kind: z.literal('embedder'),
  embedder: z.object({
    outputDim: z.number().int().positive(),
    /** Cosine similarity at or above which two faces are the same person. */
    defaultThreshold: z.number().min(-1).max(1),
    normalize: z.boolean(),
  }),
});

export const LivenessModelSchema = Base.extend({
  kind: z.literal('liveness'),
  liveness: z.object({
    cropScale: z.number().positive(),
    realClass: z.number().int().nonnegative(),
    numClasses: z.number().int().positive(),
  }),
});

export const ModelEntrySchema = z.discriminatedUnion('kind', [DetectorModelSchema, EmbedderModelSchema, LivenessModelSchema]);
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
export type DetectorModel = z.infer<typeof DetectorModelSchema>;
export type EmbedderModel = z.infer<typeof EmbedderModelSchema>;
export type LivenessModel = z.infer<typeof LivenessModelSchema>;
export type ModelKind = ModelEntry['kind'];

export const ManifestSchema = z
  .object({
    schemaVersion: z.literal(1),
    defaults: z.object({
      detector: z.string(),
      embedder: z.string(),
      liveness: z.array(z.string()).min(1),
    }),
    models: z.array(ModelEntrySchema).min(1),
  })
  .superRefine((m, ctx) => {
    const ids = new Set<string>();
    for (const entry of m.models) {
      if (ids.has(entry.id)) ctx.addIssue({ code: 'custom', message: `duplicate model id ${entry.id}` });
      ids.add(entry.id);
    }
    const want: Array<[string, ModelKind]> = [
      [m.defaults.detector, 'detector'],
      [m.defaults.embedder, 'embedder'],
      ...m.defaults.liveness.map((id): [string, ModelKind] => [id, 'liveness']),
    ];
    for (const [id, kind] of want) {
      const entry = m.models.find((e) => e.id === id);
      if (!entry || entry.kind !== kind) ctx.addIssue({ code: 'custom', message: `default ${kind} "${id}" is not a ${kind} in models[]` });
    }
  });
export type Manifest = z.infer<typeof ManifestSchema>;

export const MANIFEST_FILE = 'manifest.json';

/** Read and validate `<modelsDir>/manifest.json`. */
export function loadManifest(modelsDir: string): Manifest {
  const file = path.join(modelsDir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`model manifest not found at ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(`model manifest ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.join('.') || '(root)' : '(root)';
    throw new ConfigError(`model manifest ${file} is invalid at ${where}: ${first?.message ?? 'unknown error'}`);
  }
  return parsed.data;
}

export function findModel(manifest: Manifest, id: string): ModelEntry {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) {
    throw new ModelUnknownError(`unknown model id "${id}" (known: ${manifest.models.map((m) => m.id).join(', ')})`);
  }
  return entry;
}

export function findModelOfKind<K extends ModelKind>(manifest: Manifest, id: string, kind: K): Extract<ModelEntry, { kind: K }> {
  const entry = findModel(manifest, id);
  if (entry.kind !== kind) throw new ModelUnknownError(`model "${id}" is a ${entry.kind}, not a ${kind}`);
  return entry as Extract<ModelEntry, { kind: K }>;
}

export interface ModelSelection {
  readonly detector: DetectorModel;
  readonly embedder: EmbedderModel;
  readonly liveness: readonly LivenessModel[];
}

/**
 * Which models the engine runs. The embedder comes from `KIOSK_EMBEDDER` if set, else the
 * configured value, else the manifest default (SFace, the reference design's model).
 */
export function selectModels(
  manifest: Manifest,
  opts: { embedder?: string | undefined; detector?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): ModelSelection {
  const env = opts.env ?? process.env;
  const embedderId = env.KIOSK_EMBEDDER || opts.embedder || manifest.defaults.embedder;
  const detectorId = env.KIOSK_DETECTOR || opts.detector || manifest.defaults.detector;
  return {
    detector: findModelOfKind(manifest, detectorId, 'detector'),
    embedder: findModelOfKind(manifest, embedderId, 'embedder'),
    liveness: manifest.defaults.liveness.map((id) => findModelOfKind(manifest, id, 'liveness')),
  };
}
