/**
 * @file Sandboxed preload: exposes `window.kiosk`, one method per contract channel, each a
 * plain `ipcRenderer.invoke('kiosk:<method>', payload)` returning the main process's IpcResult.
 * Nothing else crosses the bridge — no ipcRenderer, no Node. The renderer re-validates every
 * answer (renderer/src/app/kiosk-client.ts); main validates every request and its sender.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../contract/channels';
import { channelName } from '../contract/define';

const api: Record<string, (payload: unknown) => Promise<unknown>> = {};
for (const method of CHANNELS) {
  const channel = channelName(method);
  api[method] = (payload: unknown) => ipcRenderer.invoke(channel, payload);
}

contextBridge.exposeInMainWorld('kiosk', Object.freeze(api));
