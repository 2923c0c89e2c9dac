/**
 * The kiosk window's options and the Content-Security-Policy, checked without Electron.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, SettingsSchema } from '../../../electron/config/settings';
import { appSchemeOrigin } from '../../../electron/shell/app-origin';
import { resolveAppFile } from '../../../electron/shell/app-files';
import { buildCsp, buildCspDirectives, extractMetaCsp, parseCsp, withCspHeader } from '../../../electron/shell/csp';
import { buildWindowOptions } from '../../../electron/shell/window-options';
import { PROJECT_ROOT } from '../../helpers/paths';

const PRELOAD = path.join(PROJECT_ROOT, 'out', 'preload', 'index.js');

describe('window options', () => {
  it('locks the renderer down whatever the kiosk settings', () => {
    for (const kiosk of [defaultSettings().kiosk, SettingsSchema.parse({ kiosk: { kioskMode: false, fullscreen: false } }).kiosk]) {
      const o = buildWindowOptions({ kiosk, preloadPath: PRELOAD, isPackaged: true });
      expect(o.webPreferences).toMatchObject({
        preload: PRELOAD,
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
        disableDialogs: true,
        devTools: false,
      });
      expect(o.show).toBe(false);
    }
  });

  it('is kiosk + fullscreen + frameless by default, a framed window for setup', () => {
    const locked = buildWindowOptions({ kiosk: defaultSettings().kiosk, preloadPath: PRELOAD, isPackaged: true });
    expect([locked.kiosk, locked.fullscreen, locked.frame]).toEqual([true, true, false]);
    const setup = buildWindowOptions({ kiosk: SettingsSchema.parse({ kiosk: { kioskMode: false, fullscreen: false } }).kiosk, preloadPath: PRELOAD, isPackaged: false });
    expect([setup.kiosk, setup.fullscreen, setup.frame, setup.webPreferences.devTools]).toEqual([false, false, true, true]);
  });

  it('refuses a relative preload path', () => {
    expect(() => buildWindowOptions({ kiosk: defaultSettings().kiosk, preloadPath: 'preload.js', isPackaged: true })).toThrow(/absolute/);
  });
});

describe('Content-Security-Policy', () => {
  const header = buildCspDirectives();

  it('allows no inline or eval script, no plugins, frames, base or form targets', () => {
    expect(header.get('script-src')).toEqual(["'self'"]);
    for (const d of ['object-src', 'base-uri', 'form-action', 'frame-src', 'frame-ancestors']) expect(header.get(d), d).toEqual(["'none'"]);
    expect(buildCsp()).not.toMatch(/unsafe-eval/);
  });

  it('repeats the renderer meta tag exactly, directive by directive (both policies apply)', () => {
    const html = fs.readFileSync(path.join(PROJECT_ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = extractMetaCsp(html);
    expect(meta, 'renderer/index.html must carry a CSP meta tag').not.toBeNull();
    for (const [directive, sources] of parseCsp(meta!)) {
      expect([...(header.get(directive) ?? [])].sort(), directive).toEqual([...sources].sort());
    }
  });

  it('relaxes only for the loopback dev server', () => {
    const dev = buildCspDirectives({ dev: { scheme: 'http', host: 'localhost', port: '5173' } });
    expect(dev.get('connect-src')).toContain('ws://localhost:5173');
    expect(dev.get('object-src')).toEqual(["'none'"]);
  });

  it('replaces any CSP header the response carried, whatever its spelling', () => {
    const out = withCspHeader({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' }, buildCsp());
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [buildCsp()] });
    expect(withCspHeader(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });

  it('parses policies the way CSP does (first directive wins)', () => {
    expect(parseCsp("script-src 'self'; SCRIPT-SRC *; img-src data:").get('script-src')).toEqual(["'self'"]);
    expect(extractMetaCsp('<meta charset="utf-8">')).toBeNull();
  });
});

describe('app protocol files', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-app-files-'));
  fs.mkdirSync(path.join(root, 'assets'));
  const APP = appSchemeOrigin();

  it('maps app URLs into the renderer folder with a MIME type', () => {
    expect(resolveAppFile('kiosk-app://app/', root, APP)).toEqual({ path: path.join(root, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolveAppFile('kiosk-app://app/assets/a%20b.js?v=1', root, APP)).toEqual({ path: path.join(root, 'assets', 'a b.js'), mimeType: 'text/javascript; charset=utf-8' });
  });

  it('refuses encoded traversal, foreign origins, NUL and bad escapes', () => {
    for (const url of ['kiosk-app://app/assets/..%2f..%2fx', 'kiosk-app://app/..%5c..%5cx', 'kiosk-app://evil/index.html', 'https://app/index.html', 'kiosk-app://app/a%00b', 'kiosk-app://app/%E0%A4%A']) {
      const r = resolveAppFile(url, root, APP);
      // On POSIX a backslash is a file-name character, so `..\..\x` is a (missing) file inside root.
      if (r !== null) expect(path.relative(root, r.path).startsWith('..'), url).toBe(false);
      else expect(r, url).toBeNull();
    }
    expect(resolveAppFile('kiosk-app://app/assets/..%2f..%2fx', root, APP)).toBeNull();
  });

  it('keeps dot-segments inside the folder (the URL parser resolves them first)', () => {
    for (const url of ['kiosk-app://app/../secret', 'kiosk-app://app/%2e%2e/%2e%2e/etc/passwd']) {
      const r = resolveAppFile(url, root, APP);
      expect(r && path.relative(root, r.path).startsWith('..'), url).toBe(false);
    }
  });
});
