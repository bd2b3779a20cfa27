/**
 * Pinyin readings of a name, computed once when a trainee is saved. Kept apart from the matcher
 * because the pinyin dictionary is large and only the writer needs it.
 */
import { pinyin } from 'pinyin-pro';
import { encodeReadings } from './signinMatch';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

function clean(syllable: string): string {
  return syllable.toLowerCase().replace(/ü/g, 'v').replace(/[^a-z]/g, '');
}

/**
 * Readings of `name`: the usual one first (surname mode: 单 → shan, 曾 → zeng), then variants that
 * change one character to another of its readings (people type 单 as "dan"), and ü written as u as
 * well as v (吕 → lv, lu). At most `maxVariants`.
 */
export function nameReadings(name: string, maxVariants = 6): string[][] {
  const chars = [...name];
  const primaryRaw = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive', v: true });
  const primary = primaryRaw.map(clean).filter(Boolean);
  if (primary.length === 0) return [];
  const out: string[][] = [primary];
  const seen = new Set([primary.join("'")]);
  const push = (r: string[]) => {
    const k = r.join("'");
    if (out.length < maxVariants && !seen.has(k)) {
      seen.add(k);
      out.push(r);
    }
  };
  if (primary.some((s) => s.includes('v'))) push(primary.map((s) => s.replace(/v/g, 'u')));
  // Only when every character maps to one syllable can a variant be aligned position by position.
  const hanOnly = chars.filter((c) => HAN.test(c));
  if (hanOnly.length === primary.length) {
    hanOnly.forEach((ch, i) => {
      const alts = pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true }).map(clean).filter(Boolean);
      for (const alt of alts) {
        if (alt === primary[i]) continue;
        const r = primary.slice();
        r[i] = alt;
        push(r);
      }
    });
  }
  return out;
}

export function encodedNameReadings(name: string, maxVariants = 6): string {
  return encodeReadings(nameReadings(name, maxVariants));
}
