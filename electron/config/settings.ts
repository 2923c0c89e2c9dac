/**
 * @file Terminal settings: what IT provisions (file or `kiosk provision`) and the manager can
 * adjust. Non-secret only — device token and private key live wrapped in the store.
 * Stored as `<dataDir>/settings.json`, validated on every load, written atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../common/errors';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const SettingsSchema = z
  .object({
    /** Tenant this terminal belongs to; templates are sealed under this tenant's data key. */
    tenantId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).default('default'),
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    siteName: z.string().min(1).max(80).default('Main entrance'),
    language: z.enum(LANGUAGES).default('en'),
    /** Embedder model id; KIOSK_EMBEDDER overrides. Unset = the manifest default (SFace). */
    embedder: z.string().optional(),
    recognition: z
      .object({
        /** Cosine threshold; unset = the embedder's manifest default. */
        threshold: z.number().min(-1).max(1).optional(),
        /** Open-set margin to the second-best different employee. */
        minMargin: z.number().min(0).max(2).default(0.05),
        /** Agreeing frames before a decision (renderer). */
        agreeingFrames: z.number().int().min(1).max(30).default(3),
        /** Fused real-class probability needed to accept a face as live. */
        livenessThreshold: z.number().min(0).max(1).default(0.5),
        livenessEnabled: z.boolean().default(true),
        sampleFps: z.number().min(1).max(30).default(8),
        intraOpThreads: z.number().int().min(1).max(16).default(1),
      })
      .prefault({}),
    punch: z
      .object({
        mode: z.enum(['toggle', 'explicit']).default('toggle'),
        breaks: z.boolean().default(false),
        repeatWindowSeconds: z.number().int().min(0).max(3600).default(60),
        /**
         * A shift still open after this many hours was a forgotten clock-out: in toggle mode the next
         * punch starts a new shift (clock_in) instead of closing a 3-day one. 0 disables the rule.
         */
        maxShiftHours: z.number().min(0).max(72).default(16),
        undoSeconds: z.number().int().min(0).max(60).default(5),
      })
      .prefault({}),
    pin: z
      .object({
        maxAttempts: z.number().int().min(1).max(20).default(5),
        lockoutSeconds: z.number().int().min(5).max(86_400).default(300),
      })
      .prefault({}),
    retention: z
      .object({
        /** BIPA's maximum: destroy biometric data within 3 years of the last interaction. */
        inactiveDays: z.number().int().min(1).max(3650).default(1095),
      })
      .prefault({}),
    sync: z
      .object({
        enabled: z.boolean().default(true),
        batchSize: z.number().int().min(1).max(5000).default(500),
      })
      .prefault({}),
    kiosk: z
      .object({
        fullscreen: z.boolean().default(true),
        kioskMode: z.boolean().default(true),
        startOnLogin: z.boolean().default(false),
        managerIdleSeconds: z.number().int().min(15).max(3600).default(120),
        cameraDeviceId: z.string().optional(),
        /** Linux safeStorage 'basic_text' only obfuscates; refuse it unless IT opts in. */
        allowBasicTextKeyStorage: z.boolean().default(false),
      })
      .prefault({}),
    update: z
      .object({
        enabled: z.boolean().default(true),
        channel: z.enum(['stable', 'beta']).default('stable'),
      })
      .prefault({}),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;

export const SETTINGS_FILE = 'settings.json';

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Validate unknown JSON as settings; the error names the first bad field. */
export function parseSettings(json: unknown, source: string): Settings {
  const r = SettingsSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first ? first.path.join('.') || '(root)' : '(root)';
    throw new ConfigError(`${source}: invalid setting ${where}: ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}

export function loadSettings(dataDir: string): Settings {
  const file = path.join(dataDir, SETTINGS_FILE);
  if (!fs.existsSync(file)) return defaultSettings();
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseSettings(json, file);
}

/** Write atomically (temp + rename) so a power cut never leaves half a settings file. */
export function saveSettings(dataDir: string, settings: SettingsInput): Settings {
  const valid = parseSettings(settings, 'settings');
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SETTINGS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return valid;
}

export function updateSettings(dataDir: string, patch: (s: Settings) => SettingsInput): Settings {
  return saveSettings(dataDir, patch(loadSettings(dataDir)));
}
