/**
 * @file Manager-only calls: an expired session (UNAUTHORIZED from the service's idle timer) sends
 * the screen back to idle instead of showing a confusing error.
 */
import type { IpcResult } from '../../../electron/contract/define';
import { useKiosk } from '../state/store';
import { KioskCallError } from './kiosk-client';

export async function managerCall<T>(call: Promise<IpcResult<T>>): Promise<T> {
  const r = await call;
  if (r.ok) return r.value;
  if (r.error.code === 'UNAUTHORIZED') {
    useKiosk.getState().setManager(null);
    useKiosk.getState().setScreen({ name: 'idle' });
  }
  throw new KioskCallError(r.error.code, r.error.message);
}
