/**
 * @file How every `kiosk` command speaks: results on stdout (JSON with `--json`), one-line
 * errors on stderr, never a stack trace. Exit codes: 0 ok, 1 the operation failed, 2 bad usage.
 */
import { KioskError, toErrorValue } from '../common/errors';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by a command that has already printed its result but must exit non-zero. */
export class CommandFailed extends Error {
  constructor(readonly exitCode: number = EXIT_FAILED) {
    super('command failed');
  }
}

export interface OutputOptions {
  readonly json?: boolean;
}

export function printResult(opts: OutputOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** One line for stderr: `kiosk: <message>` with newlines folded so it stays one line. */
export function formatErrorLine(err: unknown): string {
  const v = toErrorValue(err);
  return `kiosk: ${v.message.replace(/\s*\n\s*/g, ' ')}`;
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommandFailed) return err.exitCode;
  if (err instanceof KioskError && err.code === 'INVALID_INPUT') return EXIT_USAGE;
  return EXIT_FAILED;
}
