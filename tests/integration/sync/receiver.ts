/**
 * @file A real HTTP receiver on 127.0.0.1 that speaks docs/sync-protocol.md and injects faults.
 * It checks what a strict cloud would: bearer token, headers, the signature over the raw body
 * bytes, the body allowlist, idempotency-key reuse with identical bytes, the hash chain, and it
 * deduplicates on event id. Every violation is recorded in `problems` for tests to assert on.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { computeEventHash } from '../../../electron/attendance/event-hash';
import type { ChainedEvent } from '../../../electron/attendance/types';

export type Fault =
  | { kind: 'status'; status: number; body?: string; retryAfter?: string }
  /** Destroy the socket before reading/processing the batch. */
  | { kind: 'drop' }
  /** Process and store the batch, then destroy the socket: the device never hears the answer. */
  | { kind: 'drop-after-processing' }
  /** Process, then answer only after `ms` (beyond the client's timeout). */
  | { kind: 'slow'; ms: number }
  /** Answer 200 with every event of the batch listed as a duplicate, and accepted repeated. */
  | { kind: 'duplicate-ack' }
  | { kind: 'bad-json' }
  | { kind: 'wrong-shape' };

export interface ReceivedRequest {
  readonly batchId: string;
  readonly eventIds: readonly string[];
  readonly status: number | 'dropped';
  readonly at: number;
  readonly headers: http.IncomingHttpHeaders;
}

const TOP_KEYS = ['batchId', 'deviceId', 'events', 'sentAt', 'tenantId'];
const EVENT_KEYS = ['employeeId', 'hash', 'id', 'match', 'method', 'occurredAt', 'prevHash', 'reason', 'seq', 'type', 'tzOffsetMinutes'];
const MATCH_KEYS = ['liveness', 'modelId', 'similarity'];

function sameKeys(obj: object, keys: string[]): boolean {
  return JSON.stringify(Object.keys(obj).sort()) === JSON.stringify(keys);
}

export interface ReceiverOptions {
  /** Decide a fault per request (after the queued `faults`); return null for a normal answer. */
  readonly randomFault?: (req: { batchId: string; eventIds: string[]; n: number }) => Fault | null;
  /** Events with these ids are answered in `rejected`. */
  readonly rejectIds?: ReadonlySet<string>;
  /** A batch containing any of these ids gets 400 (to exercise splitting). */
  readonly poisonIds?: ReadonlySet<string>;
  /** Max events per request, else 413. */
  readonly maxEvents?: number;
  /** Store an injected 5xx per Idempotency-Key and replay it to same-key retries (as Stripe does). */
  readonly stickyFailures?: boolean;
  /** Serve HTTPS (e.g. with requestCert for mTLS). */
  readonly tls?: https.ServerOptions;
}

export class SyncReceiver {
  readonly faults: Fault[] = [];
  readonly problems: string[] = [];
  readonly requests: ReceivedRequest[] = [];
  /** Deduplicated events by id. */
  readonly events = new Map<string, ChainedEvent>();
  readonly bySeq = new Map<number, ChainedEvent>();
  /** How many times each event id arrived in a processed batch. */
  readonly deliveries = new Map<string, number>();
  private readonly idem = new Map<string, { bodySha: string; status: number; response: string }>();
  private server: http.Server | null = null;
  private sockets = new Set<import('node:net').Socket>();
  deviceId = '';
  token = '';
  publicKeyPem = '';
  tenantId = '';
  opts: ReceiverOptions;

  constructor(opts: ReceiverOptions = {}) {
    this.opts = opts;
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo;
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${a.port}`;
  }

  setDevice(d: { deviceId: string; token: string; publicKeyPem: string; tenantId: string }): void {
    Object.assign(this, d);
  }

  async listen(): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.handle(req, res);
    this.server = this.opts.tls ? https.createServer(this.opts.tls, handler) : http.createServer(handler);
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Sorted seqs received; checks every adjacent pair links by hash. */
  chainProblems(): string[] {
    const out: string[] = [];
    const seqs = [...this.bySeq.keys()].sort((a, b) => a - b);
    for (const s of seqs) {
      const e = this.bySeq.get(s)!;
      const prev = this.bySeq.get(s - 1);
      if (prev && e.prevHash !== prev.hash) out.push(`seq ${s}: prevHash does not link to seq ${s - 1}`);
      if (s === 1 && e.prevHash !== '0'.repeat(64)) out.push('seq 1: prevHash is not genesis');
    }
    return out;
  }

  private problem(p: string): void {
    this.problems.push(p);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void this.answer(req, res, Buffer.concat(chunks)).catch((e: Error) => {
        this.problem(`receiver crashed: ${e.message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
    const m = /^\/v1\/devices\/([^/]+)\/events$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return this.send(res, 404, { error: 'not found' });
    const deviceId = decodeURIComponent(m[1]!);
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.send(res, 401, { error: 'bad token' });
    if (deviceId !== this.deviceId) this.problem(`path device ${deviceId} is not ${this.deviceId}`);
    if (req.headers['content-type'] !== 'application/json') this.problem(`content-type ${req.headers['content-type']}`);
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !/^[0-9a-f-]{36}$/.test(key)) this.problem(`bad Idempotency-Key ${String(key)}`);
    const sig = req.headers['x-signature'];
    if (typeof sig !== 'string' || !crypto.verify('sha256', raw, this.publicKeyPem, Buffer.from(sig, 'base64'))) {
      this.problem('signature does not verify');
      return this.send(res, 401, { error: 'bad signature' });
    }
    const body = JSON.parse(raw.toString('utf8')) as { batchId: string; deviceId: string; tenantId: string; events: ChainedEvent[] };
    if (!sameKeys(body, TOP_KEYS)) this.problem(`body keys ${Object.keys(body).join(',')}`);
    if (body.batchId !== key) this.problem('batchId differs from Idempotency-Key');
    if (body.deviceId !== this.deviceId || body.tenantId !== this.tenantId) this.problem('body device/tenant mismatch');
    for (const e of body.events) {
      if (!sameKeys(e, EVENT_KEYS)) this.problem(`event keys ${Object.keys(e).join(',')}`);
      if (e.match && !sameKeys(e.match, MATCH_KEYS)) this.problem(`match keys ${Object.keys(e.match).join(',')}`);
      if (computeEventHash(e) !== e.hash) this.problem(`event ${e.seq} hash does not recompute`);
    }
    const eventIds = body.events.map((e) => e.id);
    const n = this.requests.length;
    const bodySha = crypto.createHash('sha256').update(raw).digest('hex');
    const prior = this.idem.get(key as string);
    if (prior && prior.bodySha !== bodySha) this.problem(`Idempotency-Key ${String(key)} reused with different bytes`);

    const fault = this.faults.shift() ?? this.opts.randomFault?.({ batchId: body.batchId, eventIds, n }) ?? null;
    const log = (status: number | 'dropped'): void => {
      this.requests.push({ batchId: body.batchId, eventIds, status, at: Date.now(), headers: req.headers });
    };
    if (fault?.kind === 'drop') {
      log('dropped');
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      log(fault.status);
      if (this.opts.stickyFailures && fault.status >= 500) this.idem.set(key as string, { bodySha, status: fault.status, response: fault.body ?? '{"error":"injected"}' });
      return this.send(res, fault.status, fault.body ?? { error: 'injected' }, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
    }
    if (fault?.kind === 'bad-json') {
      log(200);
      return this.send(res, 200, '{"accepted": [oops');
    }
    if (fault?.kind === 'wrong-shape') {
      log(200);
      return this.send(res, 200, { accepted: 'everything' });
    }
    if (this.opts.maxEvents !== undefined && body.events.length > this.opts.maxEvents) {
      log(413);
      return this.send(res, 413, { error: 'too many events' });
    }
    if (this.opts.poisonIds && eventIds.some((id) => this.opts.poisonIds!.has(id))) {
      log(400);
      return this.send(res, 400, { error: 'malformed event' });
    }
    // Idempotent replay of a stored answer (Stripe-style).
    if (prior && prior.bodySha === bodySha && fault === null) {
      log(prior.status);
      return this.send(res, prior.status, prior.response);
    }
    const accepted: string[] = [];
    const duplicates: string[] = [];
    const rejected: Array<{ id: string; reason: string }> = [];
    for (const e of body.events) {
      this.deliveries.set(e.id, (this.deliveries.get(e.id) ?? 0) + 1);
      if (this.opts.rejectIds?.has(e.id)) {
        rejected.push({ id: e.id, reason: 'employee unknown to payroll' });
        continue;
      }
      if (this.events.has(e.id)) {
        duplicates.push(e.id);
        continue;
      }
      const other = this.bySeq.get(e.seq);
      if (other && other.id !== e.id) this.problem(`seq ${e.seq} arrived with two different ids`);
      this.events.set(e.id, e);
      this.bySeq.set(e.seq, e);
      accepted.push(e.id);
    }
    const response = JSON.stringify({ accepted, duplicates, rejected });
    this.idem.set(key as string, { bodySha, status: 200, response });
    if (fault?.kind === 'drop-after-processing') {
      log('dropped');
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') {
      await new Promise((r) => setTimeout(r, fault.ms));
      log(200);
      if (!req.socket.destroyed) this.send(res, 200, response);
      return;
    }
    if (fault?.kind === 'duplicate-ack') {
      log(200);
      return this.send(res, 200, { accepted, duplicates: [...eventIds], rejected });
    }
    log(200);
    this.send(res, 200, response);
  }
}
