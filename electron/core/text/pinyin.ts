/**
 * Pinyin search keys for Chinese names, so typing `llsw` finds 邻里守望志愿服务队. Node-side (pinyin-pro carries a
 * large dictionary that the renderer does not need): keys are computed when a record is written and stored in a
 * search column.
 */
import { pinyin } from 'pinyin-pro';
import { normalizeText } from '@shared/text/normalize';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/**
 * Initials of each Chinese character, lower case, with Latin letters and digits kept as they are:
 * 邻里守望志愿服务队 → llswzyfwd, 阳光3号ABC → yg3habc. Punctuation and blanks are dropped.
 */
export function pinyinInitials(text: string | null | undefined): string {
  return convert(text, 'first');
}

/** Full pinyin without tones or blanks: 邻里守望 → linlishouwang. */
export function pinyinFull(text: string | null | undefined): string {
  return convert(text, 'full');
}

function convert(text: string | null | undefined, pattern: 'first' | 'full'): string {
  const clean = normalizeText(text);
  if (!clean) return '';
  if (!HAN.test(clean)) return clean.toLowerCase().replace(/[^a-z0-9]/g, '');
  return convertClean(clean, pattern);
}

/** `convert` of a text already cleaned and known to hold Chinese characters. */
function convertClean(clean: string, pattern: 'first' | 'full'): string {
  const parts = pinyin(clean, {
    pattern: pattern === 'first' ? 'first' : 'pinyin',
    toneType: 'none',
    type: 'array',
    nonZh: 'consecutive',
    v: true, // ü → v, as people type it
  });
  return parts
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Initials and full pinyin (the same results as `pinyinInitials` and `pinyinFull`), the text cleaned once: an
 * import computes both for every row. One call of pinyin-pro's array output gives the full syllables, and the
 * initials are taken from them (pinyin-pro's `first` pattern is the first letter of the same reading), so a name
 * is segmented once instead of twice; its `type: 'all'` output, which builds a dozen fields per character, costs
 * more than both calls.
 */
export function pinyinBoth(text: string | null | undefined): { initials: string; full: string } {
  const clean = normalizeText(text);
  if (!clean) return { initials: '', full: '' };
  if (!HAN.test(clean)) {
    const latin = clean.toLowerCase().replace(/[^a-z0-9]/g, '');
    return { initials: latin, full: latin };
  }
  const parts = pinyin(clean, { pattern: 'pinyin', toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  // Each part is either a run of the text that pinyin-pro kept as it is (non-Chinese text, or a character it has
  // no reading for: its initial is the whole run) or the syllable of one character (its initial is the first letter).
  let initials = '';
  let full = '';
  let at = 0;
  for (const part of parts) {
    full += part;
    if (part !== '' && clean.startsWith(part, at)) {
      initials += part;
      at += part.length;
    } else {
      initials += part.charAt(0);
      at += (clean.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
    }
  }
  // Should the parts ever not line up with the text, the two separate calls decide.
  if (at !== clean.length) return { initials: convertClean(clean, 'first'), full: convertClean(clean, 'full') };
  const tidy = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return { initials: tidy(initials), full: tidy(full) };
}

/**
 * One lower-case string to match a typed search term against: initials and full pinyin of each given text,
 * space-separated (e.g. the organization name and short name). `LIKE '%term%'` on it finds `llsw` and `linli`.
 */
export function pinyinSearchKey(...texts: (string | null | undefined)[]): string {
  const keys = new Set<string>();
  for (const t of texts) {
    const { initials, full } = pinyinBoth(t);
    if (initials) keys.add(initials);
    if (full) keys.add(full);
  }
  return [...keys].join(' ');
}
