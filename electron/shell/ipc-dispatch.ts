/**
 * @file One IPC route per contract channel: check the sender frame first, then hand the payload
 * to the contract's own `dispatchChannel` (zod-validated request and response, errors as values).
 * `electron/main/ipc.ts` registers each route with `ipcMain.handle(route.channel, …)`.
 *
 * The response is validated too, not only the request: zod objects strip unknown keys, so a
 * service that accidentally returns more than the contract names (an embedding, a token) can
 * never hand it to the renderer.
 */
import { UnauthorizedError } from '../common/errors';
import type { ContractShape, IpcResult, ServiceOf } from '../contract/define';
import { channelName } from '../contract/define';
import { dispatchChannel } from '../contract/dispatch';
import type { Origin } from './app-origin';
import type { IpcSenderInfo } from './ipc-sender';
import { validateIpcSender } from './ipc-sender';

export interface IpcLog {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface IpcRoute {
  readonly method: string;
  readonly channel: string;
  /** Called by `ipcMain.handle(channel, …)` with the sender copied out of the event. */
  handle(sender: Omit<IpcSenderInfo, 'channel'>, payload: unknown): Promise<IpcResult<unknown>>;
}

/** One route per contract method; throws at start-up if the service lacks a method. */
export function buildIpcRoutes<C extends ContractShape>(
  contract: C,
  service: ServiceOf<C>,
  opts: { readonly appOrigin: Origin; readonly log: IpcLog },
): IpcRoute[] {
  return Object.keys(contract).map((method) => {
    const channel = channelName(method);
    if (typeof (service as Record<string, unknown>)[method] !== 'function') {
      throw new TypeError(`the kiosk service does not implement contract method "${method}"`);
    }
    return {
      method,
      channel,
      async handle(sender, payload): Promise<IpcResult<unknown>> {
        const verdict = validateIpcSender({ ...sender, channel }, opts.appOrigin);
        if (!verdict.ok) {
          opts.log.warn({ channel, reason: verdict.reason }, 'ipc call refused');
          return { ok: false, error: new UnauthorizedError(`IPC call refused: ${verdict.reason}`).toValue() };
        }
        const result = await dispatchChannel(contract, service, method, payload);
        // INTERNAL = a bug on our side (a service threw a plain Error or broke the contract);
        // INVALID_INPUT from our own renderer = a bug or an attack. Both are worth a log line
        // (the message names the field, never its value).
        if (!result.ok && result.error.code === 'INTERNAL') opts.log.error({ channel, error: result.error }, 'ipc call failed');
        if (!result.ok && result.error.code === 'INVALID_INPUT') opts.log.warn({ channel, error: result.error.message }, 'ipc payload rejected');
        return result;
      },
    };
  });
}
