import { describe, expect, it } from 'vitest';
import { computeEventHash } from '../../../electron/attendance/event-hash';
import type { AttendanceEvent } from '../../../electron/attendance/types';
import { DEFAULT_BACKOFF, fullJitterDelayMs, parseRetryAfterMs, retryDelayMs } from '../../../electron/sync/backoff';
import { buildBatchBody, encodeBatchBody, eventsUrl, parseBatchResponse } from '../../../electron/sync/protocol';

function event(over: Partial<AttendanceEvent> = {}): AttendanceEvent {
  const base = {
    id: '01a23cb2-012e-7123-b9cb-1c6e82c108b8',
    seq: 1,
    type: 'clock_in' as const,
    employeeId: 'E1',
    occurredAt: '2026-12-03T08:00:00.000Z',
    tzOffsetMinutes: 60,
    method: 'face' as const,
    match: { similarity: 0.7, liveness: 0.9, modelId: 'mobilefacenet-128' },
    reason: null,
    prevHash: '0'.repeat(64),
  };
  const merged = { ...base, ...over };
  return { ...merged, hash: computeEventHash(merged), kind: 'punch', correctsEventId: null, recordedAt: merged.occurredAt, clockFlag: null, ...over } as AttendanceEvent;
}
const ids = { deviceId: 'dev-1', tenantId: 'acme', batchId: '3b241101-e2bb-4255-8caf-4136c566a962', sentAt: '2026-12-03T08:00:01.000Z' };

describe('request body allowlist', () => {
  it('carries exactly the documented fields, dropping local-only ones', () => {
    const body = JSON.parse(buildBatchBody({ ...ids, events: [event({ clockFlag: 'backward_jump', correctsEventId: 'x' })] })) as Record<string, unknown> & { events: Array<Record<string, unknown>> };
    expect(Object.keys(body).sort()).toEqual(['batchId', 'deviceId', 'events', 'sentAt', 'tenantId']);
    expect(Object.keys(body.events[0]!).sort()).toEqual(['employeeId', 'hash', 'id', 'match', 'method', 'occurredAt', 'prevHash', 'reason', 'seq', 'type', 'tzOffsetMinutes']);
    expect(Object.keys(body.events[0]!.match as object).sort()).toEqual(['liveness', 'modelId', 'similarity']);
  });

  it('refuses anything outside the allowlist instead of sending it (an embedding, an image, an extra field)', () => {
    const wire = JSON.parse(buildBatchBody({ ...ids, events: [event()] })) as { events: Array<Record<string, unknown>> };
    const withEmbedding = { ...wire, events: [{ ...wire.events[0], match: { ...(wire.events[0]!.match as object), embedding: [0.1, 0.2] } }] };
    expect(() => encodeBatchBody(withEmbedding as never)).toThrow(/allowlist at events\.0\.match/);
    const withImage = { ...wire, events: [{ ...wire.events[0], image: 'data:image/jpeg;base64,AAAA' }] };
    expect(() => encodeBatchBody(withImage as never)).toThrow(/allowlist/);
    expect(() => encodeBatchBody({ ...wire, debug: true } as never)).toThrow(/allowlist/);
    expect(() => encodeBatchBody({ ...wire, events: [] } as never)).toThrow(/allowlist/);
    expect(() => encodeBatchBody({ ...wire, events: [{ ...wire.events[0], method: 'fingerprint' }] } as never)).toThrow(/allowlist/);
  });

  it('builds the documented URL', () => {
    expect(eventsUrl('https://a.example/base/', 'dev 1')).toBe('https://a.example/base/v1/devices/dev%201/events');
  });
});

describe('response validation', () => {
  it('accepts the documented shape and treats missing lists as empty', () => {
    expect(parseBatchResponse('{"accepted":["a"],"duplicates":["b"],"rejected":[{"id":"c","reason":"r"}]}')).toEqual({ accepted: ['a'], duplicates: ['b'], rejected: [{ id: 'c', reason: 'r' }] });
    expect(parseBatchResponse('{"accepted":["a"]}')).toEqual({ accepted: ['a'], duplicates: [], rejected: [] });
  });
  it('refuses a body that is not JSON or has the wrong shape', () => {
    expect(() => parseBatchResponse('<html>')).toThrow(/not JSON/);
    expect(() => parseBatchResponse('{"accepted":"all"}')).toThrow(/wrong shape at accepted/);
    expect(() => parseBatchResponse('{"rejected":[{"reason":"x"}]}')).toThrow(/rejected/);
  });
});

describe('backoff', () => {
  it('full jitter stays within [0, min(cap, base·2^n))', () => {
    const p = { baseMs: 100, capMs: 1000, maxRetryAfterMs: 5000 };
    expect(fullJitterDelayMs(0, p, () => 0.999)).toBe(99);
    expect(fullJitterDelayMs(3, p, () => 0.5)).toBe(400);
    expect(fullJitterDelayMs(50, p, () => 0.999)).toBe(999);
    expect(fullJitterDelayMs(5, p, () => 0)).toBe(0);
  });
  it('Retry-After is a floor (seconds or HTTP-date), capped', () => {
    const now = Date.parse('2026-12-03T08:00:00Z');
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Thu, 03 Dec 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(undefined, now)).toBeNull();
    expect(retryDelayMs(0, 30_000, DEFAULT_BACKOFF, () => 0)).toBe(30_000);
    expect(retryDelayMs(0, 10 * 3_600_000, DEFAULT_BACKOFF, () => 0)).toBe(DEFAULT_BACKOFF.maxRetryAfterMs);
  });
});
