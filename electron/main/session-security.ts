/**
 * @file Install the session- and app-wide guards: camera-only permissions (request AND check
 * handlers), no device APIs, CSP header, no downloads, no navigation, no new windows, no webviews.
 * Every decision is made by electron/shell (tested there); this file only wires Electron events.
 */
import { app, type Session } from 'electron';
import type { Logger } from '../logging/logger';
import type { Origin } from '../shell/app-origin';
import { withCspHeader } from '../shell/csp';
import { decideNavigation, decideWindowOpen, describeUrl } from '../shell/navigation';
import { decidePermissionCheck, decidePermissionRequest } from '../shell/permissions';

export function installSessionSecurity(ses: Session, origin: Origin, csp: string, log: Logger): void {
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const d = decidePermissionRequest(
      {
        permission,
        requestingUrl: details.requestingUrl,
        isMainFrame: details.isMainFrame,
        mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
      },
      origin,
    );
    if (!d.grant) log.warn({ permission, reason: d.reason }, 'permission request denied');
    callback(d.grant);
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) => {
    return decidePermissionCheck(
      { permission, requestingOrigin, isMainFrame: details.isMainFrame, mediaType: details.mediaType, securityOrigin: details.securityOrigin },
      origin,
    ).grant;
  });
  // HID, USB and serial devices: never.
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) });
  });
  ses.on('will-download', (event, item) => {
    log.warn({ url: describeUrl(item.getURL()) }, 'download blocked');
    event.preventDefault();
  });
}

/** Guards for every web contents the app ever creates (the kiosk window is the only one). */
export function installNavigationGuards(origin: Origin, log: Logger): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const d = decideWindowOpen(url);
      log.warn({ reason: d.reason }, 'window.open blocked');
      return { action: d.action };
    });
    const guard = (event: { preventDefault(): void }, url: string): void => {
      const d = decideNavigation(url, origin);
      if (d.allow) return;
      event.preventDefault();
      log.warn({ reason: d.reason }, 'navigation blocked');
    };
    contents.on('will-navigate', (event) => guard(event, event.url));
    // will-navigate covers the main frame; sub-frames (none exist, CSP forbids them) get the same rule.
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame) guard(event, event.url);
    });
    contents.on('will-redirect', (event) => guard(event, event.url));
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log.warn({}, 'webview blocked');
    });
  });
}
