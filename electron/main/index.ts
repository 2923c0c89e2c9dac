/**
 * @file Electron main entry: one instance, one locked-down kiosk window, the kiosk service
 * behind validated IPC, inference in a utility process, sync relay in this process (async I/O
 * only), rotating redacted logs. The decisions live in tested Node modules (electron/shell,
 * electron/config, electron/logging); this file wires Electron to them.
 */
import path from 'node:path';
import { app, BrowserWindow, Menu, session } from 'electron';
import { resolveDataDir, resolveMachineConfigDir, resolveModelsDir } from '../config/paths';
import { fingerprintProvisioningFile } from '../config/provisioning';
import { defaultSettings, loadSettings, type Settings } from '../config/settings';
import { CONTRACT } from '../contract/channels';
import { openKioskLogger, resolveLogsDir, type KioskLogger, type Logger } from '../logging/logger';
import { APP_SCHEME, appEntryUrl, appSchemeOrigin, formatOrigin, resolveAppOrigin } from '../shell/app-origin';
import { buildCsp } from '../shell/csp';
import { buildStartupProblemPage, STARTUP_PROBLEM_PATH } from '../shell/startup-problem-page';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { startAutoUpdates } from './auto-update';
import { createUtilityInferenceLauncher } from './inference-process';
import { registerIpcHandlers } from './ipc';
import { applyStartOnLogin } from './login-item';
import { watchNetwork } from './network-watch';
import { openAppKeyProvider } from './safe-storage-keys';
import { installNavigationGuards, installSessionSecurity } from './session-security';
import { startKiosk, type RunningKiosk } from './start-kiosk';
import { createKioskWindow } from './window';

/** How often the startup-problem screen re-reads a rejected provisioning file. */
const PROVISIONING_RECHECK_MS = 10_000;
/** How often a running kiosk looks for a new provisioning file from IT. */
const PROVISIONING_WATCH_MS = 30_000;

/** Restart the app once the provisioning file differs from `fingerprint` (applied or rejected at the next start). */
function relaunchWhenProvisioningChanges(machineConfigDir: string, fingerprint: string, everyMs: number, log: Logger): void {
  const timer = setInterval(() => {
    if (fingerprintProvisioningFile(machineConfigDir) === fingerprint) return;
    clearInterval(timer);
    log.info({}, 'provisioning file changed; restarting to apply it');
    app.relaunch();
    app.quit();
  }, everyMs);
  timer.unref();
}

// Before `ready`: sandbox every renderer whatever its options, the custom scheme's privileges,
// and the data folder (KIOSK_DATA_DIR, same as the CLI).
app.enableSandbox();
registerAppScheme();
const dataDir = resolveDataDir(undefined);
app.setPath('userData', dataDir);

let quitting = false;
let logs: KioskLogger | null = null;
let kiosk: RunningKiosk | null = null;
let window: BrowserWindow | null = null;

function settingsForWindow(): Settings {
  try {
    return loadSettings(dataDir);
  } catch {
    return defaultSettings();
  }
}

async function main(): Promise<void> {
  logs = await openKioskLogger({ dir: resolveLogsDir(dataDir), ...(app.isPackaged ? {} : { mirror: process.stdout, level: 'debug' as const }) });
  const log = logs.logger;
  process.on('uncaughtException', (e) => log.fatal({ err: e }, 'uncaught exception in main process'));
  process.on('unhandledRejection', (e) => log.error({ err: e }, 'unhandled rejection in main process'));
  log.info({ version: app.getVersion(), electron: process.versions.electron, packaged: app.isPackaged, dataDir }, 'starting');

  // GPU, network or utility (inference) process crashes: Electron restarts the service processes,
  // InferenceClient restarts inference; the log says what happened.
  app.on('child-process-gone', (_event, d) => {
    log.error({ type: d.type, reason: d.reason, exitCode: d.exitCode, serviceName: d.serviceName ?? null, name: d.name ?? null }, 'child process gone');
  });
  // No application menu: it carries reload / devtools accelerators that would break out of the kiosk.
  Menu.setApplicationMenu(null);

  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const origin = resolveAppOrigin(devUrl, app.isPackaged);
  const csp = buildCsp(origin.scheme === APP_SCHEME ? {} : { dev: origin });
  installSessionSecurity(session.defaultSession, origin, csp, log);
  installNavigationGuards(origin, log);
  let problemPage: string | null = null;
  handleAppProtocol({ rendererDir: path.join(__dirname, '..', 'renderer'), origin: appSchemeOrigin(), csp, problemPage: () => problemPage });

  const machineConfigDir = resolveMachineConfigDir();
  const outcome = await startKiosk({
    dataDir,
    // Packaged: models ship as extraResources and are re-verified on every load.
    modelsDir: app.isPackaged ? path.join(process.resourcesPath, 'models') : resolveModelsDir(),
    machineConfigDir,
    log,
    openKeys: (allowBasicText) => openAppKeyProvider(dataDir, allowBasicText, log),
    launcher: createUtilityInferenceLauncher(),
  });

  let url: string;
  if (outcome.ok) {
    kiosk = outcome.kiosk;
    registerIpcHandlers(CONTRACT, kiosk.service, origin, log);
    // IT edits take effect without anyone at the terminal; an invalid edit then shows its reason.
    relaunchWhenProvisioningChanges(machineConfigDir, kiosk.provisioningFingerprint, PROVISIONING_WATCH_MS, log);
    url = appEntryUrl(origin, devUrl);
  } else {
    problemPage = buildStartupProblemPage(outcome.problems, { logsDir: logs.dir, retrying: outcome.watchProvisioning });
    url = `${formatOrigin(appSchemeOrigin())}${STARTUP_PROBLEM_PATH}`;
    if (outcome.watchProvisioning) relaunchWhenProvisioningChanges(machineConfigDir, outcome.provisioningFingerprint, PROVISIONING_RECHECK_MS, log);
  }

  const settings = outcome.ok ? outcome.kiosk.settings : settingsForWindow();
  window = createKioskWindow({
    kiosk: settings.kiosk,
    preloadPath: path.join(__dirname, '..', 'preload', 'index.js'),
    url,
    isPackaged: app.isPackaged,
    log,
    isQuitting: () => quitting,
  });
  applyStartOnLogin(settings.kiosk.startOnLogin, log);
  if (outcome.ok) {
    startAutoUpdates(settings.update, app.isPackaged, log, () => {
      // quitAndInstall closes windows before before-quit; kiosk mode must let it.
      quitting = true;
    });
    watchNetwork(log);
  }
}

if (!app.requestSingleInstanceLock()) {
  // A second launch (autostart plus a manual start) just focuses the running kiosk.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // Stop the relay, the inference process and the database before quitting, then quit again.
  // Done in before-quit (not will-quit + app.exit) so the normal quit sequence still runs —
  // electron-updater launches a downloaded installer from it.
  let cleanup: 'pending' | 'running' | 'done' = 'pending';
  app.on('before-quit', (event) => {
    quitting = true;
    if (cleanup === 'done') return;
    event.preventDefault();
    if (cleanup === 'running') return;
    cleanup = 'running';
    void (async () => {
      try {
        await kiosk?.close();
      } catch (e) {
        logs?.logger.error({ err: e }, 'error while closing the kiosk');
      }
      kiosk = null;
      logs?.logger.info({}, 'stopped');
      logs?.logger.flush();
      cleanup = 'done';
      app.quit();
    })();
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(main)
    .catch(async (e: unknown) => {
      logs?.logger.fatal({ err: e }, 'main process failed to start');
      await logs?.close();
      app.exit(1);
    });
}
