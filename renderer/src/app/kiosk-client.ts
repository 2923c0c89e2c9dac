/**
 * @file The renderer's only door to the rest of the app: `window.kiosk` (exposed by the preload,
 * or by the e2e test bridge), wrapped so every response is validated against the shared contract.
 */
import type { ClientOf, IpcResult } from '../../../electron/contract/define';
import { CONTRACT, type KioskContract } from '../../../electron/contract/channels';
import { createValidatedClient } from '../../../electron/contract/dispatch';

declare global {
  interface Window {
    kiosk?: ClientOf<KioskContract>;
  }
}

export type KioskClient = ClientOf<KioskContract>;

let client: KioskClient | null = null;

export function kioskClient(): KioskClient {
  if (client) return client;
  const raw = window.kiosk;
  if (!raw) throw new Error('window.kiosk is missing: the preload did not load');
  client = createValidatedClient(CONTRACT, (channel, payload) =>
    (raw as unknown as Record<string, (p: unknown) => Promise<unknown>>)[channel]!(payload),
  );
  return client;
}

/** Unwrap an IpcResult, throwing a plain Error with the service's message (for UI error states). */
export class KioskCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KioskCallError';
  }
}

export function unwrap<T>(r: IpcResult<T>): T {
  if (r.ok) return r.value;
  throw new KioskCallError(r.error.code, r.error.message);
}
