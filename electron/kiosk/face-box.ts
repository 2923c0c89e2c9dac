/**
 * @file The subject's face box as fractions of the frame (what the renderer's overlay needs),
 * and nothing else from the analysis.
 */
import type { FaceAnalysis } from '../engine/types';

export interface NormalizedBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function subjectBoxOf(a: FaceAnalysis): NormalizedBox | null {
  const face = a.faces[a.subject];
  if (!face || a.width <= 0 || a.height <= 0) return null;
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    x: r(face.box.x / a.width),
    y: r(face.box.y / a.height),
    width: r(Math.max(0, face.box.width) / a.width),
    height: r(Math.max(0, face.box.height) / a.height),
  };
}
