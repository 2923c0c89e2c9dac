/**
 * @file Sandboxed preload: exposes `window.kiosk`, one method per contract channel
 * (electron/shell/preload-api.ts). Nothing else crosses the bridge — no ipcRenderer, no Node.
 * The renderer re-validates every answer (renderer/src/app/kiosk-client.ts); main validates
 * every request and its sender.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../contract/channels';
import { buildPreloadApi } from '../shell/preload-api';

contextBridge.exposeInMainWorld(
  'kiosk',
  buildPreloadApi(CHANNELS, (channel, payload) => ipcRenderer.invoke(channel, payload)),
);
