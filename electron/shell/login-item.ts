/**
 * @file Start the kiosk when the terminal's user logs in (settings.kiosk.startOnLogin).
 *
 * Windows and macOS: Electron's `app.setLoginItemSettings`, given the settings built here.
 * Linux: that API does nothing there, so we write or remove an XDG autostart entry
 * (`$XDG_CONFIG_HOME/autostart/*.desktop`, freedesktop "Desktop Application Autostart
 * Specification"), which GNOME, KDE, XFCE and most session managers honour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '../common/errors';
import { PRODUCT_NAME } from '../config/paths';

export const AUTOSTART_FILE = 'intelliface-kiosk.desktop';

export interface AutostartTarget {
  /** The executable to run: `process.env.APPIMAGE` for an AppImage (the mounted path changes every run), else `process.execPath`. */
  readonly exec: string;
  readonly args?: readonly string[];
}

/** The executable that autostart must launch, given the running process. */
export function resolveAutostartExec(env: NodeJS.ProcessEnv, execPath: string): string {
  return env.APPIMAGE && path.isAbsolute(env.APPIMAGE) ? env.APPIMAGE : execPath;
}

export function resolveAutostartDir(env: NodeJS.ProcessEnv = process.env, homedir: string = os.homedir()): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir, '.config');
  return path.join(base, 'autostart');
}

/**
 * Quote one argument of an `Exec=` key: the spec reserves space, quotes, `\`, `$`, backtick and
 * more; inside double quotes `"` `` ` `` `$` `\` get a backslash, `%` becomes `%%` (field codes),
 * and then the whole value is a desktop-file string, so each backslash is doubled again.
 */
export function quoteExecArg(arg: string): string {
  if (/[\n\r\0]/.test(arg)) throw new InvalidInputError('autostart argument contains a line break or NUL');
  const inner = arg.replace(/["`$\\]/g, (c) => `\\${c}`).replace(/%/g, '%%');
  const quoted = /^[A-Za-z0-9_\-./=:,+@]+$/.test(arg) ? inner : `"${inner}"`;
  return quoted.replace(/\\/g, '\\\\');
}

export function buildAutostartEntry(t: AutostartTarget): string {
  if (!path.isAbsolute(t.exec)) throw new InvalidInputError(`autostart executable must be an absolute path, got "${t.exec}"`);
  const exec = [t.exec, ...(t.args ?? [])].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${PRODUCT_NAME}`,
    'Comment=Face-recognition attendance terminal',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Write (enabled) or remove (disabled) the autostart entry; returns the file path. Idempotent. */
export function applyLinuxAutostart(enabled: boolean, target: AutostartTarget, dir: string = resolveAutostartDir()): string {
  const file = path.join(dir, AUTOSTART_FILE);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return file;
  }
  const text = buildAutostartEntry(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
  return file;
}

/** Arguments for Electron's `app.setLoginItemSettings` on Windows and macOS. */
export function buildLoginItemSettings(enabled: boolean): { openAtLogin: boolean; openAsHidden: boolean; args: string[] } {
  // openAsHidden would start a kiosk with no screen; the kiosk window must always show.
  return { openAtLogin: enabled, openAsHidden: false, args: [] };
}
