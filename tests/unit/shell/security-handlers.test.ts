/**
 * Window/session security decisions the Electron main process delegates to electron/shell:
 * app origin, navigation and new-window guards, camera-only permissions, IPC sender checks.
 */
import { describe, expect, it } from 'vitest';
import { appEntryUrl, appSchemeOrigin, isAppUrl, parseOrigin, resolveAppOrigin } from '../../../electron/shell/app-origin';
import { decideNavigation, decideWindowOpen, describeUrl } from '../../../electron/shell/navigation';
import { decidePermissionCheck, decidePermissionRequest } from '../../../electron/shell/permissions';
import { validateIpcSender } from '../../../electron/shell/ipc-sender';

const APP = appSchemeOrigin();
const PAGE = 'kiosk-app://app/index.html';

describe('app origin', () => {
  it('is kiosk-app://app when packaged, whatever ELECTRON_RENDERER_URL says', () => {
    expect(resolveAppOrigin('http://localhost:5173', true)).toEqual(APP);
    expect(resolveAppOrigin(undefined, false)).toEqual(APP);
    expect(appEntryUrl(APP)).toBe(PAGE);
  });

  it('is the dev server only when unpackaged and on loopback', () => {
    expect(resolveAppOrigin('http://localhost:5173/', false)).toEqual({ scheme: 'http', host: 'localhost', port: '5173' });
    expect(resolveAppOrigin('http://evil.example:5173/', false)).toEqual(APP);
    expect(resolveAppOrigin('file:///tmp/index.html', false)).toEqual(APP);
  });

  it('compares parsed scheme, host and port, not string prefixes', () => {
    expect(isAppUrl('kiosk-app://app/assets/x.js', APP)).toBe(true);
    expect(isAppUrl('KIOSK-APP://APP/', APP)).toBe(true);
    expect(isAppUrl('kiosk-app://app.evil.example/', APP)).toBe(false);
    expect(isAppUrl('kiosk-app://app:8080/', APP)).toBe(false);
    expect(isAppUrl('https://app/', APP)).toBe(false);
    expect(isAppUrl('file:///app/index.html', APP)).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
    expect(isAppUrl(undefined, APP)).toBe(false);
    expect(parseOrigin('data:text/html,hi')).toBeNull();
  });
});

describe('navigation and new windows', () => {
  it('allows only pages of the app', () => {
    expect(decideNavigation('kiosk-app://app/index.html#/manager', APP).allow).toBe(true);
    for (const url of ['https://example.com/', 'kiosk-app://app.evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'about:blank']) {
      const d = decideNavigation(url, APP);
      expect(d.allow, url).toBe(false);
      expect(d.reason).toMatch(/blocked/);
    }
  });

  it('denies every window.open, including to the app itself', () => {
    expect(decideWindowOpen(PAGE).action).toBe('deny');
    expect(decideWindowOpen('https://example.com/').action).toBe('deny');
  });

  it('never logs query strings (they may carry tokens)', () => {
    expect(describeUrl('https://x.example/p?token=abc#f')).toBe('https://x.example/p');
    expect(describeUrl('javascript:steal()')).toBe('javascript:…');
  });
});

describe('permissions: camera only, app origin only, main frame only', () => {
  const cam = { permission: 'media', requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video'] };

  it('grants the camera to the app page', () => {
    expect(decidePermissionRequest(cam, APP)).toEqual({ grant: true, reason: 'camera for the kiosk screen' });
  });

  it('refuses the microphone, mixed requests and empty media types', () => {
    expect(decidePermissionRequest({ ...cam, mediaTypes: ['audio'] }, APP).grant).toBe(false);
    expect(decidePermissionRequest({ ...cam, mediaTypes: ['video', 'audio'] }, APP).reason).toMatch(/audio/);
    expect(decidePermissionRequest({ ...cam, mediaTypes: [] }, APP).grant).toBe(false);
    expect(decidePermissionRequest({ ...cam, mediaTypes: undefined }, APP).grant).toBe(false);
  });

  it('refuses other origins and sub-frames', () => {
    expect(decidePermissionRequest({ ...cam, requestingUrl: 'https://evil.example/' }, APP).reason).toMatch(/foreign origin/);
    expect(decidePermissionRequest({ ...cam, isMainFrame: false }, APP).reason).toMatch(/sub-frame/);
    expect(decidePermissionRequest({ ...cam, requestingUrl: undefined }, APP).grant).toBe(false);
  });

  it('refuses every other permission', () => {
    for (const permission of ['geolocation', 'notifications', 'display-capture', 'clipboard-read', 'openExternal', 'hid', 'usb', 'serial', 'fullscreen', 'midi', 'unknown']) {
      expect(decidePermissionRequest({ ...cam, permission }, APP).grant, permission).toBe(false);
      expect(decidePermissionCheck({ permission, requestingOrigin: 'kiosk-app://app', isMainFrame: true, mediaType: 'video' }, APP).grant, permission).toBe(false);
    }
  });

  it('check handler: video from the app origin only', () => {
    const chk = { permission: 'media', requestingOrigin: 'kiosk-app://app', isMainFrame: true, mediaType: 'video' };
    expect(decidePermissionCheck(chk, APP).grant).toBe(true);
    expect(decidePermissionCheck({ ...chk, securityOrigin: 'kiosk-app://app' }, APP).grant).toBe(true);
    expect(decidePermissionCheck({ ...chk, mediaType: 'audio' }, APP).grant).toBe(false);
    expect(decidePermissionCheck({ ...chk, mediaType: 'unknown' }, APP).grant).toBe(false);
    expect(decidePermissionCheck({ ...chk, requestingOrigin: 'https://evil.example' }, APP).grant).toBe(false);
    expect(decidePermissionCheck({ ...chk, securityOrigin: 'https://evil.example' }, APP).grant).toBe(false);
    expect(decidePermissionCheck({ ...chk, isMainFrame: false }, APP).grant).toBe(false);
    expect(decidePermissionCheck({ ...chk, requestingOrigin: '' }, APP).grant).toBe(false);
  });
});

describe('IPC sender validation', () => {
  const ok = { channel: 'kiosk:status', frameUrl: PAGE, isMainFrame: true };

  it('accepts the app page in the main frame on a kiosk: channel', () => {
    expect(validateIpcSender(ok, APP)).toEqual({ ok: true });
  });

  it('rejects, with a reason, every other sender', () => {
    expect(validateIpcSender({ ...ok, channel: 'status' }, APP)).toEqual({ ok: false, reason: expect.stringMatching(/prefix/) });
    expect(validateIpcSender({ ...ok, frameUrl: undefined }, APP)).toEqual({ ok: false, reason: 'sender frame is gone' });
    expect(validateIpcSender({ ...ok, isMainFrame: false }, APP)).toEqual({ ok: false, reason: 'sender is a sub-frame' });
    expect(validateIpcSender({ ...ok, frameUrl: 'https://evil.example/' }, APP)).toEqual({ ok: false, reason: 'sender is not the app origin' });
    expect(validateIpcSender({ ...ok, frameUrl: 'file:///index.html' }, APP).ok).toBe(false);
  });
});
