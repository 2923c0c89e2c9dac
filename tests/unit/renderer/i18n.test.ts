import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/src/i18n/en';
import { es } from '../../../renderer/src/i18n/es';
import { QUALITY_REASON_CODES } from '../../../electron/contract/channels';

function leaves(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v as object, key)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('renderer strings', () => {
  const E = leaves(en);
  const S = leaves(es);

  it('Spanish has exactly the English keys, each translated, with the same placeholders', () => {
    expect([...S.keys()].sort()).toEqual([...E.keys()].sort());
    const untranslated: string[] = [];
    for (const [k, v] of E) {
      expect(placeholders(S.get(k)!), k).toEqual(placeholders(v));
      if (S.get(k) === v && !k.startsWith('lang.') && !/^\W*$/.test(v) && v !== 'PIN') untranslated.push(k);
    }
    expect(untranslated).toEqual([]);
  });

  it('every quality reason the engine can report has guidance text', () => {
    for (const r of QUALITY_REASON_CODES) {
      expect(E.get(`guidance.${r}`), r).toBeTruthy();
      expect(S.get(`guidance.${r}`), r).toBeTruthy();
    }
  });
});
