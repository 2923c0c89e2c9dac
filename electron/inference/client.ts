/**
 * @file InferenceClient: the one way the rest of the app (main process, CLI, tests) runs the face
 * engine. It owns the inference process, matches responses to requests by id, times requests
 * out, and when the process dies rejects what was pending with InferenceProcessError and
 * restarts it with backoff, so later calls work again (the OpenWhispr pattern, engineering-notes §4).
 */
import path from 'node:path';
import { InferenceError, InferenceProcessError, InvalidInputError, isErrorValue, reviveError } from '../common/errors';
import type { AnalyzeOptions, FaceAnalysis, RawImage } from '../engine/types';
import { forkInferenceProcess } from './fork-launcher';
import { HELLO_ID, ResponseSchema, type EngineInfo, type InitOptions, type RequestType, type ResultOf } from './protocol';

export interface InferenceChild {
  send(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): void;
  onExit(cb: (code: number | null) => void): void;
  kill(): void;
  /** Optional: recent stderr text, surfaced in health().lastError. */
  stderrTail?(): string;
  readonly pid?: number | undefined;
}

export type InferenceLauncher = () => InferenceChild;

export interface InferenceClientOptions {
  modelsDir: string;
  embedder?: string;
  detector?: string;
  intraOpThreads?: number;
  livenessThreshold?: number;
  /** Add the mirrored crop's embedding (two embedder runs). Default false. */
  flipEmbedding?: boolean;
  /** Detect on frames shrunk to this longer side (0 = off); pays off with detector 'yunet-2023mar-dynamic'. */
  detectMaxSide?: number;
  launcher?: InferenceLauncher;
  /** Per-request timeout (default 30 s); model loading gets 4x. A timed-out process is killed and restarted. */
  requestTimeoutMs?: number;
  /**
   * Requests allowed in flight at once (default 16). Beyond it calls reject at once with
   * InferenceError instead of queueing without bound: a flood of camera frames must not turn
   * into ever-growing latency.
   */
  maxPending?: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

export class InferenceClient {
  private child: InferenceChild | null = null;
  private ready: Promise<EngineInfo> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Calls accepted and not yet answered, including those waiting for a (re)started process. */
  private inFlight = 0;
  private restarts = 0;
  private consecutiveFailures = 0;
  private lastError: string | null = null;
  private closed = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private info!: EngineInfo;

  private constructor(private readonly opts: InferenceClientOptions) {}

  /** Spawn the process, load and verify the models; rejects with ModelMissingError/ModelCorruptError as thrown there. */
  static async start(opts: InferenceClientOptions): Promise<InferenceClient> {
    if (!opts || typeof opts.modelsDir !== 'string' || opts.modelsDir.length === 0) throw new InvalidInputError('InferenceClient.start needs modelsDir');
    const client = new InferenceClient({ ...opts, modelsDir: path.resolve(opts.modelsDir) });
    try {
      client.info = await client.spawn();
    } catch (e) {
      client.closed = true;
      client.child?.kill();
      throw e;
    }
    return client;
  }

  get embedderId(): string {
    return this.info.embedderId;
  }

  /** The embedder's manifest default cosine threshold. */
  get threshold(): number {
    return this.info.threshold;
  }

  get detectorId(): string {
    return this.info.detectorId;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private initOptions(): InitOptions {
    const o = this.opts;
    return {
      modelsDir: o.modelsDir,
      ...(o.embedder !== undefined ? { embedder: o.embedder } : {}),
      ...(o.detector !== undefined ? { detector: o.detector } : {}),
      ...(o.intraOpThreads !== undefined ? { intraOpThreads: o.intraOpThreads } : {}),
      ...(o.livenessThreshold !== undefined ? { livenessThreshold: o.livenessThreshold } : {}),
      ...(o.flipEmbedding !== undefined ? { flipEmbedding: o.flipEmbedding } : {}),
      ...(o.detectMaxSide !== undefined ? { detectMaxSide: o.detectMaxSide } : {}),
    };
  }

  private spawn(): Promise<EngineInfo> {
    const child = (this.opts.launcher ?? forkInferenceProcess)();
    this.child = child;
    child.onMessage((msg) => {
      if (child === this.child) this.onMessage(msg);
    });
    child.onExit((code) => this.onExit(child, code));
    // Send nothing until the entry says it listens (HELLO_ID): a message arriving before the
    // entry has attached its listener could be dropped, under fork and under utilityProcess.
    const timeout = (this.opts.requestTimeoutMs ?? 30_000) * 4;
    const ready = this.expect<unknown>(child, HELLO_ID, 'start-up', timeout).then(() => this.send(child, 'init', { options: this.initOptions() }, 4));
    this.ready = ready;
    ready.then(
      (info) => {
        this.info = info;
        this.consecutiveFailures = 0;
      },
      (e: Error) => {
        this.lastError = e.message;
      },
    );
    return ready;
  }

  private onMessage(msg: unknown): void {
    const parsed = ResponseSchema.safeParse(msg);
    if (!parsed.success) {
      this.lastError = 'inference process sent a malformed message';
      return;
    }
    const res = parsed.data;
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    clearTimeout(p.timer);
    if (res.ok) p.resolve(res.value);
    else p.reject(isErrorValue(res.error) ? reviveError(res.error) : new InferenceProcessError('malformed error from inference process'));
  }

  private onExit(child: InferenceChild, code: number | null): void {
    if (child !== this.child) return;
    const tail = child.stderrTail?.().trim().split('\n').pop();
    this.discardChild(`inference process exited (code ${code === null ? 'signal' : code})${tail ? `: ${tail}` : ''}`);
  }

  /** Forget the current process (dead or hung): reject what it owed us and schedule a restart. */
  private discardChild(why: string): void {
    this.child = null;
    this.lastError = why;
    this.ready = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new InferenceProcessError(why));
      this.pending.delete(id);
    }
    if (this.closed) return;
    const delay = BACKOFF_MS[Math.min(this.consecutiveFailures, BACKOFF_MS.length - 1)]!;
    this.consecutiveFailures += 1;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.closed) return;
      this.restarts += 1;
      this.spawn().catch((e: Error) => {
        // A failed restart (e.g. models removed meanwhile): drop that child and try again later.
        const c = this.child;
        if (c) {
          this.discardChild(`inference process restart failed: ${e.message}`);
          c.kill();
        }
      });
    }, delay);
    this.restartTimer.unref?.();
  }

  /** Register an awaited response id with a timeout; a timeout replaces the (hung) process. */
  private expect<R>(child: InferenceChild, id: number, what: string, timeoutMs: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        const why = `inference ${what} timed out after ${timeoutMs} ms; restarting the inference process`;
        reject(new InferenceProcessError(why));
        // A hung process is replaced at once (its exit event may come later, or never while stopped).
        if (child === this.child) this.discardChild(why);
        child.kill();
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
  }

  private send<T extends RequestType>(child: InferenceChild, type: T, body: Record<string, unknown>, timeoutFactor = 1): Promise<ResultOf[T]> {
    const id = this.nextId++;
    const answer = this.expect<ResultOf[T]>(child, id, `request "${type}"`, (this.opts.requestTimeoutMs ?? 30_000) * timeoutFactor);
    try {
      child.send({ id, type, ...body });
    } catch (e) {
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (p) {
        clearTimeout(p.timer);
        p.reject(new InferenceProcessError(`cannot send to the inference process: ${(e as Error).message}`));
      }
    }
    return answer;
  }

  /** Wait for a live, initialised process (restarting one if needed), then send. */
  private async call<T extends RequestType>(type: T, body: Record<string, unknown>): Promise<ResultOf[T]> {
    if (this.closed) throw new InferenceProcessError('inference client is closed');
    const max = this.opts.maxPending ?? 16;
    if (this.inFlight >= max) throw new InferenceError(`inference busy: ${max} requests already in flight; drop this frame or retry`);
    this.inFlight += 1;
    try {
      if (!this.child || !this.ready) {
        if (this.restartTimer) {
          clearTimeout(this.restartTimer);
          this.restartTimer = null;
          this.restarts += 1;
        }
        if (!this.child) this.spawn().catch(() => undefined);
      }
      await this.ready;
      const child = this.child;
      if (!child) throw new InferenceProcessError(this.lastError ?? 'inference process is not running');
      return await this.send(child, type, body);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** A raw RGB/RGBA frame (validated again inside the process: size, length, finite 0..255 values). */
  analyze(image: RawImage, opts?: AnalyzeOptions): Promise<FaceAnalysis> {
    if (typeof image !== 'object' || image === null) return Promise.reject(new InvalidInputError('analyze needs a frame {width, height, channels, data}'));
    return this.call('analyze', { image: { width: image.width, height: image.height, channels: image.channels, data: image.data }, ...(opts ? { options: opts } : {}) });
  }

  /** JPEG/PNG/WebP bytes, decoded inside the inference process. */
  analyzeEncoded(bytes: Uint8Array, opts?: AnalyzeOptions): Promise<FaceAnalysis> {
    if (!(bytes instanceof Uint8Array)) return Promise.reject(new InvalidInputError('analyzeEncoded needs a Uint8Array'));
    return this.call('analyzeEncoded', { bytes, ...(opts ? { options: opts } : {}) });
  }

  analyzeFile(file: string, opts?: AnalyzeOptions): Promise<FaceAnalysis> {
    if (typeof file !== 'string' || file.length === 0) return Promise.reject(new InvalidInputError('analyzeFile needs a path'));
    return this.call('analyzeFile', { path: path.resolve(file), ...(opts ? { options: opts } : {}) });
  }

  /** Round trip to the process; resolves with its pid. */
  ping(): Promise<{ pid: number }> {
    return this.call('ping', {});
  }

  health(): { alive: boolean; restarts: number; lastError: string | null } {
    return { alive: this.child !== null && !this.closed, restarts: this.restarts, lastError: this.lastError };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new InferenceProcessError('inference client closed'));
      this.pending.delete(id);
    }
    if (child) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        child.onExit(() => {
          clearTimeout(t);
          resolve();
        });
        child.kill();
      });
    }
  }
}
