/**
 * @file Auto-update with electron-updater from the feed in electron-builder.yml `publish`.
 * IT controls it with settings.update (provisioning file or `kiosk` settings): `enabled: false`
 * when it rolls versions out itself (MSI/GPO, apt, MDM), `channel: beta` for pilot sites.
 * A downloaded update installs at the next restart or at the nightly maintenance window,
 * never in the middle of a shift. Windows installers are checked against `publisherName`.
 */
import { autoUpdater } from 'electron-updater';
import type { Settings } from '../config/settings';
import type { Logger } from '../logging/logger';
import { msUntilMaintenanceWindow } from '../shell/maintenance-window';

const CHECK_EVERY_MS = 6 * 3600_000;

export interface AutoUpdates {
  stop(): void;
}

/** `prepareQuit` runs right before the installer takes over (the kiosk window must then let itself close). */
export function startAutoUpdates(update: Settings['update'], isPackaged: boolean, log: Logger, prepareQuit: () => void): AutoUpdates | null {
  if (!isPackaged) {
    log.info({}, 'auto-update off: not a packaged build');
    return null;
  }
  if (!update.enabled) {
    log.info({}, 'auto-update disabled by settings.update.enabled');
    return null;
  }
  if (process.platform === 'linux' && !process.env.APPIMAGE) {
    // A .deb/.rpm install updates through the package manager: electron-updater would ask for
    // root (pkexec) on a screen nobody answers.
    log.info({}, 'auto-update off: Linux package install (update it with apt/dnf)');
    return null;
  }
  const ulog = log.child({ component: 'updater' });
  autoUpdater.logger = { info: (m: unknown) => ulog.info(String(m)), warn: (m: unknown) => ulog.warn(String(m)), error: (m: unknown) => ulog.error(String(m)), debug: () => undefined };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  // Setting channel turns allowDowngrade on; a kiosk must never be downgraded by a feed.
  autoUpdater.channel = update.channel === 'beta' ? 'beta' : 'latest';
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = update.channel === 'beta';
  // Differential downloads have been unreliable (electron-builder#9181); installers are small enough.
  autoUpdater.disableDifferentialDownload = true;

  let installTimer: NodeJS.Timeout | null = null;
  autoUpdater.on('update-downloaded', (info) => {
    const delay = msUntilMaintenanceWindow(new Date());
    ulog.info({ version: info.version, installInMs: delay }, 'update downloaded; installing at the maintenance window');
    if (installTimer) clearTimeout(installTimer);
    installTimer = setTimeout(() => {
      prepareQuit();
      autoUpdater.quitAndInstall(true, true);
    }, delay);
  });
  autoUpdater.on('error', (e) => ulog.warn({ err: e }, 'update check failed'));

  const check = (): void => {
    autoUpdater.checkForUpdates().catch((e: unknown) => ulog.warn({ err: e }, 'update check failed'));
  };
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      if (installTimer) clearTimeout(installTimer);
    },
  };
}
