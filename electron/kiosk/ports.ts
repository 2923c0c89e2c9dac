/**
 * @file What the kiosk service needs from the parts other modules own, as narrow interfaces.
 * The real implementations are passed in by the composition root (Electron main, CLI, e2e
 * bridge): InferenceClient satisfies FaceAnalyzer structurally; the gallery and the sync status
 * have adapters in this folder over the real store tables.
 */
import type { AnalyzeOptions, FaceAnalysis, RawImage } from '../engine/types';

/** The subset of electron/inference/client.ts InferenceClient the service calls. */
export interface FaceAnalyzer {
  analyze(image: RawImage, opts?: AnalyzeOptions): Promise<FaceAnalysis>;
  readonly embedderId: string;
  readonly detectorId: string;
  /** The embedder's default cosine threshold (settings.recognition.threshold overrides). */
  readonly threshold: number;
  health(): { alive: boolean; restarts: number; lastError: string | null };
}

export interface IdentifyResult {
  /** Best-matching employee, or null when the gallery is empty. */
  readonly employeeId: string | null;
  readonly similarity: number;
  /** Best minus the best score of a different employee (open-set margin). */
  readonly margin: number;
  /** The open-set decision: best ≥ threshold and margin ≥ minMargin. */
  readonly accepted: boolean;
}

/** The gallery of enrolled faces for the current tenant and embedder. */
export interface FaceIdentifier {
  identify(embedding: Float32Array, opts?: { excludeEmployeeId?: string }): IdentifyResult;
  /** Re-read sealed templates after enrolment or deletion. */
  reload(): Promise<void>;
  /** Number of distinct employees with at least one template of this model. */
  readonly enrolledCount: number;
}

export interface SyncStatusValue {
  readonly enabled: boolean;
  readonly queueLength: number;
  readonly lastSuccessAt: string | null;
  readonly deadLetters: number;
  readonly unauthorized: boolean;
  readonly online: boolean;
}
