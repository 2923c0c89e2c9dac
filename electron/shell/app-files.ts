/**
 * @file Map a `kiosk-app://app/<path>` request to a file of the built renderer (out/renderer),
 * refusing anything outside that folder. The Electron protocol handler in `electron/main` only
 * reads the file this returns.
 */
import path from 'node:path';
import type { Origin } from './app-origin';
import { parseOrigin, sameOrigin } from './app-origin';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppFile {
  readonly path: string;
  readonly mimeType: string;
}

export function mimeTypeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file for a request, or null (→ 404) when the URL is foreign, malformed or escapes `rootDir`. */
export function resolveAppFile(requestUrl: string, rootDir: string, app: Origin): AppFile | null {
  const o = parseOrigin(requestUrl);
  if (!o || !sameOrigin(o, app)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const rel = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const full = path.resolve(root, rel);
  // path.relative catches both `..` escapes and Windows drive changes.
  const within = path.relative(root, full);
  if (within === '' || within.startsWith('..') || path.isAbsolute(within)) return null;
  return { path: full, mimeType: mimeTypeOf(full) };
}
