/**
 * The sign-in lookup: staff type a few letters of the name (pinyin initials "zs", full pinyin
 * "zhangsan", or a mix "zhangs"/"zsan"), Chinese characters, or the last ≥4 digits of the phone, and
 * press Enter. Everything here works on keys computed once when a trainee is saved (see
 * `pinyinKeys.ts`), so the database can index them and a lookup never converts names to pinyin.
 *
 * Readings are stored as one string: variants separated by a space, syllables by an apostrophe:
 * "shan'tian'fang dan'tian'fang" (单 read as a surname, and as people often type it).
 */

export interface SearchCandidate {
  id: string;
  name: string;
  /** normalizeName(name).key */
  nameKey: string;
  /** Encoded readings, see above. */
  readings: string;
  /** Phone digits (area code + number for landlines), or null. */
  phoneDigits: string | null;
  /** Registered for the session being signed in. */
  registered?: boolean;
  /** Already has an attendance record in that session. */
  signedIn?: boolean;
}

export type LookupQuery =
  | { kind: 'empty' }
  | { kind: 'digits'; digits: string }
  | { kind: 'letters'; letters: string }
  | { kind: 'chinese'; text: string }
  | { kind: 'invalid'; message: string };

export const MIN_PHONE_TAIL = 4;

export function parseLookupQuery(raw: string): LookupQuery {
  const s = raw.normalize('NFKC').trim().toLowerCase().replace(/[\s'’]/g, '');
  if (s === '') return { kind: 'empty' };
  if (/^\d+$/.test(s)) {
    if (s.length < MIN_PHONE_TAIL) return { kind: 'invalid', message: `请至少输入手机号后${MIN_PHONE_TAIL}位` };
    return { kind: 'digits', digits: s };
  }
  if (/^[a-z]+$/.test(s)) return { kind: 'letters', letters: s.replace(/ü/g, 'v') };
  if (/^[\u3400-\u9fff\uf900-\ufaff·]+$/.test(s)) return { kind: 'chinese', text: s };
  return { kind: 'invalid', message: '请输入姓名拼音、汉字或手机号后几位（不要混合输入）' };
}

export function decodeReadings(encoded: string): string[][] {
  return encoded
    .split(' ')
    .filter(Boolean)
    .map((v) => v.split("'").filter(Boolean));
}

export function encodeReadings(readings: readonly (readonly string[])[]): string {
  return readings.map((r) => r.join("'")).join(' ');
}

const reverse = (s: string) => [...s].reverse().join('');

/**
 * Keys stored in an indexed column/table so a lookup is a handful of prefix range scans:
 * `n:` name, `f:`/`i:` full pinyin / initials from the first syllable, `g:`/`gi:` the same from the
 * second syllable (the given name alone), `p:` the phone digits reversed (a tail becomes a prefix).
 */
export function searchIndexKeys(c: Pick<SearchCandidate, 'nameKey' | 'readings' | 'phoneDigits'>): string[] {
  const keys = new Set<string>();
  keys.add(`n:${c.nameKey}`);
  for (const syl of decodeReadings(c.readings)) {
    if (syl.length === 0) continue;
    keys.add(`f:${syl.join('')}`);
    keys.add(`i:${syl.map((x) => x[0]).join('')}`);
    if (syl.length >= 2) {
      keys.add(`g:${syl.slice(1).join('')}`);
      keys.add(`gi:${syl.slice(1).map((x) => x[0]).join('')}`);
    }
  }
  if (c.phoneDigits) keys.add(`p:${reverse(c.phoneDigits)}`);
  return [...keys];
}

/** The key prefixes the database scans for a query; other matches are found among the session's registrants. */
export function lookupKeyPrefixes(q: LookupQuery): string[] {
  switch (q.kind) {
    case 'digits':
      return [`p:${reverse(q.digits)}`];
    case 'chinese':
      return [`n:${q.text}`];
    case 'letters':
      return [`f:${q.letters}`, `i:${q.letters}`, `g:${q.letters}`, `gi:${q.letters}`];
    default:
      return [];
  }
}

/**
 * Can `q` be cut into consecutive non-empty pieces, each a prefix of syllables[from], [from+1], …?
 * Returns 'all' when every syllable from `from` on is consumed, 'part' when the query ends early,
 * null when it does not fit.
 */
function syllablePrefixMatch(q: string, syl: readonly string[], from: number): 'all' | 'part' | null {
  let best: 'all' | 'part' | null = null;
  const go = (qi: number, si: number): void => {
    if (best === 'all') return;
    if (qi === q.length) {
      const r = si === syl.length ? 'all' : 'part';
      if (r === 'all' || best === null) best = r;
      return;
    }
    if (si === syl.length) return;
    const s = syl[si];
    for (let len = Math.min(s.length, q.length - qi); len >= 1; len--) {
      if (q.startsWith(s.slice(0, len), qi)) go(qi + len, si + 1);
    }
  };
  go(0, from);
  return best;
}

export type MatchedBy = 'name' | 'pinyin' | 'initials' | 'given_name' | 'phone';

export interface RankedCandidate<T extends SearchCandidate = SearchCandidate> {
  candidate: T;
  score: number;
  matchedBy: MatchedBy;
}

/** Score of one candidate, or null when it does not match. Higher is better. */
export function scoreCandidate(q: LookupQuery, c: SearchCandidate): { score: number; matchedBy: MatchedBy } | null {
  let base: { score: number; matchedBy: MatchedBy } | null = null;
  if (q.kind === 'digits') {
    if (!c.phoneDigits) return null;
    if (c.phoneDigits === q.digits) base = { score: 100, matchedBy: 'phone' };
    else if (c.phoneDigits.endsWith(q.digits)) base = { score: 85, matchedBy: 'phone' };
  } else if (q.kind === 'chinese') {
    if (c.nameKey === q.text) base = { score: 100, matchedBy: 'name' };
    else if (c.nameKey.startsWith(q.text)) base = { score: 80, matchedBy: 'name' };
    else if (c.nameKey.includes(q.text)) base = { score: 60, matchedBy: 'name' };
  } else if (q.kind === 'letters') {
    const variants = decodeReadings(c.readings);
    variants.forEach((syl, vi) => {
      const penalty = vi === 0 ? 0 : 2; // the usual reading ranks above a variant
      let hit: { score: number; matchedBy: MatchedBy } | null = null;
      if (syl.join('') === q.letters) hit = { score: 95, matchedBy: 'pinyin' };
      else if (syl.map((x) => x[0]).join('') === q.letters) hit = { score: 94, matchedBy: 'initials' };
      else {
        const fromStart = syllablePrefixMatch(q.letters, syl, 0);
        if (fromStart === 'all') hit = { score: 90, matchedBy: 'pinyin' };
        else if (fromStart === 'part') hit = { score: 75, matchedBy: q.letters.length <= syl.length ? 'initials' : 'pinyin' };
        else {
          for (let from = 1; from < syl.length && !hit; from++) {
            const r = syllablePrefixMatch(q.letters, syl, from);
            if (r === 'all') hit = { score: 55, matchedBy: 'given_name' };
            else if (r === 'part') hit = { score: 45, matchedBy: 'given_name' };
          }
        }
      }
      if (hit && (!base || hit.score - penalty > base.score)) base = { score: hit.score - penalty, matchedBy: hit.matchedBy };
    });
  }
  if (!base) return null;
  let score = base.score;
  if (c.registered) score += 5; // at the door, the people expected come first
  if (c.signedIn) score -= 3; // and those not yet signed in before those already in
  return { score, matchedBy: base.matchedBy };
}

/** One collator for every comparison (building one per localeCompare call costs far more than the compare). */
const NAME_ORDER = new Intl.Collator('zh-CN');

/** Ranks candidates (deduplicated by id), best first; ties by name then id so the order is stable. */
export function rankCandidates<T extends SearchCandidate>(q: LookupQuery, candidates: readonly T[], limit = 20): RankedCandidate<T>[] {
  const seen = new Map<string, RankedCandidate<T>>();
  for (const c of candidates) {
    const s = scoreCandidate(q, c);
    if (!s) continue;
    const prev = seen.get(c.id);
    // The same person may come from both the registrant list and the index: keep the richer one.
    if (!prev || s.score > prev.score) seen.set(c.id, { candidate: c, score: s.score, matchedBy: s.matchedBy });
  }
  return [...seen.values()]
    .sort((a, b) => b.score - a.score || NAME_ORDER.compare(a.candidate.nameKey, b.candidate.nameKey) || (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0))
    .slice(0, limit);
}

/**
 * What Enter does: sign in the top candidate when it is clearly the best (alone, or scoring above the
 * second); otherwise null, and the screen asks to choose with the arrow keys.
 */
export function pickOnEnter<T extends SearchCandidate>(ranked: readonly RankedCandidate<T>[]): RankedCandidate<T> | null {
  if (ranked.length === 0) return null;
  if (ranked.length === 1 || ranked[0].score > ranked[1].score) return ranked[0];
  return null;
}
