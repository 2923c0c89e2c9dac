/**
 * @file The concrete IPC surface of the kiosk: every channel the renderer may call, with zod
 * schemas for the request (validated by main before any service sees it) and the response
 * (validated again by the renderer). Imported by main, preload and renderer: no Node, no Electron.
 *
 * Privacy rule enforced here and by tests/unit/kiosk/contract.test.ts: a response carries ids,
 * names, similarity scores and quality/liveness verdicts — never an embedding, image or crop.
 * No response schema contains an array of numbers.
 */
import { z } from 'zod';
import { QUALITY_REASONS } from '../engine/types';
import { defineChannel, type ContractShape } from './define';

// ---------------------------------------------------------------- shared pieces

export const LANGUAGES = ['en', 'es'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** The engine's quality codes (electron/engine/types.ts is plain TypeScript with no imports, so the renderer may share it). */
export const QUALITY_REASON_CODES = QUALITY_REASONS;
export const QualityReasonSchema = z.enum(QUALITY_REASON_CODES);
export type QualityReasonCode = z.infer<typeof QualityReasonSchema>;

/** Employee ids are what people type on the PIN pad and what payroll knows: short, plain. */
export const EmployeeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'employee id: 1-32 letters, digits, dot, dash or underscore');
export const DisplayNameSchema = z.string().trim().min(1, 'name is required').max(80, 'name is at most 80 characters');
/** 4-8 digits: typeable on a kiosk keypad; lock-out (settings.pin) is what makes it safe. */
export const PinSchema = z.string().regex(/^[0-9]{4,8}$/, 'PIN must be 4 to 8 digits');
export const SessionIdSchema = z.string().uuid();
export const RoleSchema = z.enum(['employee', 'manager']);

/** Largest frame we accept: 1920x1080 RGBA. The renderer sends at most 640 px wide. */
export const MAX_FRAME_PIXELS = 1920 * 1080;

/**
 * One camera frame, raw RGBA, row-major, no padding. Lives only in memory: the service drops the
 * reference after analysis and never writes it anywhere.
 */
export const FrameSchema = z
  .object({
    width: z.number().int().min(32).max(1920),
    height: z.number().int().min(32).max(1920),
    data: z.instanceof(Uint8Array),
  })
  .refine((f) => f.width * f.height <= MAX_FRAME_PIXELS, { message: 'frame larger than 1920x1080' })
  .refine((f) => f.data.length === f.width * f.height * 4, { message: 'frame data must be width*height*4 RGBA bytes' });
export type Frame = z.infer<typeof FrameSchema>;

/** Face box in frame coordinates as fractions 0..1 of width/height (so the overlay scales freely). */
export const FaceBoxSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().min(0),
  height: z.number().min(0),
});
export type FaceBox = z.infer<typeof FaceBoxSchema>;

export const LivenessVerdictSchema = z.object({ real: z.boolean(), score: z.number().min(0).max(1) });

export const PunchTypeSchema = z.enum(['clock_in', 'clock_out', 'break_start', 'break_end']);
export type PunchType = z.infer<typeof PunchTypeSchema>;

export const PunchSchema = z.object({
  eventId: z.string().min(1),
  type: PunchTypeSchema,
  /** ISO 8601 UTC instant of the punch. */
  at: z.string(),
  /** True when this was a repeat inside the repeat window: the earlier punch stands, nothing new recorded. */
  repeated: z.boolean(),
  /** ISO instant until which undoPunch is accepted; null when undo is not offered. */
  undoUntil: z.string().nullable(),
});
export type Punch = z.infer<typeof PunchSchema>;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

// ---------------------------------------------------------------- status & settings

export const KioskSettingsSchema = z.object({
  siteName: z.string(),
  language: LanguageSchema,
  sampleFps: z.number().min(1).max(30),
  agreeingFrames: z.number().int().min(1),
  undoSeconds: z.number().int().min(0),
  managerIdleSeconds: z.number().int().min(1),
  cameraDeviceId: z.string().nullable(),
  pinMaxAttempts: z.number().int().min(1),
});
export type KioskSettings = z.infer<typeof KioskSettingsSchema>;

export const ManagerSessionSchema = z.object({
  employeeId: EmployeeIdSchema,
  name: z.string(),
  /** Seconds of inactivity left before auto-logout. */
  idleSecondsLeft: z.number().int().min(0),
});
export type ManagerSession = z.infer<typeof ManagerSessionSchema>;

export const SyncStatusSchema = z.object({
  enabled: z.boolean(),
  /** Events waiting to be sent. */
  queueLength: z.number().int().min(0),
  lastSuccessAt: z.string().nullable(),
  deadLetters: z.number().int().min(0),
  /** The endpoint refused the device (401/403): sync stopped until IT re-provisions. */
  unauthorized: z.boolean(),
  /** False when the last attempt could not reach the endpoint (drives the offline banner). */
  online: z.boolean(),
});

export const HealthSchema = z.object({ ok: z.boolean(), detail: z.string().nullable() });

export const StatusSchema = z.object({
  /** True until the first manager exists; the kiosk does nothing else until then. */
  setupRequired: z.boolean(),
  manager: ManagerSessionSchema.nullable(),
  deviceId: z.string(),
  tenantId: z.string(),
  siteName: z.string(),
  models: z.object({ detector: z.string(), embedder: z.string(), liveness: z.array(z.string()) }),
  employeeCount: z.number().int().min(0),
  enrolledCount: z.number().int().min(0),
  sync: SyncStatusSchema,
  inference: HealthSchema,
});
export type KioskStatus = z.infer<typeof StatusSchema>;

// ---------------------------------------------------------------- recognition

export const GuidanceSchema = z.object({
  kind: z.literal('guidance'),
  /** The subject's box, or null when no face is seen. */
  face: FaceBoxSchema.nullable(),
  faceCount: z.number().int().min(0),
  reasons: z.array(QualityReasonSchema),
  liveness: LivenessVerdictSchema.nullable(),
  /** How many consecutive frames agree so far, out of how many are needed. */
  agreeing: z.number().int().min(0),
  needed: z.number().int().min(1),
});

export const RecognizedSchema = z.object({
  kind: z.literal('recognized'),
  face: FaceBoxSchema.nullable(),
  employeeId: EmployeeIdSchema,
  name: z.string(),
  similarity: z.number().min(-1).max(1),
  punch: PunchSchema,
});

export const UnknownSchema = z.object({ kind: z.literal('unknown'), face: FaceBoxSchema.nullable() });
/** Presentation attack suspected: the UI shows a neutral "could not verify" message, nothing is punched. */
export const SpoofSchema = z.object({ kind: z.literal('not_verified'), face: FaceBoxSchema.nullable() });

export const FrameResultSchema = z.discriminatedUnion('kind', [GuidanceSchema, RecognizedSchema, UnknownSchema, SpoofSchema]);
export type FrameResult = z.infer<typeof FrameResultSchema>;

export const PinPunchResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('punched'), employeeId: EmployeeIdSchema, name: z.string(), punch: PunchSchema }),
  /** Wrong id or PIN (never says which, so ids cannot be probed). */
  z.object({ outcome: z.literal('rejected'), attemptsLeft: z.number().int().min(0) }),
  z.object({ outcome: z.literal('locked'), retryAfterSeconds: z.number().int().min(0) }),
]);
export type PinPunchResult = z.infer<typeof PinPunchResultSchema>;

// ---------------------------------------------------------------- manager & employees

export const EmployeeSummarySchema = z.object({
  id: EmployeeIdSchema,
  name: z.string(),
  role: RoleSchema,
  hasPin: z.boolean(),
  templateCount: z.number().int().min(0),
  consent: z.enum(['accepted', 'refused', 'withdrawn']).nullable(),
});
export type EmployeeSummary = z.infer<typeof EmployeeSummarySchema>;

export const ConsentNoticeSchema = z.object({
  version: z.string().min(1),
  language: LanguageSchema,
  title: z.string(),
  body: z.string(),
});
export type ConsentNotice = z.infer<typeof ConsentNoticeSchema>;

export const EnrolFrameResultSchema = z.object({
  accepted: z.boolean(),
  face: FaceBoxSchema.nullable(),
  reasons: z.array(QualityReasonSchema),
  /** Why a good-quality frame was still not kept: not a live face, or not consistent with the samples so far. */
  rejection: z.enum(['not_live', 'inconsistent', 'other']).nullable(),
  liveness: LivenessVerdictSchema.nullable(),
  collected: z.number().int().min(0),
  needed: z.number().int().min(1),
});
export type EnrolFrameResult = z.infer<typeof EnrolFrameResultSchema>;

export const DuplicateSchema = z.object({ employeeId: EmployeeIdSchema, name: z.string(), similarity: z.number() });

export const EnrolCommitResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('committed'), employeeId: EmployeeIdSchema, templates: z.number().int().min(1) }),
  /** The face already matches someone else: nothing stored until the manager confirms (force: true) or cancels. */
  z.object({ status: z.literal('duplicate'), duplicate: DuplicateSchema }),
]);
export type EnrolCommitResult = z.infer<typeof EnrolCommitResultSchema>;

// ---------------------------------------------------------------- the contract

export const CONTRACT = {
  /** Everything the status screen and the app shell need; callable without a manager session. */
  status: defineChannel(Empty, StatusSchema),
  getSettings: defineChannel(Empty, KioskSettingsSchema),
  setLanguage: defineChannel(z.object({ language: LanguageSchema }).strict(), KioskSettingsSchema),
  /** Manager only: which camera (MediaDeviceInfo.deviceId) the kiosk opens; null = the system default. */
  setCameraDevice: defineChannel(z.object({ deviceId: z.string().min(1).max(256).nullable() }).strict(), KioskSettingsSchema),

  /** First run only: creates the first manager and opens a manager session. */
  setupManager: defineChannel(
    z.object({ employeeId: EmployeeIdSchema, name: DisplayNameSchema, pin: PinSchema }).strict(),
    ManagerSessionSchema,
  ),
  managerLogin: defineChannel(z.object({ employeeId: EmployeeIdSchema, pin: PinSchema }).strict(), PinLoginResult()),
  managerLogout: defineChannel(Empty, Ok),
  /** The renderer reports user activity in manager mode; resets the inactivity timer. */
  managerPing: defineChannel(Empty, ManagerSessionSchema.nullable()),

  /** One sampled camera frame (unmirrored) for clock-in. */
  processFrame: defineChannel(z.object({ frame: FrameSchema }).strict(), FrameResultSchema),
  /** Forget agreeing-frame history (e.g. after a result card, or when the screen goes idle). */
  resetRecognition: defineChannel(Empty, Ok),
  pinPunch: defineChannel(z.object({ employeeId: EmployeeIdSchema, pin: PinSchema }).strict(), PinPunchResultSchema),
  undoPunch: defineChannel(z.object({ eventId: z.string().min(1).max(64) }).strict(), Ok),

  listEmployees: defineChannel(Empty, z.object({ employees: z.array(EmployeeSummarySchema) })),
  createEmployee: defineChannel(
    z.object({ employeeId: EmployeeIdSchema, name: DisplayNameSchema, role: RoleSchema.default('employee') }).strict(),
    EmployeeSummarySchema,
  ),
  setPin: defineChannel(z.object({ employeeId: EmployeeIdSchema, pin: PinSchema }).strict(), Ok),
  /** Immediate and irreversible: the employee, their templates and PIN are gone. */
  deleteEmployee: defineChannel(z.object({ employeeId: EmployeeIdSchema }).strict(), Ok),

  consentNotice: defineChannel(z.object({ language: LanguageSchema }).strict(), ConsentNoticeSchema),
  enrolBegin: defineChannel(
    z.object({ employeeId: EmployeeIdSchema }).strict(),
    z.object({ sessionId: SessionIdSchema, needed: z.number().int().min(1) }),
  ),
  enrolConsent: defineChannel(
    z.object({ sessionId: SessionIdSchema, decision: z.enum(['accepted', 'refused']), noticeVersion: z.string().min(1).max(32) }).strict(),
    z.object({ decision: z.enum(['accepted', 'refused']) }),
  ),
  enrolAddFrame: defineChannel(z.object({ sessionId: SessionIdSchema, frame: FrameSchema }).strict(), EnrolFrameResultSchema),
  enrolCommit: defineChannel(z.object({ sessionId: SessionIdSchema, force: z.boolean().default(false) }).strict(), EnrolCommitResultSchema),
  enrolCancel: defineChannel(z.object({ sessionId: SessionIdSchema }).strict(), Ok),
} satisfies ContractShape;

function PinLoginResult() {
  return z.discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('ok'), session: ManagerSessionSchema }),
    z.object({ outcome: z.literal('rejected'), attemptsLeft: z.number().int().min(0) }),
    z.object({ outcome: z.literal('locked'), retryAfterSeconds: z.number().int().min(0) }),
  ]);
}

export type KioskContract = typeof CONTRACT;
export type KioskChannel = keyof KioskContract;
export const CHANNELS = Object.keys(CONTRACT) as KioskChannel[];
