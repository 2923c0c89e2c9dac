/**
 * Logs leave the device, so a real rotating log file must never contain biometric data, tokens,
 * keys or PINs — whichever way they reach the logger.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKioskLogger, resolveLogsDir } from '../../../electron/logging/logger';
import { isSecretKey, REDACTED, redactForLog, redactString } from '../../../electron/logging/redact';

const TOKEN = 'tok_9f8e7d6c5b4a39281706';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
const PIN = '482913';
const embedding = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i + 1) * 0.123456);

function readLogs(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('');
}

describe('log redaction (real pino + pino-roll files)', () => {
  it('writes no embedding, frame, token, key or PIN to disk, whichever way they are logged', async () => {
    const dir = resolveLogsDir(fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-logs-')));
    const { logger, close } = await openKioskLogger({ dir, level: 'debug' });
    logger.info({ employeeId: 'e-17', embedding, score: 0.83 }, 'match');
    logger.info({ result: { candidates: [{ id: 'e-17', vector: Array.from(embedding) }] } }, 'nested plain-array embedding under an innocent key');
    logger.info({ probe: Array.from(embedding.slice(0, 64)) }, 'vector under an unknown key');
    logger.info({ frame: { width: 2, height: 2, data: new Uint8Array([9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7, 6, 6, 6, 6]) } }, 'frame');
    logger.info({ req: { headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } } }, 'request');
    logger.info({ deviceToken: TOKEN, privateKey: PEM, dataKey: Buffer.alloc(32, 7) }, 'provisioned');
    logger.info({ body: { employeeId: 'e-17', pin: PIN } }, 'pin punch');
    logger.warn({ err: new Error(`sync failed for https://x.example/batch?token=${TOKEN} with Bearer ${TOKEN}`) }, 'sync');
    logger.error(`key material ${PEM}`);
    logger.info('relay answered %s', `Authorization: Bearer ${TOKEN}`);
    logger.child({ deviceToken: TOKEN }).info('child binding');
    await close();

    const text = readLogs(dir);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(11);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('MIIEvQIBADAN');
    expect(text).not.toContain(PIN);
    expect(text).not.toContain(String(embedding[0]));
    expect(text).not.toContain(String(embedding[5]));
    expect(text).not.toMatch(/"data":\{"0":9/);
    // what IS kept: ids, scores, messages, non-secret headers
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'match', employeeId: 'e-17', score: 0.83, embedding: REDACTED });
    expect(lines[5]).toMatchObject({ deviceToken: REDACTED, privateKey: REDACTED, dataKey: REDACTED });
    expect(lines[4]).toMatchObject({ req: { headers: { Authorization: REDACTED, 'content-type': 'application/json' } } });
    expect(lines[6]).toMatchObject({ body: { employeeId: 'e-17', pin: REDACTED } });
    expect((lines[7]!.err as { message: string }).message).toMatch(/sync failed for https:\/\/x\.example\/batch\?token=\[redacted\]/);
    expect(lines[2]).toMatchObject({ probe: `${REDACTED} number[64]` });
    expect(lines[3]).toMatchObject({ frame: REDACTED });
  });

  it('names the log file by day and keeps the folder private', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-logs-')), 'logs');
    const { logger, close } = await openKioskLogger({ dir });
    logger.info('hello');
    await close();
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^kiosk\.\d{4}-\d{2}-\d{2}\.1\.log$/);
    expect(fs.statSync(dir).mode & 0o077).toBe(0);
    expect(fs.statSync(path.join(dir, files[0]!)).mode & 0o077).toBe(0);
  });

  it('rotates by size and keeps only the configured number of files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-logs-'));
    const { logger, close } = await openKioskLogger({ dir, maxFileSize: '1k', keepFiles: 2 });
    for (let i = 0; i < 60; i++) {
      logger.info({ i, pad: 'x'.repeat(100) }, 'line');
      await new Promise((r) => setImmediate(r));
    }
    // pino-roll rolls after the stream drains and removes old files asynchronously: wait (bounded) for both.
    const logFiles = (): string[] => fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    const settle = async (done: () => boolean): Promise<void> => {
      for (let waited = 0; !done() && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    };
    await settle(() => logFiles().some((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('"i":59')));
    await new Promise((r) => setTimeout(r, 200));
    await close();
    await settle(() => logFiles().length <= 3);
    const files = logFiles();
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(3);
    // every line written survives in the kept files or was in a removed one; the newest lines are kept
    expect(files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('')).toContain('"i":59');
  });
});

describe('redactForLog', () => {
  it('matches secret keys in any casing style', () => {
    for (const k of ['deviceToken', 'device_token', 'DEVICE-TOKEN', 'Authorization', 'privateKey', 'PIN', 'newPin', 'apiKey', 'x-api-key', 'passphrase', 'refreshToken', 'embeddings']) {
      expect(isSecretKey(k), k).toBe(true);
    }
    for (const k of ['employeeId', 'score', 'tokenCount', 'siteName', 'pinned', 'idempotencyKeyHint']) expect(isSecretKey(k), k).toBe(false);
  });

  it('never mutates the input and survives cycles and depth', () => {
    const o: Record<string, unknown> = { a: { pin: PIN } };
    o.self = o;
    const out = redactForLog(o) as Record<string, unknown>;
    expect(out.self).toBe('[circular]');
    expect((o.a as { pin: string }).pin).toBe(PIN);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i++) deep = deep.n = {} as Record<string, unknown>;
    expect(JSON.stringify(redactForLog(root))).toContain('[too deep]');
  });

  it('scrubs credentials inside strings', () => {
    expect(redactString(`Authorization: Bearer ${TOKEN}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactString(`pem ${PEM} end`)).toBe(`pem ${REDACTED} private key end`);
    expect(redactString(`https://h/p?a=1&device_token=${TOKEN}#x`)).toBe(`https://h/p?a=1&device_token=${REDACTED}#x`);
    expect(redactString('clock_in for e-17 at 08:01')).toBe('clock_in for e-17 at 08:01');
  });

  it('redacts binary by type under any key', () => {
    expect(redactForLog({ probe: embedding, blob: Buffer.alloc(4), raw: new ArrayBuffer(8) })).toEqual({
      probe: `${REDACTED} Float32Array(512 bytes)`,
      blob: `${REDACTED} Buffer(4 bytes)`,
      raw: `${REDACTED} ArrayBuffer(8 bytes)`,
    });
  });

  it('keeps short numeric arrays (boxes, landmarks counts) readable', () => {
    expect(redactForLog({ box: [10, 20, 30, 40] })).toEqual({ box: [10, 20, 30, 40] });
  });
});
