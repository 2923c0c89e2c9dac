/**
 * @file The kiosk window's options, built from settings as a plain object so a test can check
 * every security-relevant flag without Electron. `electron/main/window.ts` passes the result
 * to `new BrowserWindow()` (the type is checked there against Electron's own definitions).
 */
import path from 'node:path';
import { InvalidInputError } from '../common/errors';
import { PRODUCT_NAME } from '../config/paths';
import type { Settings } from '../config/settings';

export interface KioskWebPreferences {
  readonly preload: string;
  readonly contextIsolation: true;
  readonly sandbox: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly webviewTag: false;
  readonly experimentalFeatures: false;
  readonly navigateOnDragDrop: false;
  readonly safeDialogs: true;
  readonly disableDialogs: true;
  readonly spellcheck: false;
  readonly devTools: boolean;
  readonly backgroundThrottling: false;
  readonly autoplayPolicy: 'no-user-gesture-required';
}

export interface KioskWindowOptions {
  readonly title: string;
  readonly show: false;
  readonly kiosk: boolean;
  readonly fullscreen: boolean;
  readonly fullscreenable: boolean;
  readonly frame: boolean;
  readonly autoHideMenuBar: true;
  readonly backgroundColor: string;
  readonly width: number;
  readonly height: number;
  readonly webPreferences: KioskWebPreferences;
}

export interface WindowOptionsInput {
  readonly kiosk: Settings['kiosk'];
  /** Absolute path of the built preload (out/preload/index.js). */
  readonly preloadPath: string;
  /** DevTools only in unpackaged builds: on a terminal they would be a way out of the kiosk. */
  readonly isPackaged: boolean;
}

export function buildWindowOptions(input: WindowOptionsInput): KioskWindowOptions {
  if (!path.isAbsolute(input.preloadPath)) throw new InvalidInputError(`preload path must be absolute, got "${input.preloadPath}"`);
  const { kioskMode, fullscreen } = input.kiosk;
  const locked = kioskMode || fullscreen;
  return {
    title: PRODUCT_NAME,
    // Shown on `ready-to-show`, so staff never see a white flash or a half-drawn page.
    show: false,
    // On Windows and Linux `kiosk` is only fullscreen (electron#2272); real lock-down is the
    // OS's job (docs/deployment.md: Shell Launcher, cage).
    kiosk: kioskMode,
    fullscreen,
    fullscreenable: true,
    frame: !locked,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    // A portrait wall terminal; ignored when fullscreen.
    width: 1080,
    height: 1920,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // alert()/confirm() would block the screen until someone clicks; there is no one.
      disableDialogs: true,
      spellcheck: false,
      devTools: !input.isPackaged,
      // The camera loop must keep its pace even when the OS thinks the window is occluded.
      backgroundThrottling: false,
      // Confirmation sounds play without a prior tap (a face punch has no tap).
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}
