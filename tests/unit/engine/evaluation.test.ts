import { describe, expect, it } from 'vitest';
import { evaluateVerification, pairScores, parseLabelsCsv, thresholdForFmr } from '../../../electron/engine/evaluation';
import { percentile, summarizeLatencies } from '../../../electron/engine/latency';

describe('ISO/IEC 19795 rates', () => {
  const genuine = [0.9, 0.8, 0.7, 0.6, 0.2];
  const impostor = Array.from({ length: 1000 }, (_, i) => i / 2000); // 0 .. 0.4995

  it('FMR and FNMR at a threshold (match when score ≥ threshold)', () => {
    const r = evaluateVerification(genuine, impostor, 0.6);
    expect(r.atThreshold.fnmr).toBeCloseTo(0.2, 12); // only 0.2 is rejected
    expect(r.atThreshold.fmr).toBe(0);
    const low = evaluateVerification(genuine, impostor, 0.4);
    expect(low.atThreshold.fmr).toBeCloseTo(200 / 1000, 12); // 0.4 .. 0.4995
  });

  it('threshold for FMR=1e-3 lets through at most floor(1e-3·N) impostors', () => {
    const asc = Float64Array.from(impostor).sort();
    const t = thresholdForFmr(asc, 1e-3);
    expect(t).toBeGreaterThan(0.499);
    expect(t).toBeLessThan(0.4995);
    const r = evaluateVerification(genuine, impostor, 0.5);
    expect(r.fmrAtTargetThreshold).toBeLessThanOrEqual(1e-3);
    expect(r.tarAtTargetFmr).toBeCloseTo(0.8, 12);
  });

  it('EER where the curves cross; 0 for separable scores', () => {
    expect(evaluateVerification([0.9, 0.8], [0.1, 0.2], 0.5).eer).toBe(0);
    const r = evaluateVerification([0.1, 0.9], [0.2, 0.8], 0.5);
    expect(r.eer).toBeCloseTo(0.5, 12);
  });

  it('refuses empty and non-finite input', () => {
    expect(() => evaluateVerification([], [0.1], 0.5)).toThrow();
    expect(() => evaluateVerification([NaN], [0.1], 0.5)).toThrow(/finite/);
  });

  it('splits all pairs into genuine and impostor cosines', () => {
    const e = (x: number, y: number): Float32Array => Float32Array.from([x, y]);
    const s = pairScores([
      { identity: 'a', embedding: e(1, 0) },
      { identity: 'a', embedding: e(1, 0) },
      { identity: 'b', embedding: e(0, 1) },
    ]);
    expect(s.genuine).toEqual([1]);
    expect(s.impostor).toEqual([0, 0]);
  });
});

describe('labels CSV', () => {
  it('parses path,identity with quotes and extra columns', () => {
    expect(parseLabelsCsv('path,identity,notes\n"a, b.jpg",x,"n ""q"""\nc.png,y,\n')).toEqual([
      { path: 'a, b.jpg', identity: 'x' },
      { path: 'c.png', identity: 'y' },
    ]);
  });

  it('rejects a missing header column, empty cells and an empty file', () => {
    expect(() => parseLabelsCsv('file,who\na,b')).toThrow(/header/);
    expect(() => parseLabelsCsv('path,identity\na.jpg,\n')).toThrow(/line 2/);
    expect(() => parseLabelsCsv('path,identity\n')).toThrow(/no rows/);
  });
});

describe('latency summary', () => {
  it('nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(v, 50), percentile(v, 95), percentile(v, 99)]).toEqual([50, 95, 99]);
    expect(summarizeLatencies([3, 1, 2])).toMatchObject({ n: 3, p50: 2, p99: 3, mean: 2 });
    expect(() => percentile([], 50)).toThrow();
  });
});
