/**
 * Text clean-up shared by every importer and form: spreadsheets typed in Chinese offices carry full-width
 * digits and letters (１２３, ＡＢＣ), ideographic spaces (U+3000), non-breaking and zero-width spaces, and
 * stray blanks around values. Pure functions, no Node or DOM.
 */

const FULLWIDTH_START = 0xff01; // ！
const FULLWIDTH_END = 0xff5e; // ～
const FULLWIDTH_OFFSET = 0xfee0;

/** Characters that are invisible in a cell but break equality: zero-width space/joiners, BOM, soft hyphen. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** Every kind of blank: ASCII whitespace, NBSP, ideographic space U+3000, the U+2000–U+200A spaces, etc. */
const BLANKS = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
/** Any character `normalizeText` would change or drop: full-width forms, blanks of any kind, invisible ones. */
const NEEDS_CLEANUP = /[\uff01-\uff5e\s\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\u00ad]/;
/** Any blank or invisible character (a string without one is not blank unless it is empty). */
const BLANK_OR_INVISIBLE = /[\s\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\u00ad]/;
const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const BETWEEN_CJK = new RegExp(`(?<=[${CJK}])[ ]+(?=[${CJK}])`, 'g');

const isAsciiAlnum = (code: number) =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

export interface HalfWidthOptions {
  /**
   * Also convert full-width punctuation such as （）：，－／ (default true). Set false for free prose where the
   * Chinese comma and colon should stay as typed; digits, letters and the ideographic space are always converted.
   */
  punctuation?: boolean;
}

/** Full-width ASCII variants (U+FF01–U+FF5E) → ASCII; ideographic space U+3000 → ' '. */
export function toHalfWidth(input: string, options: HalfWidthOptions = {}): string {
  const punctuation = options.punctuation ?? true;
  let out = '';
  for (const ch of input) {
    const code = ch.codePointAt(0)!;
    if (code === 0x3000) {
      out += ' ';
    } else if (code >= FULLWIDTH_START && code <= FULLWIDTH_END) {
      const ascii = code - FULLWIDTH_OFFSET;
      out += punctuation || isAsciiAlnum(ascii) ? String.fromCharCode(ascii) : ch;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Removes invisible characters, turns any run of blanks (including U+3000 and NBSP) into one space, trims. */
export function collapseSpaces(input: string): string {
  return input.replace(INVISIBLE, '').replace(BLANKS, ' ').trim();
}

/**
 * The standard clean-up of one imported or typed text value: half-width conversion, then space collapsing.
 * Returns '' for null/undefined. Use `normalizeName`, `normalizeCode` or `normalizePhone` for those fields.
 */
export function normalizeText(input: string | null | undefined, options: HalfWidthOptions = {}): string {
  if (input == null) return '';
  const text = String(input);
  // Most cells hold nothing to convert and no blank at all: then the clean-up would return them unchanged.
  if (!NEEDS_CLEANUP.test(text)) return text;
  return collapseSpaces(toHalfWidth(text, options));
}

/**
 * Free text typed in a text area (remarks): `normalizeText` line by line, keeping the line breaks (Alt+Enter in
 * Excel, a newline in the form) but not empty lines at either end. CRLF and CR become LF.
 */
export function normalizeMultiline(input: string | null | undefined, options: HalfWidthOptions = {}): string {
  if (input == null) return '';
  const lines = String(input).split(/\r\n|\r|\n/).map((l) => normalizeText(l, options));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/**
 * Names of people and organizations: like `normalizeText`, and also drops spaces between two Chinese characters
 * (`张　三` and `张 三` are typed to align two-character names; the real name is 张三). Spaces between Latin words
 * are kept.
 */
export function normalizeName(input: string | null | undefined): string {
  return normalizeText(input).replace(BETWEEN_CJK, '');
}

/** Codes (credit codes, region codes, voucher numbers): half-width, no blanks at all, upper case. */
export function normalizeCode(input: string | null | undefined): string {
  return normalizeText(input).replace(/ /g, '').toUpperCase();
}

/** Phone numbers: half-width, without blanks and the usual separators (- . ( ) ) so `138-0013 8000` → `13800138000`. */
export function normalizePhone(input: string | null | undefined): string {
  return normalizeText(input).replace(/[ \-.()]/g, '');
}

/** True when the value is null, undefined, or only blanks/invisible characters. */
export function isBlank(input: unknown): boolean {
  if (input == null) return true;
  if (typeof input !== 'string') return false;
  if (input !== '' && !BLANK_OR_INVISIBLE.test(input)) return false;
  return collapseSpaces(input) === '';
}

/**
 * Header cells of an imported table, for matching against expected titles: normalized text without any blanks,
 * without required-field marks (`*姓名`, `姓名*`, `姓名（必填）`) and line breaks. `（）` become `()`.
 */
export function normalizeHeader(input: string | null | undefined): string {
  return normalizeText(input)
    .replace(/ /g, '')
    .replace(/\((必填|选填|可选)\)$/, '')
    .replace(/^\*+|\*+$/g, '');
}
