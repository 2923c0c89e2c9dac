/**
 * @file Shapes the face engine produces and consumes. Shared by the inference process, the
 * store (enrolment, identification), the kiosk service and the CLI. No image ever leaves the
 * inference process inside these: only boxes, scores, verdicts and (to the main process only)
 * embeddings.
 */

/** A decoded image or camera frame, 8-bit, row-major, no padding. */
export interface RawImage {
  readonly width: number;
  readonly height: number;
  /** 3 = RGB, 4 = RGBA (camera frames). Grayscale input is expanded on decode. */
  readonly channels: 3 | 4;
  readonly data: Uint8Array;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** YuNet output in frame coordinates. Landmarks in YuNet order: right eye, left eye, nose, right/left mouth corner (subject's). */
export interface FaceDetection {
  readonly box: Box;
  readonly landmarks: readonly [Point, Point, Point, Point, Point];
  readonly score: number;
}

/**
 * Why a face is not good enough, as codes the UI turns into guidance.
 * no_face → "step in front of the camera"; multiple_faces → "one person at a time";
 * too_small → "move closer"; too_large → "step back"; off_center → "center your face";
 * pose → "look at the camera"; blurry → "hold still"; too_dark → "more light"; too_bright → "too much light";
 * low_score → "look at the camera".
 */
export const QUALITY_REASONS = [
  'no_face',
  'multiple_faces',
  'too_small',
  'too_large',
  'off_center',
  'pose',
  'blurry',
  'too_dark',
  'too_bright',
  'low_score',
] as const;
export type QualityReason = (typeof QUALITY_REASONS)[number];

export interface QualityMetrics {
  /** Inter-ocular distance in frame pixels. */
  readonly eyeDistance: number;
  /** Largest face box side in frame pixels. */
  readonly faceSize: number;
  readonly yawRatio: number;
  readonly rollDegrees: number;
  /** Laplacian variance on the aligned 112x112 gray crop. */
  readonly sharpness: number;
  /** Mean gray level 0..255 of the aligned crop. */
  readonly brightness: number;
  readonly faceCount: number;
}

export interface QualityVerdict {
  readonly ok: boolean;
  readonly reasons: readonly QualityReason[];
  readonly metrics: QualityMetrics | null;
}

export interface LivenessVerdict {
  readonly real: boolean;
  /** Fused real-class probability 0..1 (mean of the models' softmax at class 1). */
  readonly score: number;
  /** Upstream's fused argmax label: 1 = real. */
  readonly label: number;
  /** Upstream's printed score: the winning label's summed probability / number of models (F1 prints "FakeFace Score: 0.73"). */
  readonly labelScore?: number;
}

export interface AnalyzeOptions {
  /** Run liveness (default true). */
  readonly liveness?: boolean;
  /** Compute an embedding even when quality gates fail (default false). */
  readonly embedEvenIfPoorQuality?: boolean;
  /** 'enrol' applies stricter quality gates than 'recognize'. */
  readonly purpose?: 'enrol' | 'recognize';
}

/** Timing of one analysis, milliseconds. */
export interface StageTimings {
  readonly decode: number;
  readonly detect: number;
  readonly align: number;
  readonly embed: number;
  readonly liveness: number;
  readonly total: number;
  /** Time inside onnxruntime `run()` calls only. */
  readonly model: number;
}

/** The result of analysing one frame: the largest face is the subject. */
export interface FaceAnalysis {
  readonly width: number;
  readonly height: number;
  readonly faces: readonly FaceDetection[];
  /** Index into `faces` of the subject (largest face), or -1. */
  readonly subject: number;
  readonly quality: QualityVerdict;
  readonly liveness: LivenessVerdict | null;
  /** L2-normalised embedding of the subject; only present when quality passed (or forced). */
  readonly embedding: Float32Array | null;
  readonly modelId: string;
  readonly timings: StageTimings;
}
