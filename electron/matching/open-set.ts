/**
 * @file The open-set decision: a face is someone enrolled only when its best similarity reaches
 * the threshold AND it beats the best *different* employee by at least the margin; otherwise it is
 * "unknown". The margin guards against the case where a stranger lands between two enrolled people
 * who both score near the threshold.
 */
import { InvalidInputError } from '../common/errors';
import type { Gallery, GalleryMatch } from './gallery';

export interface OpenSetPolicy {
  /** Cosine similarity needed (the embedder's threshold or settings.recognition.threshold). */
  readonly threshold: number;
  /** settings.recognition.minMargin. */
  readonly minMargin: number;
}

export type IdentifyReason = 'match' | 'below_threshold' | 'ambiguous' | 'empty_gallery';

export interface Identification {
  /** The recognised employee, or null for "unknown". */
  readonly employeeId: string | null;
  /** Best candidate even when rejected (for logs and duplicate warnings; never shown as a match). */
  readonly candidateId: string | null;
  readonly similarity: number | null;
  readonly margin: number | null;
  readonly reason: IdentifyReason;
}

export function assertOpenSetPolicy(p: OpenSetPolicy): void {
  if (!Number.isFinite(p.threshold) || p.threshold < -1 || p.threshold > 1) throw new InvalidInputError(`threshold must be within -1..1, got ${p.threshold}`);
  if (!Number.isFinite(p.minMargin) || p.minMargin < 0 || p.minMargin > 2) throw new InvalidInputError(`minMargin must be within 0..2, got ${p.minMargin}`);
}

export function decideOpenSet(match: GalleryMatch | null, policy: OpenSetPolicy): Identification {
  assertOpenSetPolicy(policy);
  if (!match) return { employeeId: null, candidateId: null, similarity: null, margin: null, reason: 'empty_gallery' };
  const base = { candidateId: match.employeeId, similarity: match.similarity, margin: match.margin };
  if (match.similarity < policy.threshold) return { ...base, employeeId: null, reason: 'below_threshold' };
  if (match.margin < policy.minMargin) return { ...base, employeeId: null, reason: 'ambiguous' };
  return { ...base, employeeId: match.employeeId, reason: 'match' };
}

/** Search the gallery and apply the open-set decision. */
export function identifyProbe(gallery: Gallery, probe: Float32Array, policy: OpenSetPolicy): Identification {
  return decideOpenSet(gallery.search(probe), policy);
}
