/**
 * @file Pure punch rules: which event type a punch becomes and whether it is a repeat.
 * Kept free of the database so every rule is tested directly.
 */
import { ConflictError, InvalidInputError } from '../common/errors';
import type { EventKind, EventType } from './types';

export type PunchMode = 'toggle' | 'explicit';
export type PresenceState = 'out' | 'in' | 'on_break';

export interface LastEventFacts {
  readonly type: EventType;
  readonly kind: EventKind;
  readonly occurredAtMs: number;
}

export interface PunchRuleSettings {
  readonly mode: PunchMode;
  readonly breaks: boolean;
  readonly repeatWindowSeconds: number;
  /** Hours after which an open shift counts as a forgotten clock-out (0 = never). */
  readonly maxShiftHours?: number;
}

export function presenceAfter(last: Pick<LastEventFacts, 'type'> | null): PresenceState {
  if (!last || last.type === 'clock_out') return 'out';
  if (last.type === 'break_start') return 'on_break';
  return 'in';
}

/**
 * True when the employee is still clocked in (or on a break) from a punch older than
 * `maxShiftHours`: they forgot to clock out, and toggling now would record a clock_out for a
 * shift of days. Commercial terminals start a new shift instead and flag the open one.
 */
export function isForgottenShift(last: LastEventFacts | null, nowMs: number, rules: PunchRuleSettings): boolean {
  const maxH = rules.maxShiftHours ?? 0;
  if (!last || maxH <= 0 || presenceAfter(last) === 'out') return false;
  return nowMs - last.occurredAtMs > maxH * 3_600_000;
}

/**
 * Toggle: out → clock_in, in → clock_out, on break → break_end. An explicit request is
 * honoured (clock_in/clock_out from any state: a forgotten punch must not lock anyone out),
 * but breaks must be enabled and follow in → break_start → break_end. With `nowMs`, a toggle after
 * a forgotten clock-out (isForgottenShift) starts a new shift.
 */
export function decidePunchType(last: LastEventFacts | null, rules: PunchRuleSettings, requested?: EventType, nowMs?: number): EventType {
  const state = presenceAfter(last);
  if (requested === undefined) {
    if (rules.mode === 'explicit') {
      throw new InvalidInputError('punch mode is explicit: the punch must say clock_in, clock_out, break_start or break_end');
    }
    if (state === 'out') return 'clock_in';
    if (nowMs !== undefined && isForgottenShift(last, nowMs, rules)) return 'clock_in';
    if (state === 'on_break') return 'break_end';
    return 'clock_out';
  }
  if (requested === 'break_start' || requested === 'break_end') {
    if (!rules.breaks) throw new InvalidInputError('breaks are not enabled on this terminal (settings punch.breaks)');
    if (requested === 'break_start' && state !== 'in') throw new ConflictError(`cannot start a break: employee is ${state.replace('_', ' ')}`);
    if (requested === 'break_end' && state !== 'on_break') throw new ConflictError('cannot end a break: employee is not on a break');
  }
  return requested;
}

/**
 * A repeat is a second punch within the window after the employee's last *punch* (not after a
 * correction or an undo — after an undo the next punch must count) that would record the same
 * thing again: any punch in toggle mode, the same type in explicit mode.
 */
const REPEAT_CLOCK_SLACK_MS = 2000;

export function isRepeatPunch(last: LastEventFacts | null, nowMs: number, rules: PunchRuleSettings, requested?: EventType): boolean {
  if (!last || last.kind !== 'punch' || rules.repeatWindowSeconds <= 0) return false;
  const age = nowMs - last.occurredAtMs;
  // A negative age means the wall clock went back since that punch: that is no repeat, or an
  // employee could not punch at all until the clock caught up again.
  if (age < -REPEAT_CLOCK_SLACK_MS || age >= rules.repeatWindowSeconds * 1000) return false;
  if (requested === undefined) return true;
  return requested === last.type;
}

/** The type that cancels a punch for an undo: back to the state before it. */
export function compensatingType(type: EventType): EventType {
  switch (type) {
    case 'clock_in':
      return 'clock_out';
    case 'clock_out':
      return 'clock_in';
    case 'break_start':
      return 'break_end';
    case 'break_end':
      return 'break_start';
  }
}
