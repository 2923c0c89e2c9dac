/**
 * @file Named error classes shared by every process.
 *
 * Errors cross process boundaries (inference process, IPC, CLI) as plain values
 * (`ErrorValue`), because `instanceof` does not survive structured clone — the same
 * reason Signal Desktop matches `DBVersionFromFutureError` by name. `reviveError`
 * turns a value back into the right class on the receiving side.
 */

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'MODEL_MISSING'
  | 'MODEL_CORRUPT'
  | 'MODEL_UNKNOWN'
  | 'IMAGE_DECODE'
  | 'INFERENCE'
  | 'INFERENCE_PROCESS'
  | 'DB_FROM_FUTURE'
  | 'DB'
  | 'KEY'
  | 'TAMPERED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'NETWORK'
  | 'CONFIG'
  | 'INTERNAL';

export interface ErrorValue {
  readonly name: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export class KioskError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.name = new.target.name;
    if (details !== undefined) this.details = details;
  }

  toValue(): ErrorValue {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

/** Bad input at a boundary: CLI args, IPC payloads, config files, HTTP responses. */
export class InvalidInputError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_INPUT', message, details);
  }
}

/** A model file is not installed. The message names the command that installs it. */
export class ModelMissingError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('MODEL_MISSING', message, details);
  }
}

/** A model file exists but its size or SHA-256 differs from the manifest; it is never loaded. */
export class ModelCorruptError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('MODEL_CORRUPT', message, details);
  }
}

export class ModelUnknownError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('MODEL_UNKNOWN', message, details);
  }
}

export class ImageDecodeError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('IMAGE_DECODE', message, details);
  }
}

export class InferenceError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INFERENCE', message, details);
  }
}

/** The inference process died or did not answer; the caller may retry after restart. */
export class InferenceProcessError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INFERENCE_PROCESS', message, details);
  }
}

/** The database was written by a newer version of the app; it is refused, never modified. */
export class DBVersionFromFutureError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('DB_FROM_FUTURE', message, details);
  }
}

export class DatabaseError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('DB', message, details);
  }
}

/** Wrong key, missing key, or a key provider that refuses to work (e.g. basic_text safeStorage). */
export class KeyError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('KEY', message, details);
  }
}

/** Authenticated decryption failed: the row was altered or moved to another owner. */
export class TamperedDataError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('TAMPERED', message, details);
  }
}

export class NotFoundError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_FOUND', message, details);
  }
}

export class ConflictError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFLICT', message, details);
  }
}

export class UnauthorizedError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('UNAUTHORIZED', message, details);
  }
}

export class NetworkError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NETWORK', message, details);
  }
}

export class ConfigError extends KioskError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFIG', message, details);
  }
}

const CLASSES: Record<string, new (message: string, details?: Record<string, unknown>) => KioskError> = {
  InvalidInputError,
  ModelMissingError,
  ModelCorruptError,
  ModelUnknownError,
  ImageDecodeError,
  InferenceError,
  InferenceProcessError,
  DBVersionFromFutureError,
  DatabaseError,
  KeyError,
  TamperedDataError,
  NotFoundError,
  ConflictError,
  UnauthorizedError,
  NetworkError,
  ConfigError,
};

/** Any thrown thing → a value safe to send across a process boundary. */
export function toErrorValue(err: unknown): ErrorValue {
  if (err instanceof KioskError) return err.toValue();
  if (err instanceof Error) return { name: 'Error', code: 'INTERNAL', message: err.message };
  return { name: 'Error', code: 'INTERNAL', message: String(err) };
}

/** The inverse of `toErrorValue`: rebuild the named class where it is known. */
export function reviveError(value: ErrorValue): KioskError {
  const Ctor = CLASSES[value.name];
  if (Ctor) return new Ctor(value.message, value.details);
  return new KioskError(value.code, value.message, value.details);
}

export function isErrorValue(v: unknown): v is ErrorValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ErrorValue).name === 'string' &&
    typeof (v as ErrorValue).code === 'string' &&
    typeof (v as ErrorValue).message === 'string'
  );
}
