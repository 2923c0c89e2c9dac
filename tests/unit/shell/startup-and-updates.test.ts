/**
 * The "cannot start" screen and the nightly update window.
 */
import { describe, expect, it } from 'vitest';
import { buildCsp } from '../../../electron/shell/csp';
import { msUntilMaintenanceWindow } from '../../../electron/shell/maintenance-window';
import { buildStartupProblemPage, escapeHtml } from '../../../electron/shell/startup-problem-page';

describe('startup problem page', () => {
  const problem = {
    title: 'Provisioning file rejected',
    reason: '/etc/intelliface-kiosk/provisioning.json: endpoint: must be an https:// URL <script>alert(1)</script>',
    fix: 'Correct the file; the kiosk starts by itself once it is valid.',
  };

  it('shows the reason and the fix, escaped', () => {
    const html = buildStartupProblemPage([problem], { logsDir: '/home/k/.config/IntelliFace Kiosk/logs', retrying: true });
    expect(html).toContain('Provisioning file rejected');
    expect(html).toContain('endpoint: must be an https:// URL &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('/home/k/.config/IntelliFace Kiosk/logs');
    expect(html).toMatch(/checks again by itself/);
    expect(buildStartupProblemPage([problem], { logsDir: '/x', retrying: false })).toMatch(/Restart the terminal/);
  });

  it('needs no script or inline event handler, so the strict CSP allows it', () => {
    const html = buildStartupProblemPage([problem], { logsDir: '/x', retrying: false });
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(buildCsp()).toMatch(/style-src 'self' 'unsafe-inline'/);
  });

  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('maintenance window for updates', () => {
  it('is the next 03:00 local time', () => {
    expect(msUntilMaintenanceWindow(new Date(2026, 0, 10, 1, 30))).toBe(90 * 60_000);
    expect(msUntilMaintenanceWindow(new Date(2026, 0, 10, 3, 0))).toBe(24 * 3600_000);
    expect(msUntilMaintenanceWindow(new Date(2026, 0, 10, 22, 0), 2)).toBe(4 * 3600_000);
  });

  it('rejects a nonsense hour', () => {
    expect(() => msUntilMaintenanceWindow(new Date(), 24)).toThrow(RangeError);
  });
});
