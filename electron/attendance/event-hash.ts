/**
 * @file The SHA-256 hash chain over a device's events. The canonical form is RFC 8785 style
 * JSON (keys sorted at every level, no whitespace) of the wire event without `hash`, so any
 * receiver can recompute it from what it was sent (docs/sync-protocol.md, "Hash chain").
 */
import crypto from 'node:crypto';
import type { ChainedEvent } from './types';

/** prevHash of the first event (seq 1). */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys and no whitespace. Our values are strings, finite numbers, null and plain objects. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The hash an event must carry, computed from its other wire fields. */
export function computeEventHash(e: Omit<ChainedEvent, 'hash'>): string {
  const canonical = canonicalJson({
    id: e.id,
    seq: e.seq,
    type: e.type,
    employeeId: e.employeeId,
    occurredAt: e.occurredAt,
    tzOffsetMinutes: e.tzOffsetMinutes,
    method: e.method,
    match: e.match,
    reason: e.reason,
    prevHash: e.prevHash,
  });
  return crypto.createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface ChainBreak {
  readonly seq: number;
  readonly problem: 'gap' | 'prev_hash' | 'hash';
}

/**
 * Check a seq-ordered run of events. `expectPrevHash`/`expectSeq` describe the link before the
 * first one (genesis by default). Returns the first break, or null when the run is intact.
 */
export function findChainBreak(events: readonly ChainedEvent[], expectPrevHash = GENESIS_HASH, expectSeq = 1): ChainBreak | null {
  let prev = expectPrevHash;
  let seq = expectSeq;
  for (const e of events) {
    if (e.seq !== seq) return { seq: e.seq, problem: 'gap' };
    if (e.prevHash !== prev) return { seq: e.seq, problem: 'prev_hash' };
    if (computeEventHash(e) !== e.hash) return { seq: e.seq, problem: 'hash' };
    prev = e.hash;
    seq += 1;
  }
  return null;
}
