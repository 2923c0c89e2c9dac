/**
 * @file The provisioning file IT or MDM drops into the machine-wide config directory
 * (resolveMachineConfigDir(): /etc/intelliface-kiosk, %ProgramData%\IntelliFace Kiosk,
 * /Library/Application Support/IntelliFace Kiosk) to set up a terminal unattended.
 *
 * It carries the same facts `kiosk provision` takes on the command line: endpoint, tenant,
 * device token, site name, language, kiosk and update options. Validated with zod (strict: an
 * unknown key is a typo, and a typo silently ignored is a terminal misconfigured at a site
 * nobody visits); the JSON Schema IT's editors use is generated from the same zod schema
 * (resources/provisioning.schema.json, kept equal by a test).
 *
 * A file is applied once per content (SHA-256 recorded in the data dir), so a manager's later
 * change on the device (say, the language) is not undone at every start, while any edit IT makes
 * to the file is applied at the next start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../common/errors';
import { LANGUAGES, loadSettings, saveSettings, type Settings } from './settings';

export const PROVISIONING_FILE = 'provisioning.json';
export const PROVISIONING_APPLIED_FILE = 'provisioning-applied.json';
/** A provisioning file is a few hundred bytes; anything huge is not one. */
export const MAX_PROVISIONING_BYTES = 64 * 1024;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https only — the device token travels to it — except plain http to loopback for a local test relay. */
const EndpointSchema = z
  .string()
  .max(2048)
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        if (u.username || u.password) return false;
        return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
      } catch {
        return false;
      }
    },
    { message: 'must be an https:// URL without credentials (http:// only for localhost)' },
  )
  // The refine above is not expressible in JSON Schema; this pattern says the same for IT's editors.
  .meta({
    description: 'Sync endpoint of the attendance service, e.g. https://attendance.example.com/api/v1',
    format: 'uri',
    pattern: '^(https://|http://(localhost|127\\.0\\.0\\.1|\\[::1\\])([:/]|$))',
  });

export const ProvisioningSchema = z
  .object({
    $schema: z.string().optional().describe('Optional reference to provisioning.schema.json for editors'),
    version: z.literal(1).describe('Format version of this file; always 1'),
    endpoint: EndpointSchema,
    tenantId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'tenantId: 1-64 letters, digits, dot, dash or underscore')
      .describe('Tenant this terminal belongs to'),
    deviceToken: z
      .string()
      .min(16, 'deviceToken must be at least 16 characters')
      .max(4096)
      .regex(/^[\x21-\x7e]+$/, 'deviceToken must be printable ASCII without spaces')
      .describe('One-time enrolment token issued by the attendance service; stored wrapped in the device store, never in settings or logs'),
    siteName: z.string().min(1).max(80).optional().describe('Shown on the kiosk screen'),
    language: z.enum(LANGUAGES).optional(),
    kiosk: z
      .object({
        fullscreen: z.boolean().optional(),
        kioskMode: z.boolean().optional(),
        startOnLogin: z.boolean().optional(),
        managerIdleSeconds: z.number().int().min(15).max(3600).optional(),
        cameraDeviceId: z.string().min(1).max(256).optional(),
        allowBasicTextKeyStorage: z
          .boolean()
          .optional()
          .describe('Linux only: accept safeStorage basic_text (obfuscation, not encryption). Leave false unless the disk is encrypted'),
      })
      .strict()
      .optional(),
    update: z
      .object({ enabled: z.boolean().optional(), channel: z.enum(['stable', 'beta']).optional() })
      .strict()
      .optional()
      .describe('Auto-update; set enabled=false when IT rolls out versions itself'),
    sync: z.object({ enabled: z.boolean().optional() }).strict().optional(),
  })
  .strict();

export type Provisioning = z.infer<typeof ProvisioningSchema>;

export type ProvisioningRead =
  | { readonly status: 'absent'; readonly file: string }
  | { readonly status: 'invalid'; readonly file: string; readonly reason: string }
  | { readonly status: 'valid'; readonly file: string; readonly sha256: string; readonly provisioning: Provisioning };

/** The first problem as "field: message" — never the value, which may be the token. */
function describeIssue(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const where = first.path.length > 0 ? first.path.map(String).join('.') : '(file)';
  return `${where}: ${first.message}`;
}

/** Validate parsed JSON; throws ConfigError naming the source and the first bad field. */
export function parseProvisioning(json: unknown, source: string): Provisioning {
  const r = ProvisioningSchema.safeParse(json);
  if (!r.success) throw new ConfigError(`${source}: ${describeIssue(r.error)}`);
  return r.data;
}

/** Read `<dir>/provisioning.json`; never throws — an invalid file is an answer with its reason. */
export function readProvisioningFile(dir: string): ProvisioningRead {
  return readProvisioningAt(path.join(dir, PROVISIONING_FILE));
}

/** Read and validate a provisioning file at any path (e.g. before IT deploys it). */
export function readProvisioningAt(file: string): ProvisioningRead {
  let bytes: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { status: 'invalid', file, reason: `${file} is not a regular file` };
    if (st.size > MAX_PROVISIONING_BYTES) return { status: 'invalid', file, reason: `${file} is ${st.size} bytes; a provisioning file is at most ${MAX_PROVISIONING_BYTES}` };
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'absent', file };
    return { status: 'invalid', file, reason: `${file} cannot be read (${code ?? (e as Error).message}); the kiosk user needs read access` };
  }
  let json: unknown;
  try {
    // Tolerate a UTF-8 BOM: Windows Notepad and PowerShell 5 write one.
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    return { status: 'invalid', file, reason: `${file} is not valid JSON: ${(e as Error).message}` };
  }
  try {
    const provisioning = parseProvisioning(json, file);
    return { status: 'valid', file, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), provisioning };
  } catch (e) {
    return { status: 'invalid', file, reason: (e as Error).message };
  }
}

/**
 * What the file looks like now, as a short string that changes whenever its content does
 * ("absent", "unreadable:EACCES" or the SHA-256 of its bytes). The startup-problem screen polls it
 * and restarts the kiosk only when IT has changed something, never in a loop.
 */
export function fingerprintProvisioningFile(dir: string): string {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, PROVISIONING_FILE))).digest('hex');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? 'absent' : `unreadable:${code}`;
  }
}

/** Current settings with the provisioned values laid over them (validated again by SettingsSchema). */
export function mergeProvisioningIntoSettings(current: Settings, p: Provisioning): Settings {
  return {
    ...current,
    endpoint: p.endpoint,
    tenantId: p.tenantId,
    ...(p.siteName !== undefined ? { siteName: p.siteName } : {}),
    ...(p.language !== undefined ? { language: p.language } : {}),
    kiosk: { ...current.kiosk, ...p.kiosk },
    update: { ...current.update, ...p.update },
    sync: { ...current.sync, ...p.sync },
  };
}

interface AppliedRecord {
  readonly sha256: string;
  readonly appliedAt: string;
  readonly file: string;
}

function readAppliedRecord(dataDir: string): AppliedRecord | null {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(dataDir, PROVISIONING_APPLIED_FILE), 'utf8')) as Partial<AppliedRecord>;
    return typeof v.sha256 === 'string' && typeof v.appliedAt === 'string' && typeof v.file === 'string' ? (v as AppliedRecord) : null;
  } catch {
    return null;
  }
}

export interface ApplyProvisioningOptions {
  readonly dataDir: string;
  /** Stores the device token in the device store (wrapped by the key provider), never in settings. */
  readonly storeDeviceToken: (token: string, p: Provisioning) => Promise<void>;
  readonly now?: () => Date;
}

export type ProvisioningOutcome =
  | { readonly status: 'absent'; readonly file: string }
  | { readonly status: 'invalid'; readonly file: string; readonly reason: string }
  | { readonly status: 'unchanged'; readonly file: string; readonly sha256: string }
  | { readonly status: 'applied'; readonly file: string; readonly sha256: string; readonly settings: Settings };

/**
 * Read the machine-wide file and, when valid and not yet applied, write settings and the device
 * token. An invalid file changes nothing and is returned with its reason for the screen and log.
 */
export async function applyProvisioningFromDir(machineConfigDir: string, opts: ApplyProvisioningOptions): Promise<ProvisioningOutcome> {
  const read = readProvisioningFile(machineConfigDir);
  if (read.status !== 'valid') return read;
  const prev = readAppliedRecord(opts.dataDir);
  if (prev?.sha256 === read.sha256) return { status: 'unchanged', file: read.file, sha256: read.sha256 };
  let settings: Settings;
  try {
    settings = mergeProvisioningIntoSettings(loadSettings(opts.dataDir), read.provisioning);
  } catch (e) {
    return { status: 'invalid', file: read.file, reason: `current settings could not be read to apply ${read.file}: ${(e as Error).message}` };
  }
  // Token first: settings pointing at an endpoint the device cannot authenticate to would be worse than no change.
  await opts.storeDeviceToken(read.provisioning.deviceToken, read.provisioning);
  const saved = saveSettings(opts.dataDir, settings);
  const record: AppliedRecord = { sha256: read.sha256, appliedAt: (opts.now?.() ?? new Date()).toISOString(), file: read.file };
  const target = path.join(opts.dataDir, PROVISIONING_APPLIED_FILE);
  fs.writeFileSync(`${target}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${target}.tmp`, target);
  return { status: 'applied', file: read.file, sha256: read.sha256, settings: saved };
}

/** The JSON Schema for IT (draft 2020-12), generated from the zod schema above. */
export function buildProvisioningJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProvisioningSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://intelliface.example/schemas/provisioning.schema.json',
    title: 'IntelliFace Kiosk provisioning file',
    description: 'Dropped by an installer or MDM as provisioning.json in the machine-wide config directory; see docs/deployment.md.',
  };
}
