/**
 * @file Register every contract channel with `ipcMain.handle`, generically: each route checks
 * the sender frame and validates request and response (electron/shell/ipc-dispatch.ts).
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ContractShape, ServiceOf } from '../contract/define';
import type { Logger } from '../logging/logger';
import type { Origin } from '../shell/app-origin';
import { buildIpcRoutes } from '../shell/ipc-dispatch';

/** Copy what the sender check needs out of the event (VS Code's validatedIpcMain reads the same). */
function senderOf(event: IpcMainInvokeEvent): { frameUrl: string | undefined; isMainFrame: boolean } {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null };
}

/** Returns a function that removes the handlers (before the service closes). */
export function registerIpcHandlers<C extends ContractShape>(contract: C, service: ServiceOf<C>, origin: Origin, log: Logger): () => void {
  const routes = buildIpcRoutes(contract, service, { appOrigin: origin, log });
  for (const r of routes) ipcMain.handle(r.channel, (event, payload: unknown) => r.handle(senderOf(event), payload));
  log.info({ channels: routes.length }, 'ipc handlers registered');
  return () => {
    for (const r of routes) ipcMain.removeHandler(r.channel);
  };
}
