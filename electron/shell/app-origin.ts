/**
 * @file The app's own origin: the one place allowed to load pages, use the camera and call IPC.
 *
 * Packaged and preview builds serve the renderer from a privileged custom scheme
 * (`kiosk-app://app/…`) instead of `file://`: Electron's security checklist (item 18) prefers
 * custom protocols because `file://` pages get extra privileges and an opaque origin, which
 * makes "is this my page?" checks unreliable. In `npm run dev` the renderer comes from the
 * electron-vite dev server on loopback, which is then the app origin.
 */

export const APP_SCHEME = 'kiosk-app';
export const APP_HOST = 'app';

/** Scheme, host and port of a URL, lower-cased: what "same origin" compares. */
export interface Origin {
  readonly scheme: string;
  readonly host: string;
  readonly port: string;
}

/**
 * Parse the origin of a URL, or null when it has none we would trust.
 * Node's `URL.origin` is "null" for non-special schemes such as `kiosk-app:`, so the parts are
 * compared directly instead of the serialised origin.
 */
export function parseOrigin(url: string | undefined | null): Origin | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  // Opaque origins (file:, data:, blob: of unknown parent, about:) never count as the app.
  if (scheme === 'file' || scheme === 'data' || scheme === 'about' || scheme === 'blob' || scheme === 'javascript') return null;
  if (u.hostname === '') return null;
  return { scheme, host: u.hostname.toLowerCase(), port: u.port };
}

export function formatOrigin(o: Origin): string {
  return `${o.scheme}://${o.host}${o.port ? `:${o.port}` : ''}`;
}

/** The production origin, `kiosk-app://app`. */
export function appSchemeOrigin(): Origin {
  return { scheme: APP_SCHEME, host: APP_HOST, port: '' };
}

/**
 * The origin the renderer is loaded from. `devServerUrl` is electron-vite's
 * `ELECTRON_RENDERER_URL`; it is honoured only for unpackaged runs and only on loopback, so a
 * stray environment variable on a deployed terminal cannot point the kiosk at another site.
 */
export function resolveAppOrigin(devServerUrl: string | undefined, isPackaged: boolean): Origin {
  if (isPackaged || !devServerUrl) return appSchemeOrigin();
  const o = parseOrigin(devServerUrl);
  if (!o || (o.scheme !== 'http' && o.scheme !== 'https') || !isLoopbackHost(o.host)) return appSchemeOrigin();
  return o;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

/** True when `url` is a page of the app itself (same scheme, host and port). */
export function isAppUrl(url: string | undefined | null, app: Origin): boolean {
  const o = parseOrigin(url);
  return o !== null && sameOrigin(o, app);
}

export function sameOrigin(a: Origin, b: Origin): boolean {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

/** The URL the window loads first. */
export function appEntryUrl(app: Origin, devServerUrl?: string): string {
  if (app.scheme === APP_SCHEME) return `${formatOrigin(app)}/index.html`;
  return devServerUrl ?? `${formatOrigin(app)}/`;
}
