/**
 * @file The page the kiosk shows when it cannot start (invalid provisioning file, refused key
 * storage, missing models): one screen that says what is wrong and what IT must do, because a
 * terminal on a wall has no console. Static HTML, no script — it passes the strict CSP as is.
 */
import { PRODUCT_NAME } from '../config/paths';

export interface StartupProblem {
  /** Short title: "Provisioning file rejected". */
  readonly title: string;
  /** The reason, as logged. */
  readonly reason: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Path under the app origin where main serves the page from memory. */
export const STARTUP_PROBLEM_PATH = '/startup-problem.html';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function buildStartupProblemPage(problems: readonly StartupProblem[], opts: { logsDir: string; retrying: boolean }): string {
  const items = problems
    .map((p) => `<section><h2>${escapeHtml(p.title)}</h2><p class="reason">${escapeHtml(p.reason)}</p><p class="fix">${escapeHtml(p.fix)}</p></section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(PRODUCT_NAME)} — cannot start</title>
<style>
body { background: #111; color: #eee; font: 20px/1.4 system-ui, sans-serif; margin: 6vh 6vw; }
h1 { color: #ffb74d; font-size: 32px; }
h2 { font-size: 24px; margin-bottom: 4px; }
.reason { font-family: ui-monospace, monospace; background: #222; padding: 12px; white-space: pre-wrap; word-break: break-word; }
.fix, footer { color: #bbb; }
</style>
</head>
<body>
<h1>${escapeHtml(PRODUCT_NAME)} cannot start</h1>
<p>This terminal is not recording attendance. Please tell your IT department.</p>
${items}
<footer><p>Details are in the log folder: ${escapeHtml(opts.logsDir)}</p>${opts.retrying ? '<p>This screen checks again by itself and starts the kiosk once the problem is fixed.</p>' : '<p>Restart the terminal after fixing the problem.</p>'}</footer>
</body>
</html>
`;
}
