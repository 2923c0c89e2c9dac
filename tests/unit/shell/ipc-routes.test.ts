/**
 * The generic IPC route every contract channel gets: sender check, then zod-validated request
 * and response through the contract's dispatcher, errors as values.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError } from '../../../electron/common/errors';
import { CONTRACT } from '../../../electron/contract/channels';
import { defineChannel, type ServiceOf } from '../../../electron/contract/define';
import { appSchemeOrigin } from '../../../electron/shell/app-origin';
import { buildIpcRoutes } from '../../../electron/shell/ipc-dispatch';

const TEST_CONTRACT = {
  greet: defineChannel(z.object({ name: z.string().min(1) }).strict(), z.object({ text: z.string() })),
  find: defineChannel(z.object({ id: z.string() }).strict(), z.object({ id: z.string() })),
  leaky: defineChannel(z.object({}).strict(), z.object({ id: z.string() })),
  broken: defineChannel(z.object({}).strict(), z.object({ id: z.string() })),
};

function makeLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  return {
    lines,
    warn: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'error', obj, msg }),
  };
}

const service: ServiceOf<typeof TEST_CONTRACT> = {
  greet: async ({ name }) => ({ text: `hello ${name}` }),
  find: async ({ id }) => {
    throw new NotFoundError(`no employee ${id}`);
  },
  // Returns more than the contract names: the extra field must never reach the renderer.
  leaky: async () => ({ id: 'e1', embedding: [0.1, 0.2] }) as unknown as { id: string },
  broken: async () => {
    throw new Error('disk on fire');
  },
};

const APP = appSchemeOrigin();
const MAIN = { frameUrl: 'kiosk-app://app/index.html', isMainFrame: true };

function routes() {
  const log = makeLog();
  const byMethod = new Map(buildIpcRoutes(TEST_CONTRACT, service, { appOrigin: APP, log }).map((r) => [r.method, r]));
  return { log, route: (m: string) => byMethod.get(m)! };
}

describe('IPC routes', () => {
  it('one kiosk:-prefixed route per channel of the real contract', () => {
    const full = Object.fromEntries(Object.keys(CONTRACT).map((k) => [k, async () => ({})])) as unknown as ServiceOf<typeof CONTRACT>;
    const rs = buildIpcRoutes(CONTRACT, full, { appOrigin: APP, log: makeLog() });
    expect(rs.map((r) => r.channel).sort()).toEqual(Object.keys(CONTRACT).map((k) => `kiosk:${k}`).sort());
  });

  it('refuses to start when the service misses a method', () => {
    const { greet } = service;
    expect(() => buildIpcRoutes(TEST_CONTRACT, { greet } as unknown as ServiceOf<typeof TEST_CONTRACT>, { appOrigin: APP, log: makeLog() })).toThrow(/does not implement contract method "find"/);
  });

  it('answers a valid call from the app page', async () => {
    const { route } = routes();
    expect(await route('greet').handle(MAIN, { name: 'Ada' })).toEqual({ ok: true, value: { text: 'hello Ada' } });
  });

  it('refuses a foreign or sub-frame sender before validating or calling anything, and logs it', async () => {
    const { route, log } = routes();
    const r1 = await route('greet').handle({ frameUrl: 'https://evil.example/', isMainFrame: true }, { name: 'x' });
    expect(r1).toMatchObject({ ok: false, error: { name: 'UnauthorizedError', code: 'UNAUTHORIZED' } });
    const r2 = await route('greet').handle({ frameUrl: MAIN.frameUrl, isMainFrame: false }, { name: 'x' });
    expect(r2).toMatchObject({ ok: false, error: { message: expect.stringMatching(/sub-frame/) } });
    expect(log.lines.filter((l) => l.msg === 'ipc call refused')).toHaveLength(2);
  });

  it('rejects bad payloads with the field named, and logs them without the value', async () => {
    const { route, log } = routes();
    expect(await route('greet').handle(MAIN, { name: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/name/) } });
    expect(await route('greet').handle(MAIN, { name: 'a', extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await route('greet').handle(MAIN, 'not an object')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(log.lines.map((l) => l.msg)).toEqual(['ipc payload rejected', 'ipc payload rejected', 'ipc payload rejected']);
    expect(JSON.stringify(log.lines)).not.toContain('not an object');
  });

  it('returns service errors as values with their class name', async () => {
    const { route, log } = routes();
    expect(await route('find').handle(MAIN, { id: 'e9' })).toEqual({ ok: false, error: { name: 'NotFoundError', code: 'NOT_FOUND', message: 'no employee e9' } });
    expect(log.lines).toHaveLength(0);
    expect(await route('broken').handle(MAIN, {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(log.lines.map((l) => l.level)).toEqual(['error']);
  });

  it('strips fields the contract does not name from responses', async () => {
    const { route } = routes();
    expect(await route('leaky').handle(MAIN, {})).toEqual({ ok: true, value: { id: 'e1' } });
  });
});
