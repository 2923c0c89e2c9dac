/**
 * @file Navigation and new-window guards: the kiosk window only ever shows the app.
 *
 * Electron's checklist items 13–14: block `will-navigate` with a URL parser, not a string
 * prefix (`kiosk-app://app.evil.example` starts with `kiosk-app://app`), and deny every
 * `window.open` / `target=_blank`. A kiosk never opens external links either — there is no one
 * at the terminal to read a browser.
 */
import type { Origin } from './app-origin';
import { isAppUrl } from './app-origin';

export interface NavigationDecision {
  readonly allow: boolean;
  readonly reason: string;
}

/** `will-navigate` / `will-redirect` / `will-frame-navigate`: only to pages of the app itself. */
export function decideNavigation(targetUrl: string, app: Origin): NavigationDecision {
  if (isAppUrl(targetUrl, app)) return { allow: true, reason: 'app page' };
  return { allow: false, reason: `navigation to ${describeUrl(targetUrl)} blocked` };
}

/** `setWindowOpenHandler`: always deny; the answer object is what Electron expects. */
export function decideWindowOpen(targetUrl: string): { readonly action: 'deny'; readonly reason: string } {
  return { action: 'deny', reason: `new window for ${describeUrl(targetUrl)} blocked` };
}

/** Log only the origin and path: query strings may carry tokens. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'javascript:') return `${u.protocol}…`;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
