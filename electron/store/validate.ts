/**
 * @file Validation of identifiers and names at the store boundary, with messages a manager or
 * an IT admin can act on. Ids are used in AAD, file-free logs and the CLI, so they are kept to a
 * safe, printable alphabet.
 */
import { InvalidInputError } from '../common/errors';

/** Same alphabet as settings.tenantId. */
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertTenantId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_RE.test(id)) {
    throw new InvalidInputError(`invalid tenant id ${JSON.stringify(id)}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
}

export function assertEmployeeId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_RE.test(id)) {
    throw new InvalidInputError(`invalid employee id ${JSON.stringify(id)}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
}

/** A display name: 1-80 characters after trimming, no control characters. Returns it NFC-normalised and trimmed. */
export function normalizeDisplayName(name: unknown): string {
  if (typeof name !== 'string') throw new InvalidInputError('display name must be a string');
  const n = name.normalize('NFC').trim();
  if (n.length === 0) throw new InvalidInputError('display name must not be empty');
  if ([...n].length > 80) throw new InvalidInputError(`display name is too long (${[...n].length} characters, at most 80)`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(n)) throw new InvalidInputError('display name must not contain control characters');
  return n;
}
