/**
 * @file Serve the built renderer from `kiosk-app://app/` (see electron/shell/app-origin.ts for
 * why not `file://`), with the CSP header on every response, and the startup-problem page from
 * memory when the kiosk cannot start.
 */
import fs from 'node:fs/promises';
import { protocol } from 'electron';
import type { Origin } from '../shell/app-origin';
import { APP_SCHEME } from '../shell/app-origin';
import { resolveAppFile } from '../shell/app-files';
import { STARTUP_PROBLEM_PATH } from '../shell/startup-problem-page';

/** Must run before `app` is ready: only then can a scheme become standard and secure. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: real origin and relative URLs; secure: a secure context, which getUserMedia needs;
      // corsEnabled: Vite emits `<script type="module" crossorigin>`, fetched in CORS mode.
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

export interface AppProtocolOptions {
  readonly rendererDir: string;
  readonly origin: Origin;
  readonly csp: string;
  /** HTML of the startup-problem page, or null when the kiosk started normally. */
  readonly problemPage: () => string | null;
}

export function handleAppProtocol(opts: AppProtocolOptions): void {
  const headers = (type: string): Record<string, string> => ({
    'content-type': type,
    'content-security-policy': opts.csp,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  protocol.handle(APP_SCHEME, async (request) => {
    const problem = opts.problemPage();
    if (problem !== null && new URL(request.url).pathname === STARTUP_PROBLEM_PATH) {
      return new Response(problem, { status: 200, headers: headers('text/html; charset=utf-8') });
    }
    const file = resolveAppFile(request.url, opts.rendererDir, opts.origin);
    if (!file) return new Response('Not found', { status: 404, headers: headers('text/plain') });
    try {
      return new Response(await fs.readFile(file.path), { status: 200, headers: headers(file.mimeType) });
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain') });
    }
  });
}
