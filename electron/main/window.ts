/**
 * @file The one kiosk window: options from electron/shell/window-options.ts, shown when ready,
 * reloaded when its renderer crashes or hangs (policy in electron/shell/renderer-recovery.ts),
 * and not closable by a stray Alt+F4 while in kiosk mode.
 */
import { app, BrowserWindow } from 'electron';
import type { Settings } from '../config/settings';
import type { Logger } from '../logging/logger';
import { RendererRecovery, type RecoveryAction } from '../shell/renderer-recovery';
import { buildWindowOptions } from '../shell/window-options';

export interface KioskWindowOptions {
  readonly kiosk: Settings['kiosk'];
  readonly preloadPath: string;
  readonly url: string;
  readonly isPackaged: boolean;
  readonly log: Logger;
  /** True once the app is quitting on purpose (before-quit): closing and renderer exits are expected then. */
  readonly isQuitting: () => boolean;
}

export function createKioskWindow(opts: KioskWindowOptions): BrowserWindow {
  const { log } = opts;
  const win = new BrowserWindow(buildWindowOptions({ kiosk: opts.kiosk, preloadPath: opts.preloadPath, isPackaged: opts.isPackaged }));
  const wc = win.webContents;
  const recovery = new RendererRecovery();
  let expectingKill = false;

  win.once('ready-to-show', () => win.show());

  const load = (): void => {
    wc.loadURL(opts.url).catch((e: unknown) => log.error({ err: e }, 'kiosk page failed to load'));
  };

  const act = (a: RecoveryAction): void => {
    if (win.isDestroyed()) return;
    switch (a.kind) {
      case 'none':
        return;
      case 'reload':
        log.error({ reason: a.reason, delayMs: a.delayMs }, 'reloading the kiosk screen');
        setTimeout(() => {
          if (!win.isDestroyed()) load();
        }, a.delayMs);
        return;
      case 'crash-and-reload':
        // Electron's documented recovery for a hung page: kill its renderer, then reload.
        log.error({ reason: a.reason }, 'kiosk screen hung; restarting its renderer');
        expectingKill = true;
        wc.forcefullyCrashRenderer();
        load();
        return;
      case 'relaunch-app':
        log.fatal({ reason: a.reason }, 'relaunching the app');
        app.relaunch();
        app.exit(0);
        return;
    }
  };

  wc.on('render-process-gone', (_event, details) => {
    if (expectingKill && details.reason === 'killed') {
      expectingKill = false;
      return;
    }
    log.error({ reason: details.reason, exitCode: details.exitCode }, 'kiosk renderer gone');
    act(recovery.onRenderProcessGone(details.reason, opts.isQuitting()));
  });
  win.on('unresponsive', () => {
    const { graceMs } = recovery.onUnresponsive();
    log.warn({ graceMs }, 'kiosk screen unresponsive');
    setTimeout(() => act(recovery.onHangTimeout()), graceMs);
  });
  win.on('responsive', () => {
    recovery.onResponsive();
    log.info({}, 'kiosk screen responsive again');
  });
  // A touch screen must not stay pinch-zoomed or Ctrl+wheel-zoomed with nobody to undo it.
  wc.on('did-finish-load', () => {
    wc.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
    wc.setZoomLevel(0);
  });
  wc.on('zoom-changed', () => wc.setZoomLevel(0));
  wc.on('did-fail-load', (_e, code, description, _url, isMainFrame) => {
    if (isMainFrame) log.error({ code, description }, 'kiosk page did not load');
  });
  // In kiosk mode the window closes only when the app quits (service stop, shutdown, update).
  win.on('close', (event) => {
    if (opts.kiosk.kioskMode && !opts.isQuitting()) {
      event.preventDefault();
      log.warn({}, 'window close ignored in kiosk mode');
    }
  });

  load();
  return win;
}
