/**
 * `window.kiosk` exposes exactly the contract's methods, each bound to its own `kiosk:` channel,
 * and round-trips through the real IPC routes the main process registers.
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS, CONTRACT } from '../../../electron/contract/channels';
import type { ServiceOf } from '../../../electron/contract/define';
import { appSchemeOrigin } from '../../../electron/shell/app-origin';
import { buildIpcRoutes } from '../../../electron/shell/ipc-dispatch';
import { buildPreloadApi } from '../../../electron/shell/preload-api';

describe('preload api', () => {
  it('has one frozen method per contract channel and nothing else', () => {
    const api = buildPreloadApi(CHANNELS, async () => null);
    expect(Object.keys(api).sort()).toEqual(Object.keys(CONTRACT).sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect('invoke' in api).toBe(false);
  });

  it('invokes kiosk:<method> and reaches the matching main-process route', async () => {
    const service = Object.fromEntries(Object.keys(CONTRACT).map((k) => [k, async () => ({ ok: true })])) as unknown as ServiceOf<typeof CONTRACT>;
    const log = { warn: () => {}, error: () => {} };
    const routes = new Map(buildIpcRoutes(CONTRACT, service, { appOrigin: appSchemeOrigin(), log }).map((r) => [r.channel, r]));
    const seen: string[] = [];
    const api = buildPreloadApi(CHANNELS, (channel, payload) => {
      seen.push(channel);
      return routes.get(channel)!.handle({ frameUrl: 'kiosk-app://app/index.html', isMainFrame: true }, payload);
    });
    expect(await api.managerLogout!({})).toEqual({ ok: true, value: { ok: true } });
    expect(await api.resetRecognition!({ unexpected: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(seen).toEqual(['kiosk:managerLogout', 'kiosk:resetRecognition']);
  });
});
