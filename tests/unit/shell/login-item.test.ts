/**
 * Start on login: the XDG autostart entry on Linux (written to a real folder) and the settings
 * passed to Electron's setLoginItemSettings elsewhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyLinuxAutostart,
  AUTOSTART_FILE,
  buildAutostartEntry,
  buildLoginItemSettings,
  quoteExecArg,
  resolveAutostartDir,
  resolveAutostartExec,
} from '../../../electron/shell/login-item';

describe('XDG autostart entry', () => {
  it('writes a valid desktop entry, and removes it when disabled (idempotent)', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-autostart-')), 'autostart');
    const file = applyLinuxAutostart(true, { exec: '/opt/IntelliFace Kiosk/intelliface-kiosk' }, dir);
    expect(file).toBe(path.join(dir, AUTOSTART_FILE));
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('[Desktop Entry]');
    expect(text).toContain('Type=Application\n');
    expect(text).toContain('Name=IntelliFace Kiosk\n');
    expect(text).toContain('Exec="/opt/IntelliFace Kiosk/intelliface-kiosk"\n');
    applyLinuxAutostart(true, { exec: '/usr/bin/kiosk' }, dir);
    expect(fs.readFileSync(file, 'utf8')).toContain('Exec=/usr/bin/kiosk\n');
    applyLinuxAutostart(false, { exec: '/usr/bin/kiosk' }, dir);
    expect(fs.existsSync(file)).toBe(false);
    applyLinuxAutostart(false, { exec: '/usr/bin/kiosk' }, dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(quoteExecArg('/usr/bin/kiosk')).toBe('/usr/bin/kiosk');
    expect(quoteExecArg('a b')).toBe('"a b"');
    expect(quoteExecArg('100%')).toBe('"100%%"');
    // `$` gets a backslash inside quotes, and the string level doubles every backslash.
    expect(quoteExecArg('$HOME')).toBe('"\\\\$HOME"');
    expect(() => quoteExecArg('a\nb')).toThrow(/line break/);
    expect(() => buildAutostartEntry({ exec: 'relative/kiosk' })).toThrow(/absolute/);
  });

  it('launches the AppImage file, not its temporary mount', () => {
    expect(resolveAutostartExec({ APPIMAGE: '/home/k/IntelliFace.AppImage' }, '/tmp/.mount_x/kiosk')).toBe('/home/k/IntelliFace.AppImage');
    expect(resolveAutostartExec({}, '/opt/kiosk/kiosk')).toBe('/opt/kiosk/kiosk');
  });

  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(resolveAutostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/k')).toBe('/cfg/autostart');
    expect(resolveAutostartDir({}, '/home/k')).toBe('/home/k/.config/autostart');
  });
});

describe('login item settings (Windows, macOS)', () => {
  it('opens at login, never hidden', () => {
    expect(buildLoginItemSettings(true)).toEqual({ openAtLogin: true, openAsHidden: false, args: [] });
    expect(buildLoginItemSettings(false).openAtLogin).toBe(false);
  });
});
