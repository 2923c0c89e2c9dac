/**
 * @file The sync relay: takes batches from the outbox, signs them, POSTs them one at a time
 * and applies the answer exactly as docs/sync-protocol.md says. It never throws out of its
 * loop: every failure becomes a state (waiting, unauthorised, not provisioned) and a log line.
 */
import type http from 'node:http';
import { onEventRecorded } from '../attendance/notify';
import { NetworkError, NotFoundError, toErrorValue } from '../common/errors';
import type { Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';
import { DEFAULT_BACKOFF, parseRetryAfterMs, retryDelayMs, type BackoffPolicy } from './backoff';
import { deviceVersion, markDeviceUnauthorised, recordSyncError, recordSyncSuccess, unlockDeviceSecrets, type DeviceSecrets } from './device-identity';
import { completeBatch, deferBatch, expediteNetworkRetries, expediteRetriesOnStart, nextBatch, reissueBatch, splitBatch, type OutboxBatch } from './outbox';
import { eventsUrl, parseBatchResponse } from './protocol';
import { signBody } from './signing';
import { createAgent, postJson } from './transport';

export interface RelayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const silentLogger: RelayLogger = { info: () => undefined, warn: () => undefined };

export interface RelayOptions {
  readonly keys: KeyProvider;
  /** The provisioned endpoint (settings.endpoint); read on every attempt so re-provisioning applies. */
  readonly getEndpoint: () => string | undefined;
  /** settings.sync.batchSize (default 500). */
  readonly batchSize?: number | (() => number);
  readonly backoff?: Partial<BackoffPolicy>;
  /** Deadline for one POST, connect to last byte (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Failed attempts after which a batch's events are re-sent under a new batch id (default 12). */
  readonly maxAttemptsPerBatch?: number;
  /** How often an idle relay looks for events written by another process (default 30 s). */
  readonly idlePollMs?: number;
  readonly random?: () => number;
  readonly logger?: RelayLogger;
}

export type StepResult =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not_provisioned' }
  | { readonly kind: 'no_endpoint' }
  | { readonly kind: 'unauthorised'; readonly reason: string }
  | { readonly kind: 'waiting'; readonly untilMs: number }
  | { readonly kind: 'sent'; readonly accepted: number; readonly duplicates: number; readonly rejected: number; readonly requeued: number }
  | { readonly kind: 'deferred'; readonly error: string; readonly delayMs: number }
  | { readonly kind: 'split'; readonly deadLettered: number; readonly status: number };

export interface SyncSummary {
  requests: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  retries: number;
  splits: number;
}

export interface DrainResult {
  /** 'drained' = queue empty; otherwise why it stopped. */
  readonly outcome: 'drained' | 'unauthorised' | 'not_provisioned' | 'no_endpoint' | 'timeout' | 'stopped';
  readonly summary: SyncSummary;
  readonly detail?: string;
}

const running = new Set<SyncRelay>();

/**
 * The shell calls this when the OS reports the network changed (Electron `net` online events,
 * powerMonitor resume): batches waiting out a network failure are retried at once.
 */
export function notifyNetworkChanged(): void {
  for (const r of running) r.networkChanged();
}

function truncate(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

export class SyncRelay {
  readonly summary: SyncSummary = { requests: 0, accepted: 0, duplicates: 0, rejected: 0, retries: 0, splits: 0 };
  private secrets: DeviceSecrets | null = null;
  private agent: http.Agent | null = null;
  private agentKey = '';
  private readonly policy: BackoffPolicy;
  private readonly log: RelayLogger;
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private unsubscribe: (() => void) | null = null;
  private expedited = false;
  /** Answers that moved nothing (2xx naming no event of the batch) in a row: back off. */
  private noProgress = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: RelayOptions,
  ) {
    this.policy = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.log = opts.logger ?? silentLogger;
  }

  private batchSize(): number {
    const b = this.opts.batchSize;
    return typeof b === 'function' ? b() : (b ?? 500);
  }

  private async ensureSecrets(): Promise<DeviceSecrets | null> {
    const v = deviceVersion(this.db);
    if (v === null) return null;
    if (!this.secrets || this.secrets.version !== v) {
      this.secrets = await unlockDeviceSecrets(this.db, this.opts.keys);
    }
    return this.secrets;
  }

  private agentFor(url: string, s: DeviceSecrets): http.Agent {
    const key = `${new URL(url).origin}|${s.version}`;
    if (!this.agent || this.agentKey !== key) {
      this.agent?.destroy();
      this.agent = createAgent(url, {
        ...(s.clientCertificate ? { certPem: s.clientCertificate.certPem, keyPem: s.clientCertificate.keyPem } : {}),
        ...(s.serverCaPem ? { caPem: s.serverCaPem } : {}),
      });
      this.agentKey = key;
    }
    return this.agent;
  }

  private defer(batch: OutboxBatch, who: { deviceId: string; tenantId: string }, reason: string, retryAfterMs: number | null): StepResult {
    const delayMs = retryDelayMs(batch.attempts, retryAfterMs, this.policy, this.opts.random);
    // Marked so a restart does not cut short a wait the server asked for.
    const error = retryAfterMs !== null ? `server-wait: ${reason}` : reason;
    if (batch.attempts + 1 >= (this.opts.maxAttemptsPerBatch ?? 12)) {
      const next = reissueBatch(this.db, batch.batchId, who, Date.now() + delayMs, error);
      this.log.warn({ batchId: batch.batchId, newBatchId: next, attempts: batch.attempts + 1 }, 'sync batch failed too often under one key; re-sent under a new batch id');
    } else {
      deferBatch(this.db, batch.batchId, delayMs, error);
    }
    recordSyncError(this.db, error);
    this.summary.retries += 1;
    this.log.warn({ batchId: batch.batchId, attempt: batch.attempts + 1, delayMs, error }, 'sync batch will be retried');
    return { kind: 'deferred', error, delayMs };
  }

  /** One attempt at the head of the queue. */
  async step(now: () => number = Date.now): Promise<StepResult> {
    const secrets = await this.ensureSecrets();
    if (!secrets) return { kind: 'not_provisioned' };
    const dev = this.db.prepare('SELECT unauthorised, unauthorised_reason FROM device WHERE singleton = 1').get() as
      | { unauthorised: number; unauthorised_reason: string | null }
      | undefined;
    if (dev?.unauthorised === 1) return { kind: 'unauthorised', reason: dev.unauthorised_reason ?? 'unauthorised' };
    const endpoint = this.opts.getEndpoint();
    if (!endpoint) return { kind: 'no_endpoint' };
    const batch = nextBatch(this.db, { deviceId: secrets.deviceId, tenantId: secrets.tenantId }, this.batchSize());
    if (!batch) return { kind: 'empty' };
    if (batch.nextAttemptAt > now()) return { kind: 'waiting', untilMs: batch.nextAttemptAt };
    if (this.noProgress > 0) {
      // The previous answer moved nothing: wait before asking again (server bug, not a hot loop).
      const wait = retryDelayMs(this.noProgress - 1, null, this.policy, this.opts.random);
      this.noProgress = 0;
      deferBatch(this.db, batch.batchId, wait, 'no-progress: the last answer named none of its events');
      return { kind: 'waiting', untilMs: now() + wait };
    }

    const url = eventsUrl(endpoint, secrets.deviceId);
    const headers = {
      Authorization: `Bearer ${secrets.deviceToken}`,
      'Idempotency-Key': batch.batchId,
      'Content-Type': 'application/json',
      'X-Signature': signBody(secrets.privateKey, batch.body),
    };
    this.summary.requests += 1;
    let res;
    try {
      res = await postJson({ url, headers, body: batch.body, timeoutMs: this.opts.requestTimeoutMs ?? 30_000, agent: this.agentFor(url, secrets) });
    } catch (e) {
      if (e instanceof NetworkError) return this.defer(batch, secrets, `network: ${e.message}`, null);
      throw e;
    }
    const { status } = res;
    if (status >= 200 && status < 300) {
      let parsed;
      try {
        parsed = parseBatchResponse(res.text);
      } catch (e) {
        return this.defer(batch, secrets, `bad-response: ${(e as Error).message}`, null);
      }
      const out = completeBatch(this.db, batch.batchId, parsed);
      recordSyncSuccess(this.db, new Date(now()).toISOString());
      this.summary.accepted += out.accepted;
      this.summary.duplicates += out.duplicates;
      this.summary.rejected += out.rejected;
      if (out.done + out.rejected === 0) this.noProgress += 1;
      else this.noProgress = 0;
      this.log.info({ batchId: batch.batchId, ...out }, 'sync batch answered');
      return { kind: 'sent', accepted: out.accepted, duplicates: out.duplicates, rejected: out.rejected, requeued: out.requeued };
    }
    if (status === 401 || status === 403) {
      const reason = `HTTP ${status}: ${truncate(res.text.trim()) || 'refused'}`;
      markDeviceUnauthorised(this.db, reason);
      recordSyncError(this.db, reason);
      this.log.warn({ status }, 'cloud refused this device; sync stopped until it is re-provisioned');
      return { kind: 'unauthorised', reason };
    }
    if (status === 400 || status === 413) {
      const reason = `HTTP ${status}: ${truncate(res.text.trim()) || 'refused'}`;
      const dead = splitBatch(this.db, batch.batchId, { deviceId: secrets.deviceId, tenantId: secrets.tenantId }, reason);
      this.summary.splits += 1;
      this.summary.rejected += dead;
      this.log.warn({ batchId: batch.batchId, status, events: batch.eventIds.length, deadLettered: dead }, 'sync batch refused; split to isolate the event');
      return { kind: 'split', deadLettered: dead, status };
    }
    const retryAfter = status === 429 || status === 503 ? parseRetryAfterMs(headerOf(res.headers['retry-after']), now()) : null;
    return this.defer(batch, secrets, `http: ${status} ${truncate(res.text.trim(), 80)}`, retryAfter);
  }

  /** Send until the queue is empty, honouring backoff, or until blocked / `timeoutMs` passes. */
  async drain(opts: { timeoutMs?: number } = {}): Promise<DrainResult> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    this.expediteOnce();
    const wasStopped = this.stopped;
    this.stopped = false;
    try {
      for (;;) {
        if (Date.now() > deadline) return { outcome: 'timeout', summary: this.summary };
        const r = await this.step();
        if (r.kind === 'empty') return { outcome: 'drained', summary: this.summary };
        if (r.kind === 'unauthorised') return { outcome: 'unauthorised', summary: this.summary, detail: r.reason };
        if (r.kind === 'not_provisioned' || r.kind === 'no_endpoint') return { outcome: r.kind, summary: this.summary };
        if (r.kind === 'waiting') {
          if (r.untilMs > deadline) return { outcome: 'timeout', summary: this.summary, detail: 'next retry is after the deadline' };
          await this.sleep(r.untilMs - Date.now());
          if (this.stopped) return { outcome: 'stopped', summary: this.summary };
        }
      }
    } finally {
      this.stopped = wasStopped;
    }
  }

  /** Run until stop(): wakes on new events, on network changes and on its own retry timer. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    running.add(this);
    this.unsubscribe = onEventRecorded(() => this.wake());
    this.expediteOnce();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const idle = this.opts.idlePollMs ?? 30_000;
    while (!this.stopped) {
      let r: StepResult;
      try {
        r = await this.step();
      } catch (e) {
        // Never crash the app over sync: a wrong key or a DB hiccup is logged and retried later.
        const v = toErrorValue(e);
        this.log.warn({ code: v.code, error: v.message }, 'sync relay step failed');
        if (!(e instanceof NotFoundError)) recordSafe(() => recordSyncError(this.db, `${v.code}: ${v.message}`));
        await this.sleep(idle);
        continue;
      }
      if (r.kind === 'waiting') await this.sleep(r.untilMs - Date.now());
      else if (r.kind === 'empty' || r.kind === 'not_provisioned' || r.kind === 'no_endpoint' || r.kind === 'unauthorised') await this.sleep(idle);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    running.delete(this);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake();
    await this.loop;
    this.loop = null;
    this.agent?.destroy();
    this.agent = null;
  }

  /** Re-evaluate now (a new event, a re-provision). Does not cut a batch's backoff short. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private expediteOnce(): void {
    if (this.expedited) return;
    this.expedited = true;
    recordSafe(() => expediteRetriesOnStart(this.db));
  }

  networkChanged(): void {
    recordSafe(() => expediteNetworkRetries(this.db));
    this.wake();
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopped || ms <= 0) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = finish;
    });
  }
}

function headerOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function recordSafe(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // best effort bookkeeping
  }
}

/** Create and start the relay (the shell calls this at boot). */
export function startSyncRelay(db: Db, opts: RelayOptions): SyncRelay {
  const relay = new SyncRelay(db, opts);
  relay.start();
  return relay;
}
