/**
 * @file The renderer's Content-Security-Policy, sent as a response header (session
 * `onHeadersReceived` and the app protocol) on top of the `<meta>` tag in renderer/index.html.
 *
 * Both policies apply and a resource must pass each (CSP3 §8 "multiple policies"), so the
 * header repeats the meta tag's directives exactly — a test keeps them equal — and adds the
 * directives a meta tag cannot carry (`frame-ancestors`) or that close the usual injection
 * routes: no plugins, no `<base>` hijack, no form posts, no frames.
 */
import type { Origin } from './app-origin';
import { formatOrigin } from './app-origin';

export type CspDirectives = ReadonlyMap<string, readonly string[]>;

const PRODUCTION: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'self'"]],
  // No 'unsafe-inline' / 'unsafe-eval' for scripts: an injected string can never run as code.
  ['script-src', ["'self'"]],
  // React sets style attributes; inline styles cannot execute code.
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:', 'blob:']],
  // The camera preview is a MediaStream bound to a <video>.
  ['media-src', ["'self'", 'mediastream:', 'blob:']],
  // The renderer talks to main over IPC only; it never opens a network connection itself.
  ['connect-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['frame-src', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

/**
 * The policy for the app. In `npm run dev` the electron-vite server needs its HMR websocket and
 * React Refresh's inline preamble; those relaxations are never present in a packaged app.
 */
export function buildCspDirectives(opts: { dev?: Origin } = {}): CspDirectives {
  const m = new Map<string, readonly string[]>(PRODUCTION);
  if (opts.dev) {
    const origin = formatOrigin(opts.dev);
    const ws = origin.replace(/^http/, 'ws');
    m.set('script-src', ["'self'", "'unsafe-inline'", origin]);
    m.set('connect-src', ["'self'", origin, ws]);
  }
  return m;
}

export function formatCsp(d: CspDirectives): string {
  return [...d].map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/** Parse a policy string into directive → sources (lower-cased directive names, first wins as in CSP). */
export function parseCsp(policy: string): CspDirectives {
  const m = new Map<string, readonly string[]>();
  for (const part of policy.split(';')) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    const name = tokens.shift()?.toLowerCase();
    if (name && !m.has(name)) m.set(name, tokens);
  }
  return m;
}

export function buildCsp(opts: { dev?: Origin } = {}): string {
  return formatCsp(buildCspDirectives(opts));
}

/**
 * Response headers with our policy replacing any the server sent (header names are
 * case-insensitive, so every spelling of Content-Security-Policy is dropped first).
 */
export function withCspHeader(
  headers: Record<string, string[] | string> | undefined,
  policy: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [policy];
  return out;
}

/** The policy in a `<meta http-equiv="Content-Security-Policy">` tag of an HTML document, if any. */
export function extractMetaCsp(html: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']?content-security-policy["']?/i.test(tag)) continue;
    const c = /content\s*=\s*"([^"]*)"|content\s*=\s*'([^']*)'/i.exec(tag);
    if (c) return (c[1] ?? c[2] ?? '').trim();
  }
  return null;
}
