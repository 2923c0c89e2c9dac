/**
 * @file The wire format of docs/sync-protocol.md as zod schemas. The request body is built
 * field by field from an allowlist and then parsed with `.strict()` schemas, so nothing but
 * these fields can leave the terminal — never an image, an embedding or a local-only column.
 */
import { z } from 'zod';
import { InvalidInputError } from '../common/errors';
import { EVENT_TYPES, PUNCH_METHODS, type ChainedEvent } from '../attendance/types';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const IsoUtc = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

export const WireMatchSchema = z
  .object({
    similarity: z.number().min(-1).max(1),
    liveness: z.number().min(0).max(1).nullable(),
    modelId: z.string().min(1).max(64),
  })
  .strict();

export const WireEventSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int().min(1),
    type: z.enum(EVENT_TYPES),
    employeeId: z.string().min(1).max(128),
    occurredAt: IsoUtc,
    tzOffsetMinutes: z.number().int().min(-840).max(840),
    method: z.enum(PUNCH_METHODS),
    match: WireMatchSchema.nullable(),
    reason: z.string().max(500).nullable(),
    prevHash: Hex64,
    hash: Hex64,
  })
  .strict();
export type WireEvent = z.infer<typeof WireEventSchema>;

export const BatchBodySchema = z
  .object({
    deviceId: z.string().min(1).max(64),
    tenantId: z.string().min(1).max(64),
    batchId: z.uuid(),
    sentAt: IsoUtc,
    events: z.array(WireEventSchema).min(1),
  })
  .strict();
export type BatchBody = z.infer<typeof BatchBodySchema>;

/** Missing lists count as empty; ids are strings; extra fields are ignored (forward compatible). */
export const BatchResponseSchema = z.object({
  accepted: z.array(z.string()).default([]),
  duplicates: z.array(z.string()).default([]),
  rejected: z.array(z.object({ id: z.string(), reason: z.string().max(2000).default('rejected') })).default([]),
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;

/** Copy exactly the allowlisted fields (a spread would carry whatever else the object holds). */
export function toWireEvent(e: ChainedEvent): WireEvent {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    employeeId: e.employeeId,
    occurredAt: e.occurredAt,
    tzOffsetMinutes: e.tzOffsetMinutes,
    method: e.method,
    match: e.match ? { similarity: e.match.similarity, liveness: e.match.liveness, modelId: e.match.modelId } : null,
    reason: e.reason,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/**
 * The exact body bytes for a batch. The result is re-parsed with the strict schema: an object
 * with any field outside the allowlist throws instead of being sent.
 */
export function encodeBatchBody(body: BatchBody): string {
  const r = BatchBodySchema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new InvalidInputError(`sync body refused by the allowlist at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`);
  }
  return JSON.stringify(r.data);
}

export function buildBatchBody(args: { deviceId: string; tenantId: string; batchId: string; sentAt: string; events: readonly ChainedEvent[] }): string {
  return encodeBatchBody({
    deviceId: args.deviceId,
    tenantId: args.tenantId,
    batchId: args.batchId,
    sentAt: args.sentAt,
    events: args.events.map(toWireEvent),
  });
}

/** Parse a 2xx answer; throws InvalidInputError (the relay retries later) when it is not the documented shape. */
export function parseBatchResponse(text: string): BatchResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`sync response is not JSON: ${text.slice(0, 80)}`);
  }
  const r = BatchResponseSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new InvalidInputError(`sync response has the wrong shape at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}

export function eventsUrl(endpoint: string, deviceId: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/devices/${encodeURIComponent(deviceId)}/events`;
}
