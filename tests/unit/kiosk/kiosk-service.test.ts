/**
 * The kiosk service end to end below the UI: the real inference process and models, a real
 * SQLite file, a real key file, shared face photos as camera frames. Every call goes through
 * dispatchChannel, so each request and response is also checked against the contract.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT, type KioskContract } from '../../../electron/contract/channels';
import { dispatchChannel } from '../../../electron/contract/dispatch';
import type { IpcResult } from '../../../electron/contract/define';
import type { z } from 'zod';
import { saveSettings } from '../../../electron/config/settings';
import { InferenceClient } from '../../../electron/inference/client';
import { loadManifest, selectModels } from '../../../electron/models/manifest';
import { createKioskService, type KioskService } from '../../../electron/kiosk/kiosk-service';
import { listAudit } from '../../../electron/store/audit';
import { openDatabase, type Db } from '../../../electron/store/database';
import { openFileKeyProvider } from '../../../electron/store/keys/file-key-provider';
import { INSTALLED_MODELS_DIR, PROJECT_ROOT } from '../../helpers/paths';
import { cameraFrameOf, copyFrame } from './face-frames';

type Out<K extends keyof KioskContract> = z.output<KioskContract[K]['response']>;

const EMBEDDER = process.env.KIOSK_EMBEDDER ?? 'mobilefacenet-128';
let dir: string;
let db: Db;
let inference: InferenceClient;
let service: KioskService;
let offsetMs = 0;

async function raw(channel: keyof KioskContract, payload: unknown = {}): Promise<IpcResult<unknown>> {
  return dispatchChannel(CONTRACT, service, channel, payload);
}
async function call<K extends keyof KioskContract>(channel: K, payload: unknown = {}): Promise<Out<K>> {
  const r = await raw(channel, payload);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value as Out<K>;
}
async function frameOf(rel: string) {
  return { frame: copyFrame(await cameraFrameOf(rel)) };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-svc-'));
  saveSettings(dir, {
    siteName: 'Test site',
    recognition: { agreeingFrames: 3 },
    pin: { maxAttempts: 3, lockoutSeconds: 60 },
    kiosk: { managerIdleSeconds: 30 },
  });
  const selection = selectModels(loadManifest(INSTALLED_MODELS_DIR), { embedder: EMBEDDER });
  db = openDatabase(path.join(dir, 'kiosk.db'));
  inference = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: selection.embedder.id });
  service = await createKioskService({
    db,
    dataDir: dir,
    keys: openFileKeyProvider(path.join(dir, 'kiosk.key'), { create: true }),
    analyzer: inference,
    livenessModelIds: selection.liveness.map((m) => m.id),
    embeddingDim: selection.embedder.embedder.outputDim,
    consentDir: path.join(PROJECT_ROOT, 'resources', 'consent'),
    now: () => Date.now() + offsetMs,
  });
});

afterAll(async () => {
  service?.close();
  await inference?.close();
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('kiosk service (real engine, real SQLite)', () => {
  it('refuses to operate until the first manager exists', async () => {
    const status = await call('status');
    expect(status.setupRequired).toBe(true);
    expect(status.models.embedder).toBe(EMBEDDER);
    expect(status.inference.ok).toBe(true);
    const r = await raw('processFrame', await frameOf('deepface/img2.jpg'));
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(!r.ok && r.error.message).toMatch(/not set up/);
    expect(await raw('pinPunch', { employeeId: 'x1', pin: '1234' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('first-run setup creates a manager, opens a session, and cannot be repeated', async () => {
    const session = await call('setupManager', { employeeId: 'm1', name: 'Marta Manager', pin: '2468' });
    expect(session).toMatchObject({ employeeId: 'm1', name: 'Marta Manager' });
    expect((await call('status')).setupRequired).toBe(false);
    expect(await raw('setupManager', { employeeId: 'm2', name: 'Other', pin: '1111' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('manager channels need a session; the session ends after managerIdleSeconds of inactivity', async () => {
    await call('managerLogout');
    expect(await raw('listEmployees')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await call('managerLogin', { employeeId: 'm1', pin: '0000' })).toEqual({ outcome: 'rejected', attemptsLeft: 2 });
    const ok = await call('managerLogin', { employeeId: 'm1', pin: '2468' });
    expect(ok.outcome).toBe('ok');
    offsetMs += 20_000;
    expect((await call('listEmployees')).employees.map((e) => e.id)).toEqual(['m1']); // activity resets the timer
    offsetMs += 31_000;
    expect(await raw('listEmployees')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await call('status')).manager).toBeNull();
    offsetMs = 0;
    expect((await call('managerLogin', { employeeId: 'm1', pin: '2468' })).outcome).toBe('ok');
  });

  it('enrols with recorded consent, wipes every frame it is given, and refuses capture before consent', async () => {
    const ana = await call('createEmployee', { employeeId: 'e1', name: 'Ana Álvarez' });
    expect(ana).toMatchObject({ id: 'e1', templateCount: 0, consent: null, hasPin: false });
    const notice = await call('consentNotice', { language: 'es' });
    expect(notice.version).toMatch(/^\d{4}-\d{2}$/);
    expect(notice.title).toMatch(/Reconocimiento facial/);
    const { sessionId, needed } = await call('enrolBegin', { employeeId: 'e1' });
    expect(await raw('enrolAddFrame', { sessionId, ...(await frameOf('deepface/img1.jpg')) })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await raw('enrolConsent', { sessionId, decision: 'accepted', noticeVersion: '1999-01' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await call('enrolConsent', { sessionId, decision: 'accepted', noticeVersion: notice.version });
    let last: Out<'enrolAddFrame'> | null = null;
    for (let i = 0; i < needed; i += 1) {
      const payload = await frameOf('deepface/img1.jpg');
      last = await call('enrolAddFrame', { sessionId, ...payload });
      expect(last.accepted).toBe(true);
      expect(payload.frame.data.every((b) => b === 0)).toBe(true);
    }
    expect(last).toMatchObject({ collected: needed, needed });
    expect(await call('enrolCommit', { sessionId })).toEqual({ status: 'committed', employeeId: 'e1', templates: needed });
    const listed = (await call('listEmployees')).employees.find((e) => e.id === 'e1');
    expect(listed).toMatchObject({ templateCount: needed, consent: 'accepted' });
    expect((await call('status')).enrolledCount).toBe(1);
  });

  it('warns about a duplicate face and stores nothing unless the manager confirms', async () => {
    await call('createEmployee', { employeeId: 'e9', name: 'Ana Again' });
    const { sessionId, needed } = await call('enrolBegin', { employeeId: 'e9' });
    await call('enrolConsent', { sessionId, decision: 'accepted', noticeVersion: (await call('consentNotice', { language: 'en' })).version });
    for (let i = 0; i < needed; i += 1) await call('enrolAddFrame', { sessionId, ...(await frameOf('deepface/img6.jpg')) });
    const dup = await call('enrolCommit', { sessionId });
    expect(dup).toMatchObject({ status: 'duplicate', duplicate: { employeeId: 'e1', name: 'Ana Álvarez' } });
    expect((await call('listEmployees')).employees.find((e) => e.id === 'e9')?.templateCount).toBe(0);
    await call('enrolCancel', { sessionId });
    expect(await raw('enrolCommit', { sessionId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await call('deleteEmployee', { employeeId: 'e9' });
  });

  it('recognises an enrolled person only after N agreeing frames, punches once, and allows undo', async () => {
    await call('resetRecognition');
    const first = await call('processFrame', await frameOf('deepface/img2.jpg'));
    expect(first).toMatchObject({ kind: 'guidance', reasons: [], agreeing: 1, needed: 3 });
    if (first.kind === 'guidance') expect(first.face?.width).toBeGreaterThan(0);
    expect(await call('processFrame', await frameOf('deepface/img2.jpg'))).toMatchObject({ kind: 'guidance', agreeing: 2 });
    const decided = await call('processFrame', await frameOf('deepface/img2.jpg'));
    expect(decided).toMatchObject({ kind: 'recognized', employeeId: 'e1', name: 'Ana Álvarez', punch: { type: 'clock_in', repeated: false } });
    if (decided.kind !== 'recognized') throw new Error('not recognised');
    expect(decided.similarity).toBeGreaterThan(0.355);
    expect(JSON.stringify(decided)).not.toMatch(/embedding/);
    await call('undoPunch', { eventId: decided.punch.eventId });
    expect(await raw('undoPunch', { eventId: decided.punch.eventId })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const types = db.prepare('SELECT type, kind, method FROM events WHERE employee_id = ? ORDER BY seq').all('e1');
    expect(types).toEqual([
      { type: 'clock_in', kind: 'punch', method: 'face' },
      { type: 'clock_out', kind: 'undo', method: 'face' },
    ]);
  });

  it('a face that is not enrolled is "unknown" and punches nothing', async () => {
    await call('resetRecognition');
    const before = db.prepare('SELECT COUNT(*) FROM events').pluck().get();
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await call('processFrame', await frameOf('deepface/img12.jpg')));
    expect(results.map((r) => r.kind)).toEqual(['guidance', 'guidance', 'unknown']);
    expect(db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(before);
  });

  it('a printed-photo spoof gets the neutral answer, is audited, and punches nothing', async () => {
    await call('resetRecognition');
    const before = db.prepare('SELECT COUNT(*) FROM events').pluck().get();
    let r: Out<'processFrame'> | null = null;
    for (let i = 0; i < 3; i += 1) r = await call('processFrame', await frameOf('silent-face-anti-spoofing/image_F1.jpg'));
    expect(r?.kind).toBe('not_verified');
    expect(db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(before);
    const audit = listAudit(db, { action: 'recognition.spoof_suspected' });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toMatch(/\[/); // facts only, no arrays
  });

  it('guides when there is no face', async () => {
    const blank = { frame: { width: 320, height: 240, data: new Uint8Array(320 * 240 * 4).fill(40) } };
    const r = await call('processFrame', blank);
    expect(r).toMatchObject({ kind: 'guidance', face: null, reasons: ['no_face'] });
  });

  it('PIN punches, and locks the typed id out after maxAttempts wrong PINs', async () => {
    await call('setPin', { employeeId: 'e1', pin: '13579' });
    await call('managerLogout');
    expect(await call('pinPunch', { employeeId: 'e1', pin: '00000' })).toEqual({ outcome: 'rejected', attemptsLeft: 2 });
    expect(await call('pinPunch', { employeeId: 'e1', pin: '00001' })).toEqual({ outcome: 'rejected', attemptsLeft: 1 });
    expect(await call('pinPunch', { employeeId: 'e1', pin: '00002' })).toEqual({ outcome: 'locked', retryAfterSeconds: 60 });
    expect((await call('pinPunch', { employeeId: 'e1', pin: '13579' })).outcome).toBe('locked');
    // Unknown ids answer exactly like wrong PINs (ids cannot be probed).
    expect(await call('pinPunch', { employeeId: 'nobody', pin: '1234' })).toEqual({ outcome: 'rejected', attemptsLeft: 2 });
    offsetMs = 61_000;
    const ok = await call('pinPunch', { employeeId: 'e1', pin: '13579' });
    offsetMs = 0;
    expect(ok).toMatchObject({ outcome: 'punched', employeeId: 'e1', name: 'Ana Álvarez', punch: { type: 'clock_in' } });
    expect(listAudit(db, { action: 'pin.failed' }).length).toBe(4);
  });

  it('a lock-out survives a restart of the service (restored from the audit log)', async () => {
    for (let i = 0; i < 3; i += 1) await call('pinPunch', { employeeId: 'ghost', pin: '0000' });
    expect((await call('pinPunch', { employeeId: 'ghost', pin: '0000' })).outcome).toBe('locked');
    const restarted = await createKioskService({
      db,
      dataDir: dir,
      keys: openFileKeyProvider(path.join(dir, 'kiosk.key')),
      analyzer: inference,
      livenessModelIds: [],
      embeddingDim: 128,
      consentDir: path.join(PROJECT_ROOT, 'resources', 'consent'),
      now: () => Date.now() + offsetMs,
    });
    try {
      const r = await dispatchChannel(CONTRACT, restarted, 'pinPunch', { employeeId: 'ghost', pin: '0000' });
      expect(r).toMatchObject({ ok: true, value: { outcome: 'locked' } });
      expect(await dispatchChannel(CONTRACT, restarted, 'pinPunch', { employeeId: 'other', pin: '0000' })).toMatchObject({ ok: true, value: { outcome: 'rejected', attemptsLeft: 2 } });
    } finally {
      restarted.close();
    }
  });

  it('deletes an employee immediately: templates gone, face no longer recognised', async () => {
    expect((await call('managerLogin', { employeeId: 'm1', pin: '2468' })).outcome).toBe('ok');
    expect(await raw('deleteEmployee', { employeeId: 'm1' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await call('deleteEmployee', { employeeId: 'e1' });
    expect(db.prepare('SELECT COUNT(*) FROM templates').pluck().get()).toBe(0);
    expect((await call('status')).enrolledCount).toBe(0);
    await call('resetRecognition');
    let r: Out<'processFrame'> | null = null;
    for (let i = 0; i < 3; i += 1) r = await call('processFrame', await frameOf('deepface/img2.jpg'));
    expect(r?.kind).toBe('unknown');
  });

  it('a refusal is recorded and ends the session; a printed photo is never kept as a sample', async () => {
    const version = (await call('consentNotice', { language: 'en' })).version;
    await call('createEmployee', { employeeId: 'e2', name: 'Bea No' });
    const refused = await call('enrolBegin', { employeeId: 'e2' });
    expect(await call('enrolConsent', { sessionId: refused.sessionId, decision: 'refused', noticeVersion: version })).toEqual({ decision: 'refused' });
    expect(await raw('enrolAddFrame', { sessionId: refused.sessionId, ...(await frameOf('deepface/img12.jpg')) })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call('listEmployees')).employees.find((e) => e.id === 'e2')).toMatchObject({ consent: 'refused', templateCount: 0 });

    await call('createEmployee', { employeeId: 'e3', name: 'Photo Holder' });
    const s = await call('enrolBegin', { employeeId: 'e3' });
    await call('enrolConsent', { sessionId: s.sessionId, decision: 'accepted', noticeVersion: version });
    const r = await call('enrolAddFrame', { sessionId: s.sessionId, ...(await frameOf('silent-face-anti-spoofing/image_F1.jpg')) });
    expect(r).toMatchObject({ accepted: false, rejection: 'not_live', collected: 0 });
    expect(r.liveness?.real).toBe(false);
    await call('enrolCancel', { sessionId: s.sessionId });
  });

  it('switches and persists the language', async () => {
    expect((await call('setLanguage', { language: 'es' })).language).toBe('es');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).language).toBe('es');
    expect(await raw('setLanguage', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('a manager chooses the camera device; it is saved in settings and can be reset to the default', async () => {
    expect((await call('setCameraDevice', { deviceId: 'cam-42' })).cameraDeviceId).toBe('cam-42');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).kiosk.cameraDeviceId).toBe('cam-42');
    expect((await call('getSettings')).cameraDeviceId).toBe('cam-42');
    expect((await call('setCameraDevice', { deviceId: null })).cameraDeviceId).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).kiosk.cameraDeviceId).toBeUndefined();
    await call('managerLogout');
    expect(await raw('setCameraDevice', { deviceId: 'cam-1' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
});
