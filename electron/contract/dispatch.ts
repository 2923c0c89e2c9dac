/**
 * @file Both ends of one IPC call, shared by the Electron main process, the e2e test bridge and
 * the renderer: `dispatchChannel` validates a request, calls the service and validates its answer;
 * `createValidatedClient` wraps a raw invoke function so the renderer re-validates every response.
 * Errors travel as values (`IpcResult`), never as thrown strings. No Node, no Electron.
 */
import type { z } from 'zod';
import { InvalidInputError, KioskError, toErrorValue, type ErrorValue } from '../common/errors';
import type { ClientOf, ContractShape, IpcResult, ServiceOf } from './define';
import { ErrorValueSchema } from './define';

/** The first zod issue as "path: message", so a bad payload names its bad field. */
export function describeZodError(err: z.ZodError): string {
  const first = err.issues[0];
  if (!first) return 'invalid payload';
  const where = first.path.length ? first.path.map(String).join('.') : '(payload)';
  return `${where}: ${first.message}`;
}

/** Validate `payload` for `channel`, run the service method, validate the response. Never throws. */
export async function dispatchChannel<C extends ContractShape>(
  contract: C,
  service: ServiceOf<C>,
  channel: string,
  payload: unknown,
): Promise<IpcResult<unknown>> {
  try {
    if (!Object.prototype.hasOwnProperty.call(contract, channel)) {
      throw new InvalidInputError(`unknown channel "${channel}"`);
    }
    const spec = contract[channel as keyof C]!;
    const req = spec.request.safeParse(payload ?? {});
    if (!req.success) throw new InvalidInputError(`${channel}: ${describeZodError(req.error)}`);
    const method = service[channel as keyof C] as (r: unknown) => Promise<unknown>;
    const raw = await method(req.data);
    const res = spec.response.safeParse(raw);
    if (!res.success) {
      // A service breaking the contract is our bug, not the caller's: report INTERNAL.
      throw new KioskError('INTERNAL', `${channel}: service response broke the contract: ${describeZodError(res.error)}`);
    }
    return { ok: true, value: res.data };
  } catch (e) {
    return { ok: false, error: toErrorValue(e) };
  }
}

export type RawInvoke = (channel: string, payload: unknown) => Promise<unknown>;

/**
 * A typed client over a raw invoke (preload's ipcRenderer.invoke, or the e2e bridge). Requests are
 * validated before sending (fail fast, same message as main would give); responses are validated
 * on arrival so a compromised or buggy main process cannot hand the UI an unexpected shape.
 */
export function createValidatedClient<C extends ContractShape>(contract: C, invoke: RawInvoke): ClientOf<C> {
  const client: Record<string, (request: unknown) => Promise<IpcResult<unknown>>> = {};
  for (const channel of Object.keys(contract)) {
    const spec = contract[channel]!;
    client[channel] = async (request: unknown) => {
      const req = spec.request.safeParse(request ?? {});
      if (!req.success) return { ok: false, error: new InvalidInputError(`${channel}: ${describeZodError(req.error)}`).toValue() };
      let raw: unknown;
      try {
        raw = await invoke(channel, req.data);
      } catch (e) {
        return { ok: false, error: toErrorValue(e) };
      }
      return parseIpcResult(spec.response, channel, raw);
    };
  }
  return client as unknown as ClientOf<C>;
}

function parseIpcResult(schema: z.ZodType, channel: string, raw: unknown): IpcResult<unknown> {
  if (typeof raw === 'object' && raw !== null && (raw as { ok?: unknown }).ok === false) {
    const err = ErrorValueSchema.safeParse((raw as { error?: unknown }).error);
    // The code field is a plain string on the wire; the renderer only displays it.
    if (err.success) return { ok: false, error: err.data as ErrorValue };
  }
  if (typeof raw === 'object' && raw !== null && (raw as { ok?: unknown }).ok === true) {
    const res = schema.safeParse((raw as { value?: unknown }).value);
    if (res.success) return { ok: true, value: res.data };
    return { ok: false, error: new KioskError('INTERNAL', `${channel}: response broke the contract: ${describeZodError(res.error)}`).toValue() };
  }
  return { ok: false, error: new KioskError('INTERNAL', `${channel}: malformed IPC result`).toValue() };
}
