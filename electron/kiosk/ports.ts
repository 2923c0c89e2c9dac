/**
 * @file What the kiosk service needs from the parts other modules own, as narrow interfaces.
 * The real implementations are passed in by the composition root (Electron main, CLI, e2e
 * bridge): InferenceClient satisfies FaceAnalyzer structurally. Matching, enrolment and sync
 * status come from their own modules (electron/matching, electron/enrolment, electron/sync).
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

export interface SyncStatusValue {
  readonly enabled: boolean;
  readonly queueLength: number;
  readonly lastSuccessAt: string | null;
  readonly deadLetters: number;
  readonly unauthorized: boolean;
  readonly online: boolean;
}
