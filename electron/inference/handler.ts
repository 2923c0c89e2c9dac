/**
 * @file The inference process's request handler, transport-free so it can be driven directly.
 * Requests are served one at a time (onnxruntime's run blocks the thread anyway, and the
 * reused tensor buffers must not be shared between concurrent analyses).
 */
import fsp from 'node:fs/promises';
import { ImageDecodeError, InferenceError, InvalidInputError, toErrorValue } from '../common/errors';
import { FaceEngine } from '../engine/face-engine';
import { decodeImage, validateRawImage } from '../engine/image';
import type { AnalyzeOptions, FaceAnalysis } from '../engine/types';
import { RequestSchema, idOf, type EngineInfo, type Request, type Response } from './protocol';

/** Files larger than this are refused before reading (a 50 MP JPEG is far smaller). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

export class RequestHandler {
  private engine: FaceEngine | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** Validate and serve one raw message; never throws — failures become error responses. */
  handle(raw: unknown): Promise<Response> {
    const run = async (): Promise<Response> => {
      const parsed = RequestSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.join('.') || '(message)';
        return { id: idOf(raw), ok: false, error: new InvalidInputError(`bad inference request at ${where}: ${issue?.message ?? 'invalid'}`).toValue() };
      }
      try {
        return { id: parsed.data.id, ok: true, value: await this.serve(parsed.data) };
      } catch (e) {
        return { id: parsed.data.id, ok: false, error: toErrorValue(e) };
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private requireEngine(): FaceEngine {
    if (!this.engine) throw new InferenceError('inference process not initialised: send "init" first');
    return this.engine;
  }

  private async serve(req: Request): Promise<unknown> {
    switch (req.type) {
      case 'init': {
        if (this.engine) await this.engine.release();
        this.engine = null;
        this.engine = await FaceEngine.create(req.options);
        const info: EngineInfo = { ...this.engine.info(), pid: process.pid };
        return info;
      }
      case 'ping':
        return { pid: process.pid };
      case 'analyze': {
        const engine = this.requireEngine();
        return engine.analyze(validateRawImage(req.image), req.options as AnalyzeOptions | undefined);
      }
      case 'analyzeEncoded':
        return this.analyzeBytes(req.bytes, req.options as AnalyzeOptions | undefined);
      case 'analyzeFile': {
        this.requireEngine();
        let st;
        try {
          st = await fsp.stat(req.path);
        } catch {
          throw new ImageDecodeError(`cannot read image ${req.path}: no such file`);
        }
        if (!st.isFile()) throw new ImageDecodeError(`cannot read image ${req.path}: not a regular file`);
        if (st.size > MAX_IMAGE_FILE_BYTES) throw new ImageDecodeError(`image ${req.path} is ${st.size} bytes, over the ${MAX_IMAGE_FILE_BYTES} byte limit`);
        const bytes = await fsp.readFile(req.path);
        try {
          return await this.analyzeBytes(bytes, req.options as AnalyzeOptions | undefined);
        } catch (e) {
          if (e instanceof ImageDecodeError) throw new ImageDecodeError(`${req.path}: ${e.message}`);
          throw e;
        }
      }
    }
  }

  private async analyzeBytes(bytes: Uint8Array, options: AnalyzeOptions | undefined): Promise<FaceAnalysis> {
    const engine = this.requireEngine();
    if (bytes.length > MAX_IMAGE_FILE_BYTES) throw new ImageDecodeError(`image is ${bytes.length} bytes, over the ${MAX_IMAGE_FILE_BYTES} byte limit`);
    const t0 = performance.now();
    const image = await decodeImage(bytes);
    return engine.analyze(image, options, performance.now() - t0);
  }

  async close(): Promise<void> {
    await this.engine?.release();
    this.engine = null;
  }
}
