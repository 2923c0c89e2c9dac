/**
 * @file The kiosk's log: JSON lines (pino), rotated by size and day (pino-roll, from the pino
 * team), kept in `<data dir>/logs`, scrubbed by `redactForLog` before anything reaches disk.
 *
 * pino-roll is used as a plain stream in this thread, not as a pino worker transport: a
 * transport resolves its target by module path at run time, which breaks once electron-vite has
 * bundled the main process, and a kiosk's log volume does not need a thread of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { redactForLog, redactString } from './redact';

export type { Logger } from 'pino';

export const LOG_BASENAME = 'kiosk';
export const LOGS_SUBDIR = 'logs';

export interface KioskLoggerOptions {
  /** Folder for log files, created if missing. */
  readonly dir: string;
  readonly level?: pino.LevelWithSilent;
  /** Rotate when a file reaches this size (pino-roll units: k, m, g). */
  readonly maxFileSize?: string;
  /** Rotated files kept besides the active one. */
  readonly keepFiles?: number;
  /** Where else to write the same (redacted) lines, e.g. stdout in development. */
  readonly mirror?: NodeJS.WritableStream;
}

export interface KioskLogger {
  readonly logger: Logger;
  /** The folder the files are in (what `docs/deployment.md` tells IT to collect). */
  readonly dir: string;
  /** Flush and close the file; call before the process exits. */
  close(): Promise<void>;
}

/** `<dataDir>/logs`: the same place for the app and the CLI, on every OS. */
export function resolveLogsDir(dataDir: string): string {
  return path.join(dataDir, LOGS_SUBDIR);
}

/** pino options that route every record, binding and message through the redactor. */
export function buildRedactingPinoOptions(level: pino.LevelWithSilent = 'info'): pino.LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: (e: unknown) => redactForLog(e) },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (b) => redactForLog(b) as Record<string, unknown>,
      log: (obj) => redactForLog(obj) as Record<string, unknown>,
    },
    hooks: {
      // Messages and printf-style arguments are strings the formatters never see.
      logMethod(args, method) {
        const clean = args.map((a) => (typeof a === 'string' ? redactString(a) : a)) as Parameters<typeof method>;
        method.apply(this, clean);
      },
    },
  };
}

/**
 * pino resets the bindings formatter for child loggers (lib/proto.js `resetChildingsFormatter`),
 * so `logger.child({ deviceToken })` would bypass it. Children are created with
 * `Object.create(parent)`, so replacing `child` on the root covers every descendant.
 */
export function redactChildBindings(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactForLog(bindings) as typeof bindings, options);
  } as typeof logger.child;
  return logger;
}

export async function openKioskLogger(opts: KioskLoggerOptions): Promise<KioskLogger> {
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const file = await pinoRoll({
    file: path.join(opts.dir, LOG_BASENAME),
    extension: '.log',
    size: opts.maxFileSize ?? '10m',
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    mkdir: true,
    // Owner-only: logs are scrubbed, but still say who clocked in when.
    mode: 0o600,
    // Without this the count applies only to files this process created, and a kiosk that
    // restarts daily would keep every day's log forever.
    limit: { count: opts.keepFiles ?? 14, removeOtherLogFiles: true },
  });
  const streams: pino.StreamEntry[] = [{ stream: file }];
  if (opts.mirror) streams.push({ stream: opts.mirror });
  const logger = redactChildBindings(pino(buildRedactingPinoOptions(opts.level ?? 'info'), pino.multistream(streams)));
  return {
    logger,
    dir: opts.dir,
    close: () =>
      new Promise<void>((resolve) => {
        file.flush(() => {
          file.once('close', () => resolve());
          file.end();
        });
      }),
  };
}
