/**
 * @file The kiosk service: one async method per CONTRACT channel, composing the face engine,
 * the store, matching, attendance and sync state. Electron's IPC handlers and the e2e test bridge
 * both call it through electron/contract/dispatch.ts, which validates payloads both ways.
 *
 * Rules held here:
 * - Nothing operates until a manager exists (first-run setup).
 * - A face decision needs settings.recognition.agreeingFrames consecutive agreeing frames; a
 *   suspected spoof gets the same neutral answer as any failure, is audited, and punches nothing.
 * - Frames are zero-filled as soon as the engine has seen them (dropped after use).
 * - Wrong PINs lock the typed id out after settings.pin.maxAttempts.
 * - Manager channels need an open manager session, which ends after managerIdleSeconds idle.
 */
import { ConflictError, NotFoundError, UnauthorizedError } from '../common/errors';
import type { z } from 'zod';
import type { KioskContract, Punch } from '../contract/channels';
import type { ServiceOf } from '../contract/define';
import { loadSettings, saveSettings, type Settings } from '../config/settings';
import type { FaceAnalysis, RawImage } from '../engine/types';
import { recordPunch, undoPunch, type PunchResult } from '../attendance/punch';
import { appendAudit } from '../store/audit';
import { latestConsent } from '../store/consents';
import type { Db } from '../store/database';
import * as employees from '../store/employees';
import type { KeyProvider } from '../store/key-provider';
import { startIdentityService } from '../matching/identity-service';
import { loadDevice } from '../sync/device-identity';
import { getSyncStatus } from '../sync/status';
import { AgreementTracker, type Candidate } from './agreement';
import { currentConsentVersion, loadConsentNotice, resolveConsentDir } from './consent-notice';
import { EnrolmentSessions, ENROL_SAMPLES } from './enrol-sessions';
import { subjectBoxOf } from './face-box';
import { ManagerSessionClock } from './manager-session';
import { PinLockout } from './pin-lockout';
import type { FaceAnalyzer, SyncStatusValue } from './ports';

export interface KioskServiceDeps {
  readonly db: Db;
  /** Where settings.json lives (language changes are saved there). */
  readonly dataDir: string;
  readonly keys: KeyProvider;
  /** The running face engine (InferenceClient). */
  readonly analyzer: FaceAnalyzer;
  /** Liveness model ids in use (status screen). */
  readonly livenessModelIds: readonly string[];
  /** The embedder's output dimension (gallery rows). */
  readonly embeddingDim: number;
  readonly consentDir?: string;
  /** Sync state; defaults to electron/sync/status getSyncStatus over the outbox and device tables. */
  readonly syncStatus?: () => SyncStatusValue;
  readonly now?: () => number;
}

export type KioskService = ServiceOf<KioskContract> & { close(): void };

type Res<K extends keyof KioskContract> = z.input<KioskContract[K]['response']>;

/** After a decision, frames already in flight must not start another one straight away. */
const DECISION_HOLD_MS = 1500;
/** Actor recorded for punches and undos made by the employee at the terminal. */
const SELF = 'self';

export async function createKioskService(deps: KioskServiceDeps): Promise<KioskService> {
  const { db, analyzer } = deps;
  const now = deps.now ?? Date.now;
  let settings: Settings = loadSettings(deps.dataDir);
  const consentDir = deps.consentDir ?? resolveConsentDir();
  currentConsentVersion(consentDir); // fail at start, not at the first enrolment
  // The matching module owns the live gallery, the open-set policy and enrolment/deletion.
  const identity = await startIdentityService({
    db,
    keys: deps.keys,
    tenantId: settings.tenantId,
    embedder: { id: analyzer.embedderId, dim: deps.embeddingDim, defaultThreshold: analyzer.threshold },
    recognition: { threshold: settings.recognition.threshold, minMargin: settings.recognition.minMargin },
    inactiveDays: settings.retention.inactiveDays,
    clock: () => new Date(now()),
    enrolment: { minSamples: ENROL_SAMPLES, maxSamples: ENROL_SAMPLES, requireLiveness: settings.recognition.livenessEnabled },
  });
  const tracker = new AgreementTracker(settings.recognition.agreeingFrames);
  let holdUntil = 0;
  const pinLockout = new PinLockout(settings.pin, now);
  const managerLockout = new PinLockout(settings.pin, now);
  restoreLockouts(db, pinLockout, 'pin.failed', 'pin:', settings.pin.lockoutSeconds, now());
  restoreLockouts(db, managerLockout, 'manager.login_failed', 'manager:', settings.pin.lockoutSeconds, now());
  const manager = new ManagerSessionClock(settings.kiosk.managerIdleSeconds, now);
  const enrolment = new EnrolmentSessions(identity.enrolment, now);
  /** Punches this terminal just issued: only these may be undone from the kiosk screen. */
  const undoable = new Map<string, number>();
  const syncStatus = deps.syncStatus ?? (() => syncStatusOf(db, settings));

  const managerExists = () =>
    (db.prepare("SELECT COUNT(*) FROM employees WHERE role = 'manager' AND status = 'active' AND pin_hash IS NOT NULL").pluck().get() as number) > 0;
  const requireSetUp = () => {
    if (!managerExists()) throw new ConflictError('this kiosk is not set up yet: create the first manager');
  };
  const requireManager = (): string => {
    const m = manager.touch();
    if (!m) {
      enrolment.cancelAll();
      throw new UnauthorizedError('manager session required (signed out or timed out after inactivity)');
    }
    return m.employeeId;
  };
  const sessionValue = () => {
    const m = manager.active();
    return m ? { employeeId: m.employeeId, name: m.name, idleSecondsLeft: m.idleSecondsLeft } : null;
  };

  const toPunch = (r: PunchResult): Punch => {
    const repeated = r.status === 'repeat';
    const undoMs = settings.punch.undoSeconds * 1000;
    const undoUntil = !repeated && undoMs > 0 ? new Date(Date.parse(r.event.recordedAt) + undoMs).toISOString() : null;
    if (undoUntil) undoable.set(r.event.id, Date.parse(undoUntil));
    return { eventId: r.event.id, type: r.event.type, at: r.event.occurredAt, repeated, undoUntil };
  };

  const settingsValue = (): Res<'getSettings'> => ({
    siteName: settings.siteName,
    language: settings.language,
    sampleFps: settings.recognition.sampleFps,
    agreeingFrames: settings.recognition.agreeingFrames,
    undoSeconds: settings.punch.undoSeconds,
    managerIdleSeconds: settings.kiosk.managerIdleSeconds,
    cameraDeviceId: settings.kiosk.cameraDeviceId ?? null,
    pinMaxAttempts: settings.pin.maxAttempts,
  });

  /** Run the engine on a frame, then wipe the frame: it must not outlive its analysis. */
  const analyzeAndDrop = async (frame: { width: number; height: number; data: Uint8Array }, purpose: 'enrol' | 'recognize'): Promise<FaceAnalysis> => {
    const image: RawImage = { width: frame.width, height: frame.height, channels: 4, data: frame.data };
    try {
      return await analyzer.analyze(image, { purpose, liveness: settings.recognition.livenessEnabled });
    } finally {
      frame.data.fill(0);
    }
  };

  const employeeSummary = (e: employees.Employee): Res<'createEmployee'> => ({
    id: e.id,
    name: e.displayName,
    role: e.role,
    hasPin: e.hasPin,
    templateCount: e.templateCount,
    consent: latestConsent(db, e.id)?.decision ?? null,
  });

  const service: KioskService = {
    async status() {
      const health = analyzer.health();
      const active = db.prepare("SELECT COUNT(*) FROM employees WHERE status = 'active'").pluck().get() as number;
      return {
        setupRequired: !managerExists(),
        manager: sessionValue(),
        deviceId: loadDevice(db)?.deviceId ?? 'not provisioned',
        tenantId: settings.tenantId,
        siteName: settings.siteName,
        models: { detector: analyzer.detectorId, embedder: analyzer.embedderId, liveness: [...deps.livenessModelIds] },
        employeeCount: active,
        enrolledCount: identity.gallery.employeeCount,
        sync: syncStatus(),
        inference: { ok: health.alive, detail: health.alive ? null : (health.lastError ?? 'face engine not running') },
      };
    },

    async getSettings() {
      return settingsValue();
    },

    async setLanguage({ language }) {
      settings = saveSettings(deps.dataDir, { ...settings, language });
      return settingsValue();
    },

    async setCameraDevice({ deviceId }) {
      const actor = requireManager();
      const { cameraDeviceId: _old, ...kiosk } = settings.kiosk;
      settings = saveSettings(deps.dataDir, { ...settings, kiosk: deviceId ? { ...kiosk, cameraDeviceId: deviceId } : kiosk });
      appendAudit(db, { action: 'settings.camera_changed', actor, details: { chosen: deviceId !== null } });
      return settingsValue();
    },

    async setupManager({ employeeId, name, pin }) {
      if (managerExists()) throw new ConflictError('a manager already exists; sign in as manager to add people');
      const at = new Date(now());
      let e = employees.findEmployee(db, employeeId);
      if (e && e.role !== 'manager') e = employees.setEmployeeRole(db, employeeId, 'manager', 'setup', at);
      if (!e) e = employees.createEmployee(db, { id: employeeId, tenantId: settings.tenantId, displayName: name, role: 'manager' }, 'setup', at);
      await employees.setPin(db, employeeId, pin, 'setup', at);
      appendAudit(db, { action: 'kiosk.setup', actor: employeeId, subject: employeeId });
      manager.open({ employeeId, name: e.displayName });
      return sessionValue()!;
    },

    async managerLogin({ employeeId, pin }) {
      requireSetUp();
      const key = `manager:${employeeId}`;
      const lock = managerLockout.check(key);
      if (lock.locked) return { outcome: 'locked', retryAfterSeconds: lock.retryAfterSeconds };
      const e = employees.findEmployee(db, employeeId);
      const ok = e !== null && e.role === 'manager' && (await employees.verifyPin(db, employeeId, pin));
      if (!ok) {
        const attemptsLeft = managerLockout.fail(key);
        appendAudit(db, { action: 'manager.login_failed', subject: employeeId, details: { attemptsLeft }, at: new Date(now()).toISOString() });
        if (attemptsLeft === 0) return { outcome: 'locked', retryAfterSeconds: settings.pin.lockoutSeconds };
        return { outcome: 'rejected', attemptsLeft };
      }
      managerLockout.succeed(key);
      manager.open({ employeeId, name: e.displayName });
      appendAudit(db, { action: 'manager.login', actor: employeeId });
      return { outcome: 'ok', session: sessionValue()! };
    },

    async managerLogout() {
      const m = manager.close();
      enrolment.cancelAll();
      if (m) appendAudit(db, { action: 'manager.logout', actor: m.employeeId });
      return { ok: true as const };
    },

    async managerPing() {
      const m = manager.touch();
      return m ? { employeeId: m.employeeId, name: m.name, idleSecondsLeft: m.idleSecondsLeft } : null;
    },

    async processFrame({ frame }) {
      requireSetUp();
      const analysis = await analyzeAndDrop(frame, 'recognize');
      const face = subjectBoxOf(analysis);
      const guidance = (reasons: FaceAnalysis['quality']['reasons']): Res<'processFrame'> => ({
        kind: 'guidance',
        face,
        faceCount: analysis.faces.length,
        reasons: [...reasons],
        liveness: analysis.liveness ? { real: analysis.liveness.real, score: analysis.liveness.score } : null,
        agreeing: tracker.count,
        needed: tracker.required,
      });
      if (!analysis.quality.ok || !analysis.embedding) {
        tracker.reset();
        return guidance(analysis.quality.reasons.length ? analysis.quality.reasons : ['no_face']);
      }
      if (now() < holdUntil) {
        analysis.embedding.fill(0);
        return guidance([]);
      }
      let candidate: Candidate;
      let similarity = 0;
      if (analysis.liveness && !analysis.liveness.real) {
        candidate = { kind: 'spoof' };
      } else {
        const id = identity.identify(analysis.embedding);
        similarity = id.similarity ?? 0;
        candidate = id.employeeId ? { kind: 'employee', employeeId: id.employeeId } : { kind: 'unknown' };
      }
      analysis.embedding.fill(0);
      const decision = tracker.push({ candidate, similarity, liveness: analysis.liveness?.score ?? null });
      if (!decision) return guidance([]);
      holdUntil = now() + DECISION_HOLD_MS;
      if (decision.candidate.kind === 'spoof') {
        appendAudit(db, { action: 'recognition.spoof_suspected', details: { liveness: decision.liveness, frames: decision.frames, modelId: analysis.modelId } });
        return { kind: 'not_verified', face };
      }
      if (decision.candidate.kind === 'unknown') return { kind: 'unknown', face };
      const employeeId = decision.candidate.employeeId;
      const e = employees.findEmployee(db, employeeId);
      if (!e || e.status !== 'active') return { kind: 'unknown', face };
      const r = recordPunch(
        db,
        { employeeId, method: 'face', match: { similarity: clamp(decision.similarity), liveness: decision.liveness, modelId: analysis.modelId } },
        { punch: settings.punch },
      );
      employees.markEmployeeSeen(db, employeeId, new Date(now()));
      return { kind: 'recognized', face, employeeId, name: e.displayName, similarity: clamp(decision.similarity), punch: toPunch(r) };
    },

    async resetRecognition() {
      tracker.reset();
      holdUntil = 0;
      return { ok: true as const };
    },

    async pinPunch({ employeeId, pin }) {
      requireSetUp();
      const key = `pin:${employeeId}`;
      const lock = pinLockout.check(key);
      if (lock.locked) return { outcome: 'locked', retryAfterSeconds: lock.retryAfterSeconds };
      if (!(await employees.verifyPin(db, employeeId, pin))) {
        const attemptsLeft = pinLockout.fail(key);
        appendAudit(db, { action: 'pin.failed', subject: employeeId, details: { attemptsLeft }, at: new Date(now()).toISOString() });
        if (attemptsLeft === 0) return { outcome: 'locked', retryAfterSeconds: settings.pin.lockoutSeconds };
        return { outcome: 'rejected', attemptsLeft };
      }
      pinLockout.succeed(key);
      const e = employees.requireEmployee(db, employeeId);
      const r = recordPunch(db, { employeeId, method: 'pin' }, { punch: settings.punch });
      employees.markEmployeeSeen(db, employeeId, new Date(now()));
      return { outcome: 'punched', employeeId, name: e.displayName, punch: toPunch(r) };
    },

    async undoPunch({ eventId }) {
      const until = undoable.get(eventId);
      if (until === undefined || until < now()) {
        undoable.delete(eventId);
        throw new ConflictError('this punch can no longer be undone here; ask a manager for a correction');
      }
      undoPunch(db, eventId, SELF, { punch: settings.punch, now: new Date(now()) });
      undoable.delete(eventId);
      return { ok: true as const };
    },

    async listEmployees() {
      requireManager();
      return { employees: employees.listEmployees(db, { tenantId: settings.tenantId }).map(employeeSummary) };
    },

    async createEmployee({ employeeId, name, role }) {
      const actor = requireManager();
      return employeeSummary(employees.createEmployee(db, { id: employeeId, tenantId: settings.tenantId, displayName: name, role }, actor, new Date(now())));
    },

    async setPin({ employeeId, pin }) {
      const actor = requireManager();
      await employees.setPin(db, employeeId, pin, actor, new Date(now()));
      pinLockout.succeed(`pin:${employeeId}`);
      return { ok: true as const };
    },

    async deleteEmployee({ employeeId }) {
      const actor = requireManager();
      if (employeeId === actor) throw new ConflictError('a manager cannot delete themselves while signed in');
      employees.requireEmployee(db, employeeId);
      identity.deleteEmployee(employeeId, actor);
      return { ok: true as const };
    },

    async consentNotice({ language }) {
      requireManager();
      const n = loadConsentNotice(consentDir, language);
      return { version: n.version, language, title: n.title, body: n.body };
    },

    async enrolBegin({ employeeId }) {
      const actor = requireManager();
      const e = employees.findEmployee(db, employeeId);
      if (!e) throw new NotFoundError(`no employee with id ${employeeId}`);
      return enrolment.begin(employeeId, e.displayName, actor);
    },

    async enrolConsent({ sessionId, decision, noticeVersion }) {
      requireManager();
      if (noticeVersion !== currentConsentVersion(consentDir)) throw new ConflictError(`notice ${noticeVersion} is not the current version; reload the notice`);
      return enrolment.consent(sessionId, decision, noticeVersion);
    },

    async enrolAddFrame({ sessionId, frame }) {
      requireManager();
      const analysis = await analyzeAndDrop(frame, 'enrol');
      const r = enrolment.addSample(sessionId, analysis);
      analysis.embedding?.fill(0);
      return {
        accepted: r.accepted,
        face: subjectBoxOf(analysis),
        reasons: [...analysis.quality.reasons],
        rejection: r.rejection,
        liveness: analysis.liveness ? { real: analysis.liveness.real, score: analysis.liveness.score } : null,
        collected: r.collected,
        needed: r.needed,
      };
    },

    async enrolCommit({ sessionId, force }) {
      requireManager();
      const r = await enrolment.commit(sessionId, force);
      if (r.status === 'committed') {
        return { status: 'committed' as const, employeeId: r.employeeId, templates: r.templates };
      }
      const other = employees.findEmployee(db, r.employeeId);
      return { status: 'duplicate' as const, duplicate: { employeeId: r.employeeId, name: other?.displayName ?? r.employeeId, similarity: clamp(r.similarity) } };
    },

    async enrolCancel({ sessionId }) {
      requireManager();
      enrolment.cancel(sessionId);
      return { ok: true as const };
    },

    close() {
      enrolment.cancelAll();
      manager.close();
      identity.close();
    },
  };
  return service;
}

function clamp(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

/** The status screen's view of electron/sync/status: "online" = the last attempt did not fail. */
function syncStatusOf(db: Db, settings: Settings): SyncStatusValue {
  const s = getSyncStatus(db);
  // Without an endpoint and a provisioned device there is nothing to sync to: not "offline".
  const enabled = settings.sync.enabled && settings.endpoint !== undefined && s.provisioned;
  return {
    enabled,
    queueLength: s.queueLength,
    lastSuccessAt: s.lastSuccessAt,
    deadLetters: s.deadLetters,
    unauthorized: s.unauthorised,
    online: !enabled || s.lastError === null,
  };
}

/**
 * Lock-outs survive a restart: the failure that locked an id is audited with attemptsLeft 0, so
 * every such row younger than lockoutSeconds re-imposes its lock until it would have ended.
 */
function restoreLockouts(db: Db, lockout: PinLockout, action: string, prefix: string, lockoutSeconds: number, nowMs: number): void {
  const since = new Date(nowMs - lockoutSeconds * 1000).toISOString();
  const rows = db
    .prepare(`SELECT subject, MAX(at) AS at FROM audit_log WHERE action = ? AND at > ? AND json_extract(details, '$.attemptsLeft') = 0 GROUP BY subject`)
    .all(action, since) as Array<{ subject: string | null; at: string }>;
  for (const r of rows) if (r.subject) lockout.restoreLock(`${prefix}${r.subject}`, Date.parse(r.at) + lockoutSeconds * 1000);
}
