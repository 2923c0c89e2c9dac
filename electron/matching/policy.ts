/**
 * @file Where the open-set policy comes from: settings.recognition.threshold when IT set one,
 * else a 1:N identification default per model chosen from evidence, else the embedder's manifest
 * (1:1 verification) threshold.
 *
 * Why a separate 1:N default for MobileFaceNet (0.42, above its 1:1 threshold 0.355): in 1:N a
 * stranger gets N chances to exceed the threshold, and the gallery's best-of-templates raises
 * genuine scores. On the shared faces (YuNet → alignCrop → MobileFaceNet, enrol half of each deepface
 * identity's photos, identify the rest): genuine best similarity min 0.612 (28/28 rank-1, margin ≥
 * 0.33); the face-api.js characters against the deepface gallery max 0.336; the highest impostor
 * pair anywhere 0.425. 0.42 sits above nearly all impostor pairs and ~0.19 below the weakest genuine
 * match. SFace keeps OpenCV's 0.363 (no SFace data here to calibrate on).
 */
import type { OpenSetPolicy } from './open-set';
import { assertOpenSetPolicy } from './open-set';

export const IDENTIFICATION_THRESHOLDS: Readonly<Record<string, number>> = {
  'mobilefacenet-128': 0.42,
};

export const DEFAULT_MIN_MARGIN = 0.05;

export function resolveOpenSetPolicy(
  recognition: { threshold?: number | undefined; minMargin?: number | undefined },
  embedder: { id: string; defaultThreshold: number },
): OpenSetPolicy {
  const policy = {
    threshold: recognition.threshold ?? IDENTIFICATION_THRESHOLDS[embedder.id] ?? embedder.defaultThreshold,
    minMargin: recognition.minMargin ?? DEFAULT_MIN_MARGIN,
  };
  assertOpenSetPolicy(policy);
  return policy;
}
