/**
 * @file The shape of the IPC surface, shared by main, preload and renderer (no Node, no Electron).
 *
 * Every channel is request/response (`ipcRenderer.invoke` / `ipcMain.handle`), even for one-way
 * calls, so errors reach the caller (Ente's convention). Each side validates with the same zod
 * schemas: main validates requests before any service sees them; the renderer validates responses.
 * Errors come back as values (`{ ok: false, error }`), never as thrown strings.
 */
import { z } from 'zod';
import type { ErrorValue } from '../common/errors';

/** Channel names are `kiosk:<method>`; the main process drops anything else (VS Code's validatedIpcMain idea). */
export const CHANNEL_PREFIX = 'kiosk:';

export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
}

export function defineChannel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): ChannelSpec<Req, Res> {
  return { request, response };
}

export type ContractShape = Record<string, ChannelSpec>;

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorValue };

export const ErrorValueSchema = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** What a service implements: one async method per channel, taking the parsed request. */
export type ServiceOf<C extends ContractShape> = {
  [K in keyof C]: (request: z.output<C[K]['request']>) => Promise<z.input<C[K]['response']>>;
};

/** What the renderer sees on `window.kiosk`: one async method per channel returning an IpcResult. */
export type ClientOf<C extends ContractShape> = {
  [K in keyof C]: (request: z.input<C[K]['request']>) => Promise<IpcResult<z.output<C[K]['response']>>>;
};

export function channelName(method: string): string {
  return `${CHANNEL_PREFIX}${method}`;
}
