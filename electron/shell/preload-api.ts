/**
 * @file The object the preload exposes as `window.kiosk`: one method per contract channel, each
 * a plain invoke of `kiosk:<method>` answering the main process's IpcResult. Built from the
 * channel list alone — no generic `invoke(channel)` — so the page can reach exactly the
 * contract and nothing else. No Node, no Electron: the preload passes `ipcRenderer.invoke` in.
 */
import { channelName } from '../contract/define';

export type InvokeFn = (channel: string, payload: unknown) => Promise<unknown>;

export function buildPreloadApi(methods: readonly string[], invoke: InvokeFn): Readonly<Record<string, (payload: unknown) => Promise<unknown>>> {
  const api: Record<string, (payload: unknown) => Promise<unknown>> = {};
  for (const method of methods) {
    const channel = channelName(method);
    api[method] = (payload: unknown) => invoke(channel, payload);
  }
  return Object.freeze(api);
}
