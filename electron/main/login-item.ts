/**
 * @file Apply settings.kiosk.startOnLogin: Electron's login item on Windows and macOS, an XDG
 * autostart entry on Linux (electron/shell/login-item.ts). Only for packaged builds — a
 * development run must not register the bare Electron binary to start at login.
 */
import { app } from 'electron';
import type { Logger } from '../logging/logger';
import { applyLinuxAutostart, buildLoginItemSettings, resolveAutostartExec } from '../shell/login-item';

export function applyStartOnLogin(enabled: boolean, log: Logger): void {
  if (!app.isPackaged) return;
  try {
    if (process.platform === 'linux') {
      const file = applyLinuxAutostart(enabled, { exec: resolveAutostartExec(process.env, process.execPath) });
      log.info({ enabled, file }, 'start on login (XDG autostart)');
    } else {
      app.setLoginItemSettings(buildLoginItemSettings(enabled));
      log.info({ enabled }, 'start on login (login item)');
    }
  } catch (e) {
    log.warn({ err: e, enabled }, 'could not change start on login');
  }
}
