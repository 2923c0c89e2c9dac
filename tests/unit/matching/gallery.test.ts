import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../electron/common/errors';
import { Gallery } from '../../../electron/matching/gallery';
import { decideOpenSet, identifyProbe } from '../../../electron/matching/open-set';
import { SCORES_WASM } from '../../../electron/matching/simd-scores';
import { cosine, nearby, randomUnit, seededRandom } from '../store/store-fixtures';

const MODEL = 'mobilefacenet-128';

/** Brute-force reference: best employee, best different employee. */
function reference(rows: Array<{ emp: string; v: Float32Array }>, probe: Float32Array) {
  const best = new Map<string, number>();
  for (const r of rows) best.set(r.emp, Math.max(best.get(r.emp) ?? -Infinity, cosine(r.v, probe)));
  const sorted = [...best.entries()].sort((a, b) => b[1] - a[1]);
  return { first: sorted[0]!, second: sorted[1] ?? null };
}

describe('Gallery search', () => {
  it('the hand-assembled Wasm module validates and the SIMD kernel is used', () => {
    expect(SCORES_WASM.subarray(0, 4)).toEqual(Uint8Array.from([0, 0x61, 0x73, 0x6d]));
    expect(new Gallery(MODEL, 128).simd).toBe(true);
    expect(new Gallery(MODEL, 12).simd).toBe(false); // not a multiple of 8 → scalar loop
  });

  for (const simd of [true, false]) {
    it(`matches a brute-force reference on random data (${simd ? 'SIMD' : 'scalar'})`, () => {
      const rand = seededRandom(simd ? 1 : 2);
      const g = new Gallery(MODEL, 128, { simd });
      const rows: Array<{ emp: string; v: Float32Array }> = [];
      for (let e = 0; e < 300; e += 1) {
        const base = randomUnit(rand);
        for (let t = 0; t < 1 + (e % 4); t += 1) {
          const v = nearby(base, rand, 0.6);
          rows.push({ emp: `E${e}`, v });
          g.add(`E${e}`, `t${e}-${t}`, v);
        }
      }
      expect(g.size).toBe(rows.length);
      expect(g.employeeCount).toBe(300);
      for (let q = 0; q < 50; q += 1) {
        const probe = q % 2 ? nearby(rows[(q * 37) % rows.length]!.v, rand, 0.5) : randomUnit(rand);
        const m = g.search(probe)!;
        const ref = reference(rows, probe);
        expect(m.employeeId).toBe(ref.first[0]);
        expect(m.similarity).toBeCloseTo(ref.first[1], 5);
        expect(m.secondEmployeeId).toBe(ref.second![0]);
        expect(m.margin).toBeCloseTo(ref.first[1] - ref.second![1], 5);
      }
    });
  }

  it('several templates of one person never count as the runner-up', () => {
    const rand = seededRandom(3);
    const g = new Gallery(MODEL, 128);
    const a = randomUnit(rand);
    g.add('A', 'a1', a);
    g.add('A', 'a2', nearby(a, rand, 0.05));
    g.add('A', 'a3', nearby(a, rand, 0.05));
    const b = randomUnit(rand);
    g.add('B', 'b1', b);
    const m = g.search(a)!;
    expect(m.employeeId).toBe('A');
    expect(m.secondEmployeeId).toBe('B');
    expect(m.margin).toBeCloseTo(m.similarity - cosine(a, b), 5);
  });

  it('one enrolled employee: no runner-up, margin = similarity', () => {
    const rand = seededRandom(4);
    const g = new Gallery(MODEL, 128);
    const a = randomUnit(rand);
    g.add('A', 'a1', a);
    const m = g.search(a)!;
    expect(m).toMatchObject({ employeeId: 'A', secondEmployeeId: null, secondSimilarity: null });
    expect(m.similarity).toBeCloseTo(1, 5);
    expect(m.margin).toBeCloseTo(1, 5);
  });

  it('normalises rows and probes (scale does not change cosine)', () => {
    const rand = seededRandom(5);
    const g = new Gallery(MODEL, 128);
    const a = randomUnit(rand);
    g.add('A', 'a1', a.map((x) => x * 7));
    expect(g.search(a.map((x) => x * 0.01))!.similarity).toBeCloseTo(1, 5);
    const v = g.vectors();
    expect(cosine(v.subarray(0, 128), v.subarray(0, 128))).toBeCloseTo(1, 5);
  });

  it('grows past its initial capacity keeping every row intact', () => {
    const rand = seededRandom(6);
    const g = new Gallery(MODEL, 128);
    const vs: Float32Array[] = [];
    for (let i = 0; i < 1000; i += 1) {
      vs.push(randomUnit(rand));
      g.add(`E${i}`, `t${i}`, vs[i]!);
    }
    for (const i of [0, 63, 64, 65, 500, 999]) expect(g.search(vs[i]!)!.employeeId).toBe(`E${i}`);
  });

  it('removes employees and templates incrementally', () => {
    const rand = seededRandom(7);
    const g = new Gallery(MODEL, 128);
    const vs = Array.from({ length: 10 }, () => randomUnit(rand));
    vs.forEach((v, i) => {
      g.add(`E${i}`, `t${i}a`, v);
      g.add(`E${i}`, `t${i}b`, nearby(v, rand, 0.1));
    });
    expect(g.removeEmployee('E3')).toBe(2);
    expect(g.removeEmployee('E3')).toBe(0);
    expect(g.hasEmployee('E3')).toBe(false);
    expect(g.size).toBe(18);
    expect(g.search(vs[3]!)!.employeeId).not.toBe('E3');
    for (const i of [0, 1, 2, 4, 9]) expect(g.search(vs[i]!)!.employeeId).toBe(`E${i}`);
    expect(g.removeTemplate('t5a')).toBe(true);
    expect(g.hasEmployee('E5')).toBe(true);
    expect(g.removeTemplate('t5b')).toBe(true);
    expect(g.hasEmployee('E5')).toBe(false);
    expect(g.employeeCount).toBe(8);
    g.add('E3', 't3new', vs[3]!);
    expect(g.search(vs[3]!)!.employeeId).toBe('E3');
    g.clear();
    expect(g.size).toBe(0);
    expect(g.search(vs[0]!)).toBeNull();
  });

  it('rejects bad vectors and duplicate template ids', () => {
    const g = new Gallery(MODEL, 128);
    expect(() => g.add('A', 'a', new Float32Array(64))).toThrow(/64 dimensions/);
    expect(() => g.add('A', 'a', new Float32Array(128))).toThrow(/zero or non-finite/);
    g.add('A', 'a', randomUnit(seededRandom(8)));
    expect(() => g.add('A', 'a', randomUnit(seededRandom(9)))).toThrow(/already in the gallery/);
    expect(() => g.search(new Float32Array(12))).toThrow(InvalidInputError);
    expect(() => g.search(new Float32Array(128).fill(Number.NaN))).toThrow(/non-finite/);
    expect(() => new Gallery(MODEL, 0)).toThrow(/dimension/);
    // A failed fill adds nothing.
    expect(() => g.addWith('B', 'b', () => { throw new Error('boom'); })).toThrow('boom');
    expect(g.size).toBe(1);
    expect(g.hasEmployee('B')).toBe(false);
  });

  it('ranks employees by best similarity', () => {
    const rand = seededRandom(10);
    const g = new Gallery(MODEL, 128);
    const a = randomUnit(rand);
    g.add('A', 'a1', a);
    g.add('B', 'b1', nearby(a, rand, 0.5));
    g.add('C', 'c1', randomUnit(rand));
    expect(g.rankEmployees(a, 2).map((r) => r.employeeId)).toEqual(['A', 'B']);
  });
});

describe('open-set decision', () => {
  const policy = { threshold: 0.4, minMargin: 0.05 };
  it('matches only with similarity ≥ threshold and margin ≥ minMargin', () => {
    const m = { employeeId: 'A', secondEmployeeId: 'B', secondSimilarity: 0.2 };
    expect(decideOpenSet({ ...m, similarity: 0.7, margin: 0.5 }, policy)).toMatchObject({ employeeId: 'A', reason: 'match' });
    expect(decideOpenSet({ ...m, similarity: 0.39, margin: 0.3 }, policy)).toMatchObject({ employeeId: null, candidateId: 'A', reason: 'below_threshold' });
    expect(decideOpenSet({ ...m, similarity: 0.6, margin: 0.04 }, policy)).toMatchObject({ employeeId: null, reason: 'ambiguous' });
    expect(decideOpenSet({ ...m, similarity: 0.4, margin: 0.05 }, policy)).toMatchObject({ employeeId: 'A' });
    expect(decideOpenSet(null, policy)).toMatchObject({ employeeId: null, reason: 'empty_gallery' });
  });

  it('identifies enrolled probes and calls strangers unknown (synthetic)', () => {
    const rand = seededRandom(12);
    const g = new Gallery(MODEL, 128);
    const people = Array.from({ length: 50 }, () => randomUnit(rand));
    people.forEach((p, i) => g.add(`E${i}`, `t${i}`, nearby(p, rand, 0.3)));
    for (let i = 0; i < 50; i += 1) expect(identifyProbe(g, nearby(people[i]!, rand, 0.3), policy).employeeId).toBe(`E${i}`);
    for (let i = 0; i < 50; i += 1) expect(identifyProbe(g, randomUnit(rand), policy).employeeId).toBeNull();
  });

  it('rejects an invalid policy', () => {
    expect(() => decideOpenSet(null, { threshold: 2, minMargin: 0 })).toThrow(/threshold/);
    expect(() => decideOpenSet(null, { threshold: 0.4, minMargin: -1 })).toThrow(/minMargin/);
  });
});
