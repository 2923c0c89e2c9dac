/**
 * @file In-process notification that an event was committed, so the sync relay wakes at once
 * instead of polling. Listeners run after the transaction commits; a throwing listener never
 * affects the punch.
 */
import type { AttendanceEvent } from './types';

type Listener = (event: AttendanceEvent) => void;
const listeners = new Set<Listener>();

/** Subscribe; returns the unsubscribe function. */
export function onEventRecorded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitEventRecorded(event: AttendanceEvent): void {
  for (const l of listeners) {
    try {
      l(event);
    } catch {
      // A listener's failure must not undo or fail a committed punch.
    }
  }
}
