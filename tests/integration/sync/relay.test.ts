import { afterEach, describe, expect, it } from 'vitest';
import { recordPunch } from '../../../electron/attendance/punch';
import { provisionDevice } from '../../../electron/sync/device-identity';
import { openDatabase } from '../../../electron/store/database';
import { SyncRelay, notifyNetworkChanged } from '../../../electron/sync/relay';
import { getSyncStatus } from '../../../electron/sync/status';
import { FACE_MATCH } from '../../unit/attendance/helpers';
import { FAST_BACKOFF, TOKEN, makeTerminal, outboxStates, type Terminal } from './setup';

let term: Terminal;
afterEach(async () => {
  await term?.cleanup();
});

function expectCleanDelivery(term: Terminal, total: number): void {
  expect(term.receiver.problems).toEqual([]);
  expect(term.receiver.chainProblems()).toEqual([]);
  expect(term.receiver.events.size).toBe(total);
  expect([...term.receiver.bySeq.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
}

describe('sync relay against a real loopback receiver', () => {
  it('delivers signed batches of the configured size with the documented headers and body', async () => {
    term = await makeTerminal();
    recordPunch(term.t.db, { employeeId: 'E1', method: 'face', match: FACE_MATCH, now: new Date('2026-12-03T05:00:00Z') });
    term.punches(24);
    const r = await term.relay().drain();
    expect(r.outcome).toBe('drained');
    expect(r.summary).toMatchObject({ requests: 3, accepted: 25, duplicates: 0, rejected: 0, retries: 0 });
    expectCleanDelivery(term, 25);
    expect(term.receiver.requests.map((q) => q.eventIds.length)).toEqual([10, 10, 5]);
    const h = term.receiver.requests[0]!.headers;
    expect(h.authorization).toBe(`Bearer ${TOKEN}`);
    expect(h['idempotency-key']).toBe(term.receiver.requests[0]!.batchId);
    expect(h['content-type']).toBe('application/json');
    expect(typeof h['x-signature']).toBe('string');
    expect(term.receiver.bySeq.get(1)!.match).toEqual(FACE_MATCH);
    expect(outboxStates(term.t)).toEqual({ done: 25 });
    const st = getSyncStatus(term.t.db);
    expect(st).toMatchObject({ provisioned: true, queueLength: 0, deadLetters: 0, unauthorised: false });
    expect(st.lastSuccessAt).not.toBeNull();
  });

  it('survives 500s, dropped connections, lost answers, slow answers, duplicate acks and bad bodies — same key and bytes on every retry', async () => {
    term = await makeTerminal();
    term.punches(30);
    term.receiver.faults.push(
      { kind: 'status', status: 500 },
      { kind: 'drop' },
      { kind: 'drop-after-processing' },
      { kind: 'slow', ms: 600 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 408 },
      { kind: 'bad-json' },
      { kind: 'wrong-shape' },
      { kind: 'duplicate-ack' },
    );
    const r = await term.relay({ requestTimeoutMs: 300 }).drain({ timeoutMs: 20_000 });
    expect(r.outcome).toBe('drained');
    expectCleanDelivery(term, 30);
    expect(outboxStates(term.t)).toEqual({ done: 30 });
    // The first batch was retried under one Idempotency-Key until answered.
    const first = term.receiver.requests[0]!.batchId;
    const tries = term.receiver.requests.filter((q) => q.batchId === first);
    expect(tries.length).toBeGreaterThanOrEqual(8);
    expect(new Set(tries.map((q) => q.eventIds.join(','))).size).toBe(1);
    expect(r.summary.retries).toBeGreaterThanOrEqual(7);
    // No event was delivered into the server's set twice (dedup by id held).
    expect(term.receiver.events.size).toBe(30);
  });

  it('honours Retry-After on 429', async () => {
    term = await makeTerminal();
    term.punches(3);
    term.receiver.faults.push({ kind: 'status', status: 429, retryAfter: '1' });
    const r = await term.relay().drain();
    expect(r.outcome).toBe('drained');
    const [a, b] = term.receiver.requests;
    expect(a!.status).toBe(429);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(990);
    expectCleanDelivery(term, 3);
  });

  it('stops on 401/403, marks the device unauthorised, and resumes after re-provisioning', async () => {
    term = await makeTerminal();
    term.punches(5);
    term.receiver.faults.push({ kind: 'status', status: 403, body: '{"error":"device revoked"}' });
    const relay = term.relay();
    const r = await relay.drain();
    expect(r.outcome).toBe('unauthorised');
    expect(r.detail).toMatch(/HTTP 403.*device revoked/);
    expect(term.receiver.requests).toHaveLength(1);
    expect(getSyncStatus(term.t.db)).toMatchObject({ unauthorised: true, queueLength: 5 });
    // Still stopped: no further request is made.
    expect((await relay.drain()).outcome).toBe('unauthorised');
    expect(term.receiver.requests).toHaveLength(1);
    const newToken = 'a-brand-new-device-token-42';
    await provisionDevice(term.t.db, term.keys, { tenantId: 'acme', deviceToken: newToken });
    term.receiver.token = newToken;
    expect((await relay.drain()).outcome).toBe('drained');
    expect(getSyncStatus(term.t.db).unauthorised).toBe(false);
    expectCleanDelivery(term, 5);
  });

  it('splits a batch on 400 to isolate the offending event and dead-letters only it', async () => {
    term = await makeTerminal();
    const events = term.punches(10);
    const poison = events[6]!.id;
    term.receiver.opts = { poisonIds: new Set([poison]) };
    const r = await term.relay().drain();
    expect(r.outcome).toBe('drained');
    expect(term.receiver.events.size).toBe(9);
    expect(term.receiver.events.has(poison)).toBe(false);
    const st = getSyncStatus(term.t.db);
    expect(st.deadLetters).toBe(1);
    expect(st.recentDeadLetters[0]).toMatchObject({ eventId: poison, reason: expect.stringMatching(/HTTP 400/) });
    expect(outboxStates(term.t)).toEqual({ done: 9, dead: 1 });
    // Bisection: 10✗ → [0-4]✓ [5-9]✗ → [5-7]✗ [8-9]✓ → [5-6]✗ [7]✓ → [5]✓ [6]✗ = 9 requests, not one per event.
    expect(term.receiver.requests.length).toBe(9);
    expect(term.receiver.problems).toEqual([]);
  });

  it('splits on 413 until batches fit', async () => {
    term = await makeTerminal({ maxEvents: 3 });
    term.punches(10);
    const r = await term.relay().drain();
    expect(r.outcome).toBe('drained');
    expectCleanDelivery(term, 10);
    expect(getSyncStatus(term.t.db).deadLetters).toBe(0);
  });

  it('moves rejected events to dead letters with the reason and never resends them', async () => {
    term = await makeTerminal();
    const events = term.punches(4);
    term.receiver.opts = { rejectIds: new Set([events[1]!.id]) };
    const r = await term.relay().drain();
    expect(r).toMatchObject({ outcome: 'drained', summary: { accepted: 3, rejected: 1 } });
    expect(getSyncStatus(term.t.db).recentDeadLetters).toEqual([{ eventId: events[1]!.id, reason: 'employee unknown to payroll', at: expect.any(String) }]);
    await term.relay().drain();
    expect(term.receiver.deliveries.get(events[1]!.id)).toBe(1);
  });

  it('runs in the background: wakes on a new punch and on a network change', async () => {
    term = await makeTerminal();
    const relay = term.relay({ backoff: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.99 });
    relay.start();
    try {
      term.punches(1);
      await waitFor(() => term.receiver.events.size === 1);
      // The network goes away: the next batch waits out a (long) backoff...
      const liveUrl = term.endpoint;
      term.endpoint = 'http://127.0.0.1:9'; // discard port: connection refused
      term.punches(2);
      await waitFor(() => (getSyncStatus(term.t.db).lastError ?? '').startsWith('network:'));
      term.endpoint = liveUrl;
      await new Promise((r) => setTimeout(r, 200));
      expect(term.receiver.events.size).toBe(1);
      // ...until the shell reports the network changed.
      notifyNetworkChanged();
      await waitFor(() => term.receiver.events.size === 3);
    } finally {
      await relay.stop();
    }
    expectCleanDelivery(term, 3);
  });

  it('re-sends under a new batch id when a receiver keeps replaying a stored failure for one key', async () => {
    term = await makeTerminal({ stickyFailures: true });
    term.punches(3);
    term.receiver.faults.push({ kind: 'status', status: 500 });
    const r = await term.relay({ maxAttemptsPerBatch: 3 }).drain();
    expect(r.outcome).toBe('drained');
    const keys = term.receiver.requests.map((q) => q.batchId);
    expect(keys.slice(0, 3).every((k) => k === keys[0])).toBe(true);
    expect(term.receiver.requests.slice(0, 3).map((q) => q.status)).toEqual([500, 500, 500]);
    expect(keys[3]).not.toBe(keys[0]);
    expect(term.receiver.requests[3]!.eventIds).toEqual(term.receiver.requests[0]!.eventIds);
    expectCleanDelivery(term, 3);
  });

  it('a restarted relay retries a backed-off batch at once, but keeps a wait the server asked for', async () => {
    term = await makeTerminal();
    term.punches(2);
    const slow = { backoff: { baseMs: 600_000, capMs: 600_000 }, random: () => 0.99 };
    term.receiver.faults.push({ kind: 'status', status: 500 });
    expect((await term.relay(slow).drain({ timeoutMs: 500 })).outcome).toBe('timeout');
    // A new process (boot, `kiosk sync`) does not sit out the 10-minute backoff of the old one.
    expect((await term.relay(slow).drain({ timeoutMs: 5000 })).outcome).toBe('drained');
    term.punches(2);
    term.receiver.faults.push({ kind: 'status', status: 429, retryAfter: '600' });
    expect((await term.relay(slow).drain({ timeoutMs: 500 })).outcome).toBe('timeout');
    expect((await term.relay(slow).drain({ timeoutMs: 500 })).outcome).toBe('timeout');
    expect(term.receiver.requests.map((q) => q.status)).toEqual([500, 200, 429]);
    expect(getSyncStatus(term.t.db).lastError).toMatch(/^server-wait: http: 429/);
  });

  it('two relays on the same database file (app + kiosk sync) deliver everything, duplicates absorbed', async () => {
    term = await makeTerminal();
    term.punches(60);
    const db2 = openDatabase(term.t.file);
    try {
      const other = new SyncRelay(db2, { keys: term.keys, getEndpoint: () => term.endpoint, batchSize: 10, backoff: FAST_BACKOFF });
      const [a, b] = await Promise.all([term.relay().drain(), other.drain()]);
      expect(a.outcome).toBe('drained');
      expect(b.outcome).toBe('drained');
    } finally {
      db2.close();
    }
    expectCleanDelivery(term, 60);
    expect(outboxStates(term.t)).toEqual({ done: 60 });
  });

  it('dead-letters a damaged row the allowlist refuses instead of blocking the queue; an embedding smuggled into a row never leaves', async () => {
    term = await makeTerminal();
    const events = term.punches(5);
    term.t.db.prepare('UPDATE events SET employee_id = ? WHERE id = ?').run('x'.repeat(300), events[1]!.id);
    term.t.db.prepare('UPDATE events SET match = ? WHERE id = ?').run(JSON.stringify({ similarity: 0.5, liveness: 0.9, modelId: 'm', embedding: [0.1, 0.2] }), events[3]!.id);
    term.t.db.prepare('UPDATE events SET match = ? WHERE id = ?').run('{not json', events[4]!.id);
    const r = await term.relay().drain();
    expect(r.outcome).toBe('drained');
    expect(term.receiver.events.size).toBe(3);
    expect(term.receiver.events.has(events[1]!.id)).toBe(false);
    const dead = getSyncStatus(term.t.db).recentDeadLetters;
    expect(dead.find((d) => d.eventId === events[1]!.id)?.reason).toMatch(/allowlist at employeeId/);
    expect(dead.find((d) => d.eventId === events[4]!.id)?.reason).toMatch(/unreadable event row/);
    expect(JSON.stringify([...term.receiver.events.values()])).not.toContain('embedding');
    expect(term.receiver.problems.filter((p) => !/hash does not recompute/.test(p))).toEqual([]);
  });

  it('does nothing before provisioning and when no endpoint is set', async () => {
    term = await makeTerminal();
    term.punches(2);
    expect((await term.relay({ getEndpoint: () => undefined }).drain()).outcome).toBe('no_endpoint');
    term.t.db.prepare('DELETE FROM device').run();
    expect((await term.relay().drain()).outcome).toBe('not_provisioned');
    expect(term.receiver.requests).toHaveLength(0);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
