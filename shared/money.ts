/**
 * Money is integer 分 (fen) everywhere. This module turns what people type or banks export into fen and back,
 * working on the digits as text: no floating-point arithmetic ever touches an amount.
 *
 * Accepted (after trimming):
 * - plain or grouped digits with up to two decimals: `1234.5`, `1,234.50`, `0.07`;
 * - a currency sign `¥` / `￥` (half or full width) before the number, an optional `元` after it;
 * - full-width digits, point, comma, sign and parentheses (`１，２３４．５０`);
 * - negatives as a leading minus (`-1,234.50`, `-¥1,234.50`, `¥-1,234.50`, also `−` U+2212 and `－`) or
 *   accounting parentheses around the number (`(1,234.50)`, `(¥1,234.50)`, `¥(1,234.50)`);
 *   an explicit leading plus (`+1,234.50`) as bank exports with one signed column write it.
 * Refused with a Chinese reason: empty, more than two decimals, thousands separators in the wrong place
 * (`1,23.4`, `12,34`), European notation (`1.234,50`), a comma as the decimal point, several points, a trailing
 * minus, spaces inside the digits, `NaN`/`Infinity`/exponents, and anything beyond Number.MAX_SAFE_INTEGER fen.
 */

export type FenParse = { ok: true; fen: number } | { ok: false; error: string };

const FULL_WIDTH: Record<string, string> = {
  '．': '.',
  '，': ',',
  '－': '-',
  '−': '-',
  '＋': '+',
  '（': '(',
  '）': ')',
  '\u3000': ' ',
  '￥': '¥',
};

/** Map full-width digits and punctuation to their ASCII forms, keeping everything else. */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) out += String.fromCharCode(code - 0xff10 + 0x30);
    else out += FULL_WIDTH[ch] ?? ch;
  }
  return out;
}

const PLAIN = /^\d+(\.\d+)?$/;
const GROUPED = /^[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/;

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

function refuse(error: string): FenParse {
  return { ok: false, error };
}

/** Parse a yuan amount as typed or exported into integer fen. */
export function parseYuanToFen(input: string): FenParse {
  if (typeof input !== 'string') return refuse('金额必须是文本');
  let s = toHalfWidth(input).trim();
  if (s === '') return refuse('金额为空');

  let negative = false;
  // A leading sign may stand before or after the currency sign, but only once.
  const takeSign = () => {
    if (s.startsWith('-') || s.startsWith('+')) {
      negative = s[0] === '-';
      s = s.slice(1).trim();
      return true;
    }
    return false;
  };
  let signed = takeSign();
  if (s.startsWith('¥')) s = s.slice(1).trim();
  if (!signed) signed = takeSign();
  if (s.endsWith('元')) s = s.slice(0, -1).trim();

  if (s.startsWith('(') || s.endsWith(')')) {
    if (!(s.startsWith('(') && s.endsWith(')'))) return refuse('括号不成对');
    if (signed) return refuse('负号与括号不能同时使用');
    negative = true;
    s = s.slice(1, -1).trim();
    if (s.startsWith('¥')) s = s.slice(1).trim();
  }

  if (s === '') return refuse('金额为空');
  if (/^(nan|[+-]?infinity|inf)$/i.test(s)) return refuse(`"${input.trim()}" 不是有效的金额`);
  if (/[eE]/.test(s) && /\d/.test(s)) return refuse('金额不能使用科学计数法');
  if (/[+-]/.test(s)) return refuse('正负号位置不对（只能写在金额最前面）');
  if (/\s/.test(s)) return refuse('金额数字中间不能有空格');
  if (/[^\d.,]/.test(s)) return refuse(`"${input.trim()}" 不是有效的金额`);

  const dots = (s.match(/\./g) ?? []).length;
  if (dots > 1) return refuse('金额中有多个小数点（不接受 1.234.567 这类写法）');
  if (s.includes(',') && s.includes('.') && s.lastIndexOf(',') > s.indexOf('.')) {
    return refuse('疑似欧式写法（逗号作小数点），请写成 1,234.50');
  }
  if (s.startsWith('.') || s.endsWith('.')) return refuse('小数点前后都要有数字');
  const [intPart, fracPart = ''] = s.split('.');
  if (intPart.includes(',')) {
    if (!GROUPED.test(s)) {
      // A single comma followed by one or two digits at the end reads like a decimal comma.
      if (dots === 0 && /,\d{1,2}$/.test(s)) return refuse('不能用逗号作小数点，请写成 1234.50');
      return refuse('千分位逗号位置不对（应每三位一组，如 1,234,567.00）');
    }
  } else if (!PLAIN.test(s)) {
    return refuse(`"${input.trim()}" 不是有效的金额`);
  }
  if (fracPart.length > 2) return refuse('金额最多两位小数（到分）');

  const digits = intPart.replace(/,/g, '');
  const fen = BigInt(digits) * 100n + BigInt((fracPart + '00').slice(0, 2));
  if (fen > MAX_FEN) return refuse('金额过大，超出可处理范围');
  const n = Number(fen);
  return { ok: true, fen: negative && n !== 0 ? -n : n };
}

/**
 * Read an amount cell from an imported table: text goes through `parseYuanToFen`; a number (an xlsx numeric
 * cell holds yuan) goes through its shortest decimal form, so 1234.5 → "1234.5" and a float artefact such as
 * 0.30000000000000004 is refused as having too many decimals rather than rounded silently.
 */
export function parseYuanCell(value: unknown): FenParse {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return refuse('不是有效的金额');
    const text = String(value);
    if (/e/i.test(text)) {
      // Tiny or huge numbers print with an exponent; neither is a plausible amount.
      return Math.abs(value) < 1 ? refuse('金额最多两位小数（到分）') : refuse('金额过大，超出可处理范围');
    }
    return parseYuanToFen(text);
  }
  if (typeof value === 'string') return parseYuanToFen(value);
  if (value === null || value === undefined) return refuse('金额为空');
  return refuse('不是有效的金额');
}

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`金额必须是以分为单位的安全整数: ${fen}`);
}

function groupDigits(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

/** `123450` → `1,234.50` (no currency sign; negatives as `-1,234.50`). */
export function formatFenPlain(fen: number): string {
  assertFen(fen);
  const negative = fen < 0;
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const body = `${groupDigits(digits.slice(0, -2))}.${digits.slice(-2)}`;
  return negative ? `-${body}` : body;
}

/** `123450` → `¥1,234.50`; `-123450` → `-¥1,234.50`. */
export function formatFen(fen: number): string {
  const plain = formatFenPlain(fen);
  return plain.startsWith('-') ? `-¥${plain.slice(1)}` : `¥${plain}`;
}

/** `123450` → `1234.50`: the machine form for exports that want yuan text without grouping. */
export function fenToYuanText(fen: number): string {
  return formatFenPlain(fen).replace(/,/g, '');
}

/** Add amounts, refusing to leave the safe-integer range (never silently loses a fen). */
export function sumFen(amounts: Iterable<number>): number {
  let total = 0;
  for (const a of amounts) {
    assertFen(a);
    total += a;
    if (!Number.isSafeInteger(total)) throw new RangeError('金额合计超出可处理范围');
  }
  return total;
}

/** 大写金额 for vouchers and statements, e.g. 1234.50 → 壹仟贰佰叁拾肆元伍角整. */
export function fenToChineseUpper(fen: number): string {
  assertFen(fen);
  if (fen === 0) return '零元整';
  const negative = fen < 0;
  const digits = '零壹贰叁肆伍陆柒捌玖';
  const units = ['', '拾', '佰', '仟'];
  const big = ['', '万', '亿', '万亿'];
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const jiao = Math.floor(abs / 10) % 10;
  const fenDigit = abs % 10;
  let intText = '';
  if (yuan > 0) {
    const s = String(yuan);
    const groups: string[] = [];
    for (let end = s.length; end > 0; end -= 4) groups.unshift(s.slice(Math.max(0, end - 4), end));
    let zeroPending = false;
    groups.forEach((g, gi) => {
      const bigUnit = big[groups.length - 1 - gi] ?? '';
      let groupText = '';
      const padded = g.padStart(4, '0');
      for (let i = 0; i < 4; i++) {
        const d = Number(padded[i]);
        if (d === 0) {
          if (groupText !== '' || intText !== '') zeroPending = true;
        } else {
          if (zeroPending) groupText += '零';
          zeroPending = false;
          groupText += digits[d] + units[3 - i];
        }
      }
      if (groupText !== '') intText += groupText + bigUnit;
    });
    intText += '元';
  }
  let fracText = '';
  if (jiao === 0 && fenDigit === 0) fracText = '整';
  else {
    if (jiao > 0) fracText += digits[jiao] + '角';
    else if (yuan > 0) fracText += '零';
    if (fenDigit > 0) fracText += digits[fenDigit] + '分';
    else fracText += '整';
  }
  return (negative ? '负' : '') + intText + fracText;
}

export type AmountSide = 'debit' | 'credit';
export type SidedFenParse = { ok: true; fen: number; side: AmountSide | null } | { ok: false; error: string };

const SIDE_MARK = /^(?:[(（\[【]?\s*(借|贷)(?:方)?\s*[)）\]】]?)[:：]?\s*|\s*[(（\[【]?\s*(借|贷)(?:方)?\s*[)）\]】]?$/;

/**
 * An amount cell that may carry a 借/贷 marker, as ledgers and some banks write one signed column: `借 1,234.50`,
 * `1,234.50贷`, `(借)1,234.50`, `贷方 ￥1,234.50`. Returns the amount (as `parseYuanCell`) and the side; a
 * marker with a minus sign or parentheses is refused as ambiguous.
 */
export function parseSidedAmount(value: unknown): SidedFenParse {
  if (typeof value !== 'string') {
    const r = parseYuanCell(value);
    return r.ok ? { ok: true, fen: r.fen, side: null } : r;
  }
  let text = value.trim();
  let side: AmountSide | null = null;
  for (let k = 0; k < 2; k++) {
    const m = SIDE_MARK.exec(text);
    if (!m || m[0] === '') break;
    const mark = (m[1] ?? m[2]) as '借' | '贷';
    const s: AmountSide = mark === '借' ? 'debit' : 'credit';
    if (side && side !== s) return { ok: false, error: '金额同时标了"借"和"贷"' };
    side = s;
    text = (text.slice(0, m.index) + text.slice(m.index + m[0].length)).trim();
  }
  const r = parseYuanToFen(text);
  if (!r.ok) return r;
  if (side && r.fen < 0) return { ok: false, error: '标了借/贷的金额不能再带负号或括号' };
  return { ok: true, fen: r.fen, side };
}
