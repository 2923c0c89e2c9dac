/**
 * The real inference process (child_process.fork of entry.ts): protocol, bad input that must
 * never crash it, death and hang recovery, and clear model errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDecodeError, InferenceProcessError, InvalidInputError, ModelCorruptError, ModelMissingError } from '../../../electron/common/errors';
import type { RawImage } from '../../../electron/engine/types';
import { InferenceClient } from '../../../electron/inference/client';
import { RequestHandler } from '../../../electron/inference/handler';
import { INSTALLED_MODELS_DIR, sharedFace } from '../../helpers/paths';
import { pngClaiming } from '../../unit/engine/png-bomb';

let client: InferenceClient;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-infer-'));
  client = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: 'mobilefacenet-128', requestTimeoutMs: 20_000 });
});
afterAll(async () => {
  await client?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const photo = (rel: string): Uint8Array => new Uint8Array(fs.readFileSync(sharedFace(rel)));

describe('InferenceClient against the real process', () => {
  it('reports the configured embedder and its manifest threshold', () => {
    expect(client.embedderId).toBe('mobilefacenet-128');
    expect(client.threshold).toBe(0.355);
    expect(client.health()).toEqual({ alive: true, restarts: 0, lastError: null });
  });

  it('analyses encoded bytes, files and raw frames; the embedding crosses the boundary as Float32Array', async () => {
    const a = await client.analyzeEncoded(photo('deepface/img1.jpg'));
    expect(a.faces).toHaveLength(1);
    expect(a.embedding).toBeInstanceOf(Float32Array);
    expect(a.embedding).toHaveLength(128);
    expect(a.liveness?.real).toBe(true);
    expect(a.timings.decode).toBeGreaterThan(0);
    const b = await client.analyzeFile(sharedFace('deepface/img1.jpg'));
    expect(Array.from(b.embedding!)).toEqual(Array.from(a.embedding!));
    const frame: RawImage = { width: 320, height: 240, channels: 4, data: new Uint8Array(320 * 240 * 4).fill(90) };
    const c = await client.analyze(frame);
    expect(c.faces).toEqual([]);
    expect(c.quality.reasons).toEqual(['no_face']);
  });

  it('serves concurrent requests, each answered under its own id', async () => {
    const [x, y] = await Promise.all([client.analyzeEncoded(photo('deepface/img2.jpg')), client.analyzeEncoded(photo('face-api.js/amy/amy1.png'))]);
    expect(x.width).not.toBe(y.width);
    expect(y.width).toBe(150);
  });

  it('refuses requests beyond maxPending at once instead of queueing without bound', async () => {
    const small = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: 'mobilefacenet-128', maxPending: 2 });
    try {
      const bytes = photo('deepface/img1.jpg');
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => small.analyzeEncoded(bytes)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(3);
      for (const r of rejected) expect((r.reason as Error).message).toMatch(/inference busy/);
      expect((await small.analyzeEncoded(bytes)).faces).toHaveLength(1);
    } finally {
      await small.close();
    }
  }, 60_000);

  it('answers bad input with clear errors and stays alive (same pid)', async () => {
    const { pid } = await client.ping();
    const empty = path.join(tmp, 'empty.jpg');
    fs.writeFileSync(empty, '');
    const truncated = path.join(tmp, 'truncated.jpg');
    fs.writeFileSync(truncated, fs.readFileSync(sharedFace('deepface/img1.jpg')).subarray(0, 3000));
    const text = path.join(tmp, 'notes.png');
    fs.writeFileSync(text, 'definitely not a PNG, just text pretending');
    const huge = path.join(tmp, 'huge.png');
    fs.writeFileSync(huge, pngClaiming(20000, 20000));

    await expect(client.analyzeFile(empty)).rejects.toThrow(/empty/);
    await expect(client.analyzeFile(truncated)).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(client.analyzeFile(text)).rejects.toThrow(/not a JPEG, PNG or WebP/);
    await expect(client.analyzeFile(huge)).rejects.toThrow(/megapixel limit/);
    await expect(client.analyzeFile(path.join(tmp, 'missing.jpg'))).rejects.toThrow(/no such file/);
    await expect(client.analyzeEncoded(new Uint8Array(0))).rejects.toBeInstanceOf(ImageDecodeError);
    const nan: RawImage = { width: 64, height: 48, channels: 3, data: new Float32Array(64 * 48 * 3).fill(NaN) as unknown as Uint8Array };
    await expect(client.analyze(nan)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.analyze({ width: 64, height: 48, channels: 3, data: new Uint8Array(10) })).rejects.toThrow(/expected 64x48x3/);
    await expect(client.analyze({ width: -1, height: 48, channels: 3, data: new Uint8Array(10) })).rejects.toThrow(/width/);
    await expect(client.analyzeEncoded(photo('deepface/img1.jpg'), { purpose: 'sideways' as never })).rejects.toThrow(/bad inference request at options.purpose/);

    // Grayscale input decodes to 3 channels and is analysed.
    const gray = await client.analyzeFile(sharedFace('face-api.js/leonard/leonard1.png'));
    expect(gray.faces.length).toBe(1);

    expect((await client.ping()).pid).toBe(pid);
    expect(client.health().restarts).toBe(0);
  }, 60_000);

  it('rejects pending calls when the process dies mid-run, restarts it, and later calls work', async () => {
    const before = (await client.ping()).pid;
    const pending = [client.analyzeEncoded(photo('deepface/img10.jpg')), client.analyzeEncoded(photo('deepface/img11.jpg'))];
    process.kill(before, 'SIGKILL');
    for (const p of pending) await expect(p).rejects.toBeInstanceOf(InferenceProcessError);
    const a = await client.analyzeEncoded(photo('deepface/img1.jpg'));
    expect(a.faces).toHaveLength(1);
    const after = (await client.ping()).pid;
    expect(after).not.toBe(before);
    const h = client.health();
    expect(h.alive).toBe(true);
    expect(h.restarts).toBeGreaterThanOrEqual(1);
    expect(h.lastError).toMatch(/exited/);
  }, 60_000);

  it('a hung process times out, is killed and replaced', async () => {
    const hung = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: 'mobilefacenet-128', requestTimeoutMs: 3000 });
    try {
      const { pid } = await hung.ping();
      process.kill(pid, 'SIGSTOP');
      await expect(hung.ping()).rejects.toThrow(/timed out/);
      const again = await hung.ping();
      expect(again.pid).not.toBe(pid);
      expect(hung.health().restarts).toBeGreaterThanOrEqual(1);
    } finally {
      await hung.close();
    }
  }, 60_000);

  it('start rejects with ModelMissingError or ModelCorruptError naming the model', async () => {
    const missing = path.join(tmp, 'models-missing');
    fs.mkdirSync(missing);
    fs.copyFileSync(path.join(INSTALLED_MODELS_DIR, 'manifest.json'), path.join(missing, 'manifest.json'));
    const e1 = await InferenceClient.start({ modelsDir: missing, embedder: 'mobilefacenet-128' }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ModelMissingError);
    expect((e1 as Error).message).toMatch(/yunet-2023mar.*not installed/);

    const corrupt = path.join(tmp, 'models-corrupt');
    fs.mkdirSync(corrupt);
    fs.copyFileSync(path.join(INSTALLED_MODELS_DIR, 'manifest.json'), path.join(corrupt, 'manifest.json'));
    const yunet = fs.readFileSync(path.join(INSTALLED_MODELS_DIR, 'face_detection_yunet_2023mar.onnx'));
    yunet[1000] = yunet[1000]! ^ 0xff; // same size, different bytes
    fs.writeFileSync(path.join(corrupt, 'face_detection_yunet_2023mar.onnx'), yunet);
    const e2 = await InferenceClient.start({ modelsDir: corrupt, embedder: 'mobilefacenet-128' }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ModelCorruptError);
    expect((e2 as Error).message).toMatch(/SHA-256/);
  }, 60_000);

  it('calls after close fail clearly', async () => {
    const c = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: 'mobilefacenet-128' });
    await c.close();
    await expect(c.ping()).rejects.toThrow(/closed/);
    expect(c.health().alive).toBe(false);
  }, 60_000);
});

describe('request handler boundary (in-process)', () => {
  it('refuses malformed messages with an error response, never a throw', async () => {
    const h = new RequestHandler();
    expect(await h.handle(null)).toMatchObject({ id: -1, ok: false, error: { name: 'InvalidInputError' } });
    expect(await h.handle({ id: 3, type: 'explode' })).toMatchObject({ id: 3, ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await h.handle({ id: 4, type: 'analyzeEncoded', bytes: 'abc' })).toMatchObject({ id: 4, ok: false });
    expect(await h.handle({ id: 5, type: 'analyzeFile', path: '/x.jpg' })).toMatchObject({ id: 5, ok: false, error: { message: expect.stringMatching(/send "init" first/) } });
    expect(await h.handle({ id: 6, type: 'ping' })).toMatchObject({ id: 6, ok: true, value: { pid: process.pid } });
  });
});
