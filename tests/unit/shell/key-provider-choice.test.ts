/**
 * Which key-encryption key the app opens: never a different one from the KEK existing data is
 * wrapped under.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseKeyProvider } from '../../../electron/shell/key-provider-choice';

describe('key provider choice', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-kek-'));

  it('is safeStorage on a fresh terminal', () => {
    expect(chooseKeyProvider(dataDir, {})).toEqual({ kind: 'safeStorage' });
    expect(chooseKeyProvider(dataDir, { KIOSK_KEY_FILE: '' })).toEqual({ kind: 'safeStorage' });
  });

  it('keeps the CLI key file once a terminal was set up with the CLI', () => {
    fs.writeFileSync(path.join(dataDir, 'kek.key'), Buffer.alloc(32, 1), { mode: 0o600 });
    expect(chooseKeyProvider(dataDir, {})).toEqual({ kind: 'file', file: path.join(dataDir, 'kek.key'), reason: 'cli-key-file' });
  });

  it('honours an explicit KIOSK_KEY_FILE first', () => {
    expect(chooseKeyProvider(dataDir, { KIOSK_KEY_FILE: '/mnt/keys/kiosk.key' })).toEqual({ kind: 'file', file: path.resolve('/mnt/keys/kiosk.key'), reason: 'KIOSK_KEY_FILE' });
  });
});
