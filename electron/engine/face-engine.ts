/**
 * @file The face engine: onnxruntime sessions for YuNet, the configured embedder and the two
 * MiniFASNets, created once from verified model bytes and reused, plus `analyze`, which turns a
 * frame into detections, a quality verdict, a liveness verdict and an embedding.
 *
 * Runs inside the inference process only: `run()` blocks the JavaScript thread for its whole
 * duration (onnxruntime-node defers a synchronous call with setImmediate; face-pipeline.md §6).
 */
import * as ort from 'onnxruntime-node';
import { InferenceError } from '../common/errors';
import { loadManifest, selectModels, type DetectorModel, type EmbedderModel, type LivenessModel } from '../models/manifest';
import { loadModelVerified } from '../models/provision';
import { ALIGNED_SIZE, alignFace } from './align';
import { fillEmbedderInput, flipHorizontal, l2Normalize } from './embedding';
import { computeLivenessCrop, fillLivenessInput, fuseLiveness, softmax } from './liveness';
import { ENROL_THRESHOLDS, RECOGNIZE_THRESHOLDS, assessQuality, pickSubject } from './quality';
import type { AnalyzeOptions, Box, FaceAnalysis, FaceDetection, LivenessVerdict, RawImage } from './types';
import { decodeYuNet, fillDetectorInput, mapToFrame, planLetterbox, suppressCandidates, type DetectorGeometry, type YuNetOutputs } from './yunet';

export interface FaceEngineOptions {
  readonly modelsDir: string;
  readonly embedder?: string | undefined;
  readonly detector?: string | undefined;
  /** onnxruntime intra-op threads per session (default 1: the kiosk shares a small CPU with the UI). */
  readonly intraOpThreads?: number | undefined;
  /** Minimum fused real probability on top of upstream's argmax rule (default 0 = upstream). */
  readonly livenessThreshold?: number | undefined;
  /** Add the embedding of the mirrored crop (foamliu's LFW protocol); costs a second embedder run. */
  readonly flipEmbedding?: boolean | undefined;
  /**
   * Shrink frames so their longer side is at most this before detection (0 = only what the
   * model input requires). Only saves time with the dynamic-input detector, whose input then
   * shrinks too; landmarks are still mapped back to full-resolution coordinates.
   */
  readonly detectMaxSide?: number | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

interface LivenessRunner {
  readonly model: LivenessModel;
  readonly session: ort.InferenceSession;
  readonly input: Float32Array;
}

export interface ModelInfo {
  readonly detectorId: string;
  readonly embedderId: string;
  readonly livenessIds: readonly string[];
  readonly threshold: number;
  readonly embeddingDim: number;
}

const now = (): number => performance.now();

export class FaceEngine {
  private detTensor: Float32Array | null = null;
  private detGeometryKey = '';
  private readonly embInput: Float32Array;
  private readonly cropBuf = new Uint8Array(ALIGNED_SIZE * ALIGNED_SIZE * 3);
  private modelMs = 0;

  private constructor(
    readonly detectorModel: DetectorModel,
    readonly embedderModel: EmbedderModel,
    private readonly detSession: ort.InferenceSession,
    private readonly embSession: ort.InferenceSession,
    private readonly liveness: readonly LivenessRunner[],
    private readonly livenessThreshold: number,
    private readonly flipEmbedding: boolean,
    private readonly detectMaxSide: number,
  ) {
    const p = embedderModel.preprocess;
    this.embInput = new Float32Array(3 * p.inputWidth * p.inputHeight);
  }

  /** Load and verify every model (ModelMissingError / ModelCorruptError) and create the sessions once. */
  static async create(opts: FaceEngineOptions): Promise<FaceEngine> {
    const manifest = loadManifest(opts.modelsDir);
    const sel = selectModels(manifest, { embedder: opts.embedder, detector: opts.detector, env: opts.env ?? process.env });
    if (sel.embedder.preprocess.inputWidth !== ALIGNED_SIZE || sel.embedder.preprocess.inputHeight !== ALIGNED_SIZE) {
      throw new InferenceError(`embedder ${sel.embedder.id} wants ${sel.embedder.preprocess.inputWidth}x${sel.embedder.preprocess.inputHeight}; the aligned crop is ${ALIGNED_SIZE}x${ALIGNED_SIZE}`);
    }
    const threshold = opts.livenessThreshold ?? 0;
    if (!(threshold >= 0 && threshold <= 1)) throw new InferenceError(`livenessThreshold must be within 0..1, got ${threshold}`);
    const maxSide = opts.detectMaxSide ?? 0;
    if (!Number.isInteger(maxSide) || maxSide < 0 || (maxSide > 0 && maxSide < 64)) throw new InferenceError(`detectMaxSide must be 0 or an integer ≥ 64, got ${maxSide}`);
    const threads = opts.intraOpThreads ?? 1;
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new InferenceError(`intraOpThreads must be an integer 1..64, got ${threads}`);
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    const open = async (entry: DetectorModel | EmbedderModel | LivenessModel): Promise<ort.InferenceSession> => {
      const bytes = await loadModelVerified(entry, opts.modelsDir);
      try {
        return await ort.InferenceSession.create(bytes, sessionOptions);
      } catch (e) {
        throw new InferenceError(`onnxruntime could not load ${entry.id}: ${(e as Error).message}`, { modelId: entry.id });
      }
    };
    const opened: ort.InferenceSession[] = [];
    const track = async (entry: DetectorModel | EmbedderModel | LivenessModel): Promise<ort.InferenceSession> => {
      const session = await open(entry);
      opened.push(session);
      return session;
    };
    let det: ort.InferenceSession;
    let emb: ort.InferenceSession;
    const live: LivenessRunner[] = [];
    try {
      det = await track(sel.detector);
      emb = await track(sel.embedder);
      for (const m of sel.liveness) {
        live.push({ model: m, session: await track(m), input: new Float32Array(3 * m.preprocess.inputWidth * m.preprocess.inputHeight) });
      }
    } catch (e) {
      // Do not leak the native memory of the sessions that did load.
      await Promise.allSettled(opened.map((s) => s.release()));
      throw e;
    }
    return new FaceEngine(sel.detector, sel.embedder, det, emb, live, threshold, opts.flipEmbedding ?? false, maxSide);
  }

  info(): ModelInfo {
    return {
      detectorId: this.detectorModel.id,
      embedderId: this.embedderModel.id,
      livenessIds: this.liveness.map((l) => l.model.id),
      threshold: this.embedderModel.embedder.defaultThreshold,
      embeddingDim: this.embedderModel.embedder.outputDim,
    };
  }

  private async run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    const t0 = now();
    try {
      return await session.run(feeds);
    } catch (e) {
      throw new InferenceError(`onnxruntime run failed: ${(e as Error).message}`);
    } finally {
      this.modelMs += now() - t0;
    }
  }

  private async detectAt(image: RawImage, g: DetectorGeometry): Promise<FaceDetection[]> {
    const key = `${g.inputWidth}x${g.inputHeight}/${g.scaledWidth}x${g.scaledHeight}`;
    const len = 3 * g.inputWidth * g.inputHeight;
    if (!this.detTensor || this.detTensor.length !== len) this.detTensor = new Float32Array(len);
    else if (key !== this.detGeometryKey) this.detTensor.fill(0); // padding must be zero again
    this.detGeometryKey = key;
    fillDetectorInput(image, g, this.detTensor);
    const input = new ort.Tensor('float32', this.detTensor, [1, 3, g.inputHeight, g.inputWidth]);
    const inName = this.detSession.inputNames[0] ?? 'input';
    const res = await this.run(this.detSession, { [inName]: input });
    const outputs: Record<string, Float32Array> = {};
    for (const name of this.detSession.outputNames) outputs[name] = res[name]!.data as Float32Array;
    const d = this.detectorModel.detector;
    const cands = decodeYuNet(outputs as YuNetOutputs, {
      inputWidth: g.inputWidth,
      inputHeight: g.inputHeight,
      strides: d.strides,
      scoreThreshold: d.scoreThreshold,
    });
    return suppressCandidates(cands, d.scoreThreshold, d.nmsThreshold, d.topK).map((c) => mapToFrame(c, g.scale));
  }

  /**
   * Faces in the frame, best score first. If none is found in a frame whose scaled size is still
   * large, retry once at half the scale: a close-up face can exceed YuNet's ~300 px useful size.
   */
  async detect(image: RawImage): Promise<FaceDetection[]> {
    const pre = this.detectorModel.preprocess;
    const cap = this.detectMaxSide > 0 ? this.detectMaxSide / Math.max(image.width, image.height) : 1;
    const g = planLetterbox(image.width, image.height, pre, Math.min(1, cap));
    const faces = await this.detectAt(image, g);
    if (faces.length === 0 && Math.min(g.scaledWidth, g.scaledHeight) >= 320) {
      return this.detectAt(image, planLetterbox(image.width, image.height, pre, g.scale / 2));
    }
    return faces;
  }

  /** L2-normalised embedding of an aligned 112x112 RGB crop. */
  async embedCrop(crop: Uint8Array): Promise<Float32Array> {
    const pre = this.embedderModel.preprocess;
    const dims = pre.layout === 'NCHW' ? [1, 3, pre.inputHeight, pre.inputWidth] : [1, pre.inputHeight, pre.inputWidth, 3];
    const inName = this.embSession.inputNames[0]!;
    const outName = this.embSession.outputNames[0]!;
    const once = async (rgb: Uint8Array): Promise<Float32Array> => {
      fillEmbedderInput(rgb, pre.inputWidth, pre.inputHeight, pre, this.embInput);
      const res = await this.run(this.embSession, { [inName]: new ort.Tensor('float32', this.embInput, dims) });
      const out = res[outName]!.data as Float32Array;
      if (out.length !== this.embedderModel.embedder.outputDim) {
        throw new InferenceError(`embedder ${this.embedderModel.id} returned ${out.length} values, manifest says ${this.embedderModel.embedder.outputDim}`);
      }
      return Float32Array.from(out);
    };
    const v = await once(crop);
    if (this.flipEmbedding) {
      const f = await once(flipHorizontal(crop, pre.inputWidth, pre.inputHeight));
      for (let i = 0; i < v.length; i++) v[i]! += f[i]!;
    }
    try {
      return l2Normalize(v);
    } catch (e) {
      throw new InferenceError(`embedder ${this.embedderModel.id}: ${(e as Error).message}`);
    }
  }

  /** Fused MiniFASNet verdict for the face in `box`. */
  async checkLiveness(image: RawImage, box: Box): Promise<LivenessVerdict> {
    const probs: Float64Array[] = [];
    for (const l of this.liveness) {
      const pre = l.model.preprocess;
      const region = computeLivenessCrop(image.width, image.height, box, l.model.liveness.cropScale);
      fillLivenessInput(image, region, { width: pre.inputWidth, height: pre.inputHeight }, l.input);
      const inName = l.session.inputNames[0]!;
      const res = await this.run(l.session, { [inName]: new ort.Tensor('float32', l.input, [1, 3, pre.inputHeight, pre.inputWidth]) });
      probs.push(softmax(res[l.session.outputNames[0]!]!.data as Float32Array));
    }
    return fuseLiveness(probs, this.liveness[0]?.model.liveness.realClass ?? 1, this.livenessThreshold);
  }

  /** Full analysis of one frame; `decodeMs` is the caller's decode time, folded into the timings. */
  async analyze(image: RawImage, opts: AnalyzeOptions = {}, decodeMs = 0): Promise<FaceAnalysis> {
    this.modelMs = 0;
    const t0 = now();
    const faces = await this.detect(image);
    const t1 = now();
    const subject = pickSubject(faces);
    let crop: Uint8Array | null = null;
    if (subject >= 0) crop = alignFace(image, faces[subject]!.landmarks, this.cropBuf).crop;
    const t2 = now();
    const quality = assessQuality(faces, subject, crop, opts.purpose === 'enrol' ? ENROL_THRESHOLDS : RECOGNIZE_THRESHOLDS);
    let embedding: Float32Array | null = null;
    if (crop && (quality.ok || opts.embedEvenIfPoorQuality)) embedding = await this.embedCrop(crop);
    const t3 = now();
    let liveness: LivenessVerdict | null = null;
    if (subject >= 0 && opts.liveness !== false) liveness = await this.checkLiveness(image, faces[subject]!.box);
    const t4 = now();
    return {
      width: image.width,
      height: image.height,
      faces,
      subject,
      quality,
      liveness,
      embedding,
      modelId: this.embedderModel.id,
      timings: {
        decode: decodeMs,
        detect: t1 - t0,
        align: t2 - t1,
        embed: t3 - t2,
        liveness: t4 - t3,
        total: decodeMs + (t4 - t0),
        model: this.modelMs,
      },
    };
  }

  async release(): Promise<void> {
    await Promise.allSettled([this.detSession.release(), this.embSession.release(), ...this.liveness.map((l) => l.session.release())]);
  }
}
