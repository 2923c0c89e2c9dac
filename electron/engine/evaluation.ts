/**
 * @file Verification accuracy in ISO/IEC 19795-1 terms from genuine (same person) and impostor
 * (different people) comparison scores, where a higher score means more similar and a pair
 * matches when score ≥ threshold:
 *   FMR  = impostor comparisons wrongly declared a match / impostor comparisons
 *   FNMR = genuine comparisons wrongly declared a non-match / genuine comparisons
 *   EER  = the rate where FMR and FNMR are equal (interpolated at the closest threshold)
 *   TAR@FMR=x = 1 − FNMR at the lowest threshold whose FMR ≤ x.
 * Failures to acquire (no face found) are counted separately (FTA), not folded into FNMR.
 */

export interface RateAt {
  readonly threshold: number;
  readonly fmr: number;
  readonly fnmr: number;
}

export interface VerificationReport {
  readonly genuinePairs: number;
  readonly impostorPairs: number;
  readonly atThreshold: RateAt;
  readonly eer: number;
  readonly eerThreshold: number;
  /** Target FMR used for the two fields below (1e-3). */
  readonly targetFmr: number;
  readonly thresholdAtTargetFmr: number;
  readonly tarAtTargetFmr: number;
  readonly fmrAtTargetThreshold: number;
  readonly genuine: { readonly min: number; readonly mean: number; readonly p05: number };
  readonly impostor: { readonly max: number; readonly mean: number; readonly p95: number };
}

/** Fraction of `sortedAsc` values ≥ t. */
function fractionAtLeast(sortedAsc: Float64Array, t: number): number {
  let lo = 0;
  let hi = sortedAsc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedAsc[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return (sortedAsc.length - lo) / sortedAsc.length;
}

export function ratesAt(genuineAsc: Float64Array, impostorAsc: Float64Array, threshold: number): RateAt {
  return { threshold, fmr: fractionAtLeast(impostorAsc, threshold), fnmr: 1 - fractionAtLeast(genuineAsc, threshold) };
}

const quantile = (asc: Float64Array, q: number): number => asc[Math.min(asc.length - 1, Math.max(0, Math.floor(q * (asc.length - 1))))]!;

/** Smallest threshold at which at most floor(target·N) impostor scores are ≥ it: just above the (k+1)-th highest. */
export function thresholdForFmr(impostorAsc: Float64Array, targetFmr: number): number {
  const n = impostorAsc.length;
  const k = Math.floor(targetFmr * n);
  if (k >= n) return -Infinity;
  const v = impostorAsc[n - 1 - k]!;
  // The next double above v: the smallest threshold that rejects that impostor.
  return v + Math.max(Math.abs(v) * Number.EPSILON, Number.MIN_VALUE) * 2;
}

export function evaluateVerification(genuine: readonly number[], impostor: readonly number[], threshold: number, targetFmr = 1e-3): VerificationReport {
  if (genuine.length === 0 || impostor.length === 0) throw new Error('evaluation needs at least one genuine and one impostor pair');
  if ([...genuine, ...impostor].some((s) => !Number.isFinite(s))) throw new Error('scores must be finite');
  const g = Float64Array.from(genuine).sort();
  const im = Float64Array.from(impostor).sort();
  // EER: scan every distinct score as a threshold, keep the one where |FMR − FNMR| is smallest.
  const candidates = Float64Array.from(new Set([...g, ...im])).sort();
  let best = ratesAt(g, im, candidates[0]!);
  for (const t of candidates) {
    const r = ratesAt(g, im, t);
    if (Math.abs(r.fmr - r.fnmr) < Math.abs(best.fmr - best.fnmr)) best = r;
  }
  const tFmr = thresholdForFmr(im, targetFmr);
  const atT = ratesAt(g, im, tFmr);
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  return {
    genuinePairs: g.length,
    impostorPairs: im.length,
    atThreshold: ratesAt(g, im, threshold),
    eer: (best.fmr + best.fnmr) / 2,
    eerThreshold: best.threshold,
    targetFmr,
    thresholdAtTargetFmr: tFmr,
    tarAtTargetFmr: 1 - atT.fnmr,
    fmrAtTargetThreshold: atT.fmr,
    genuine: { min: g[0]!, mean: mean(g), p05: quantile(g, 0.05) },
    impostor: { max: im[im.length - 1]!, mean: mean(im), p95: quantile(im, 0.95) },
  };
}

export interface LabelRow {
  readonly path: string;
  readonly identity: string;
}

/** Split one CSV line honouring double quotes (RFC 4180). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parse a `path,identity` labels CSV (header required; extra columns ignored). */
export function parseLabelsCsv(text: string): LabelRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const pi = header.indexOf('path');
  const ii = header.indexOf('identity');
  if (pi < 0 || ii < 0) throw new Error('labels CSV must have a header with "path" and "identity" columns');
  const rows: LabelRow[] = [];
  lines.slice(1).forEach((line, n) => {
    const cells = splitCsvLine(line);
    const p = cells[pi]?.trim();
    const id = cells[ii]?.trim();
    if (!p || !id) throw new Error(`labels CSV line ${n + 2}: empty path or identity`);
    rows.push({ path: p, identity: id });
  });
  if (rows.length === 0) throw new Error('labels CSV has no rows');
  return rows;
}

/** All unordered pairs (i < j) of embeddings split into genuine and impostor cosine scores. */
export function pairScores(items: readonly { identity: string; embedding: Float32Array }[]): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j]!;
      let dot = 0;
      for (let k = 0; k < a.embedding.length; k++) dot += a.embedding[k]! * b.embedding[k]!;
      (a.identity === b.identity ? genuine : impostor).push(dot);
    }
  }
  return { genuine, impostor };
}
