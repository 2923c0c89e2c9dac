import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgreementTracker } from '../../../electron/kiosk/agreement';
import { currentConsentVersion, listConsentVersions, loadConsentNotice } from '../../../electron/kiosk/consent-notice';
import { ManagerSessionClock } from '../../../electron/kiosk/manager-session';
import { PinLockout } from '../../../electron/kiosk/pin-lockout';
import { LANGUAGES } from '../../../electron/contract/channels';
import { PROJECT_ROOT } from '../../helpers/paths';

const emp = (employeeId: string) => ({ candidate: { kind: 'employee' as const, employeeId }, similarity: 0.6, liveness: 0.9 });

describe('AgreementTracker', () => {
  it('decides only after N consecutive agreeing frames and restarts on disagreement', () => {
    const t = new AgreementTracker(3);
    expect(t.push(emp('a'))).toBeNull();
    expect(t.push(emp('b'))).toBeNull(); // disagreement: streak restarts at b
    expect(t.count).toBe(1);
    expect(t.push(emp('b'))).toBeNull();
    const d = t.push({ ...emp('b'), similarity: 0.9 });
    expect(d).toMatchObject({ candidate: { kind: 'employee', employeeId: 'b' }, frames: 3, liveness: 0.9 });
    expect(d!.similarity).toBeCloseTo(0.7, 5);
    expect(t.count).toBe(0);
  });

  it('treats unknown and spoof as candidates of their own', () => {
    const t = new AgreementTracker(2);
    expect(t.push({ candidate: { kind: 'spoof' }, similarity: 0, liveness: 0.1 })).toBeNull();
    expect(t.push({ candidate: { kind: 'unknown' }, similarity: 0.1, liveness: 0.9 })).toBeNull();
    expect(t.push({ candidate: { kind: 'unknown' }, similarity: 0.1, liveness: null })).toMatchObject({ candidate: { kind: 'unknown' }, liveness: null });
  });

  it('rejects a nonsensical N', () => {
    expect(() => new AgreementTracker(0)).toThrow(/positive integer/);
  });
});

describe('PinLockout', () => {
  it('locks after maxAttempts and unlocks after lockoutSeconds', () => {
    let now = 1_000_000;
    const l = new PinLockout({ maxAttempts: 2, lockoutSeconds: 30 }, () => now);
    expect(l.fail('a')).toBe(1);
    expect(l.check('a')).toEqual({ locked: false });
    expect(l.fail('a')).toBe(0);
    expect(l.check('a')).toEqual({ locked: true, retryAfterSeconds: 30 });
    expect(l.check('b')).toEqual({ locked: false });
    now += 30_001;
    expect(l.check('a')).toEqual({ locked: false });
    expect(l.fail('a')).toBe(1); // a fresh count after the lock expired
    l.succeed('a');
    expect(l.fail('a')).toBe(1);
  });
});

describe('ManagerSessionClock', () => {
  it('expires after idle seconds; touch restarts the timer', () => {
    let now = 0;
    const m = new ManagerSessionClock(60, () => now);
    expect(m.active()).toBeNull();
    m.open({ employeeId: 'm', name: 'M' });
    now = 59_000;
    expect(m.touch()).toMatchObject({ idleSecondsLeft: 60 });
    now = 118_000;
    expect(m.active()).toMatchObject({ idleSecondsLeft: 1 });
    now = 119_001;
    expect(m.active()).toBeNull();
    expect(m.touch()).toBeNull();
  });
});

describe('consent notices', () => {
  const dir = path.join(PROJECT_ROOT, 'resources', 'consent');
  it('every version exists in every kiosk language with a title and body', () => {
    const versions = listConsentVersions(dir);
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) {
      for (const lng of LANGUAGES) {
        const n = loadConsentNotice(dir, lng, v);
        expect(n.title.length).toBeGreaterThan(10);
        expect(n.body.split(/\n\s*\n/).length).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('the newest version is current; bad input is refused with a clear message', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-'));
    fs.mkdirSync(path.join(tmp, '2026-01'));
    fs.mkdirSync(path.join(tmp, '2027-03'));
    fs.writeFileSync(path.join(tmp, '2027-03', 'en.md'), 'no title line\n\nbody');
    expect(currentConsentVersion(tmp)).toBe('2027-03');
    expect(() => loadConsentNotice(tmp, 'en')).toThrow(/first line must be "# <title>"/);
    expect(() => loadConsentNotice(tmp, 'es')).toThrow(/has no es text/);
    expect(() => loadConsentNotice(tmp, 'en', '../x')).toThrow(/YYYY-MM/);
    expect(() => currentConsentVersion(path.join(tmp, 'missing'))).toThrow(/does not exist/);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
