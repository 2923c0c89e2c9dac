import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTRACT, CHANNELS, FrameSchema } from '../../../electron/contract/channels';
import { dispatchChannel, createValidatedClient } from '../../../electron/contract/dispatch';
import type { ServiceOf } from '../../../electron/contract/define';

/** Walk a zod schema (zod 4 internals: `_zod.def`) and collect paths of arrays whose element is numeric. */
function numericArrayPaths(schema: z.ZodType, path = '$', seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const out: string[] = [];
  const recurse = (s: unknown, p: string) => out.push(...numericArrayPaths(s as z.ZodType, p, seen));
  switch (def.type) {
    case 'array': {
      const el = def.element as z.ZodType;
      const elType = (el as unknown as { _zod: { def: { type: string } } })._zod.def.type;
      if (elType === 'number' || elType === 'bigint' || elType === 'int') out.push(path);
      recurse(el, `${path}[]`);
      break;
    }
    case 'tuple':
      for (const [i, item] of (def.items as z.ZodType[]).entries()) recurse(item, `${path}[${i}]`);
      break;
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) recurse(v, `${path}.${k}`);
      break;
    case 'union':
      for (const o of def.options as z.ZodType[]) recurse(o, path);
      break;
    case 'record':
      recurse(def.valueType, `${path}{}`);
      break;
    case 'custom':
      // z.instanceof: typed arrays (an embedding would be a Float32Array) are forbidden in responses.
      out.push(`${path}(custom)`);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      recurse(def.innerType, path);
      break;
    case 'pipe':
      recurse(def.in, path);
      recurse(def.out, path);
      break;
    case 'lazy':
      recurse((def.getter as () => z.ZodType)(), path);
      break;
    default:
      break;
  }
  return out;
}

describe('kiosk IPC contract', () => {
  it('no response schema can carry an embedding-like numeric array or typed array', () => {
    const offenders: string[] = [];
    for (const ch of CHANNELS) offenders.push(...numericArrayPaths(CONTRACT[ch].response, ch));
    expect(offenders).toEqual([]);
    // The detector itself works: it flags a numeric array and a typed array.
    expect(numericArrayPaths(z.object({ e: z.array(z.number()) }))).toEqual(['$.e']);
    expect(numericArrayPaths(z.object({ e: z.instanceof(Float32Array) }))).toEqual(['$.e(custom)']);
  });

  it('response schemas strip an embedding a buggy service might add', () => {
    const parsed = CONTRACT.processFrame.response.parse({
      kind: 'unknown',
      face: null,
      embedding: [0.1, 0.2],
    }) as Record<string, unknown>;
    expect(parsed).toEqual({ kind: 'unknown', face: null });
  });

  it('rejects frames whose byte length does not match width*height*4', () => {
    const bad = FrameSchema.safeParse({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/width\*height\*4/);
    expect(FrameSchema.safeParse({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) }).success).toBe(true);
    expect(FrameSchema.safeParse({ width: 64, height: 64, data: [1, 2, 3] }).success).toBe(false);
  });

  it('rejects malformed PINs and employee ids with a message naming the field', async () => {
    const calls: unknown[] = [];
    const service = { pinPunch: async (r: unknown) => (calls.push(r), { outcome: 'rejected', attemptsLeft: 3 }) } as unknown as ServiceOf<typeof CONTRACT>;
    const bad = await dispatchChannel(CONTRACT, service, 'pinPunch', { employeeId: 'e1', pin: '12' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!bad.ok && bad.error.message).toMatch(/pin: PIN must be 4 to 8 digits/);
    const badId = await dispatchChannel(CONTRACT, service, 'pinPunch', { employeeId: '../etc', pin: '1234' });
    expect(!badId.ok && badId.error.message).toMatch(/employeeId/);
    const extra = await dispatchChannel(CONTRACT, service, 'pinPunch', { employeeId: 'e1', pin: '1234', admin: true });
    expect(extra.ok).toBe(false);
    expect(calls).toEqual([]);
    const good = await dispatchChannel(CONTRACT, service, 'pinPunch', { employeeId: 'e1', pin: '1234' });
    expect(good).toEqual({ ok: true, value: { outcome: 'rejected', attemptsLeft: 3 } });
  });

  it('refuses unknown channels and reports a service that breaks the contract as INTERNAL', async () => {
    const service = { status: async () => ({ nope: 1 }) } as unknown as ServiceOf<typeof CONTRACT>;
    const unknown = await dispatchChannel(CONTRACT, service, '__proto__', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const broken = await dispatchChannel(CONTRACT, service, 'status', {});
    expect(broken).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('the validated client re-checks responses and passes errors through as values', async () => {
    const client = createValidatedClient(CONTRACT, async (channel) => {
      if (channel === 'managerLogout') return { ok: true, value: { ok: true } };
      if (channel === 'resetRecognition') return { ok: true, value: { ok: 'yes' } };
      return { ok: false, error: { name: 'UnauthorizedError', code: 'UNAUTHORIZED', message: 'manager session required' } };
    });
    expect(await client.managerLogout({})).toEqual({ ok: true, value: { ok: true } });
    expect(await client.resetRecognition({})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await client.listEmployees({})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    // Request validation happens before anything is sent.
    expect(await client.setPin({ employeeId: 'e1', pin: 'abcd' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
