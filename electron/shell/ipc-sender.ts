/**
 * @file Who may call an IPC channel: the app's own page in the main frame, on a `kiosk:` channel.
 *
 * VS Code's `validatedIpcMain` (src/vs/base/parts/ipc/electron-main/ipcMain.ts) drops any
 * message whose channel lacks its prefix, whose sender frame is not the app's own origin, or
 * which comes from a sub-frame; Electron's checklist item 17 asks for the same
 * (`event.senderFrame`). An iframe or a page the window was tricked into loading can therefore
 * never reach a service.
 */
import { CHANNEL_PREFIX } from '../contract/define';
import type { Origin } from './app-origin';
import { isAppUrl } from './app-origin';

/** The parts of an `IpcMainInvokeEvent` the check reads, copied out so this stays Node-only. */
export interface IpcSenderInfo {
  readonly channel: string;
  /** `event.senderFrame?.url`; undefined when the frame is gone (navigated or destroyed). */
  readonly frameUrl: string | undefined;
  /** `event.senderFrame.parent === null`. */
  readonly isMainFrame: boolean;
}

export type SenderVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function validateIpcSender(info: IpcSenderInfo, app: Origin): SenderVerdict {
  if (!info.channel.startsWith(CHANNEL_PREFIX)) return { ok: false, reason: `channel "${info.channel}" lacks the ${CHANNEL_PREFIX} prefix` };
  if (info.frameUrl === undefined) return { ok: false, reason: 'sender frame is gone' };
  if (!info.isMainFrame) return { ok: false, reason: 'sender is a sub-frame' };
  if (!isAppUrl(info.frameUrl, app)) return { ok: false, reason: 'sender is not the app origin' };
  return { ok: true };
}
