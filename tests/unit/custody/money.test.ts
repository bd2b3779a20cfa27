import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fenToChineseUpper,
  fenToYuanText,
  formatFen,
  formatFenPlain,
  parseYuanCell,
  parseYuanToFen,
  sumFen,
} from '@shared/money';

const ok = (text: string) => {
  const r = parseYuanToFen(text);
  if (!r.ok) throw new Error(`expected ${text} to parse, got ${r.error}`);
  return r.fen;
};
const refused = (text: string) => {
  const r = parseYuanToFen(text);
  if (r.ok) throw new Error(`expected ${text} to be refused, got ${r.fen}`);
  return r.error;
};

describe('parseYuanToFen accepts the usual forms', () => {
  it.each([
    ['1234.5', 123450],
    ['1234.50', 123450],
    ['1,234.50', 123450],
    ['￥1234.50', 123450],
    ['¥1,234.50', 123450],
    ['¥ 1,234.50', 123450],
    ['１２３４．５０', 123450],
    ['１，２３４．５', 123450],
    ['￥１，２３４．５０', 123450],
    ['1234', 123400],
    ['1,234,567.89', 123456789],
    ['0.07', 7],
    ['0.1', 10],
    ['  88 ', 8800],
    ['1234.50元', 123450],
    ['+1,234.50', 123450],
    ['0', 0],
    ['-0.00', 0],
  ])('%s → %d fen', (text, fen) => {
    expect(ok(text)).toBe(fen);
  });

  it.each([
    ['-1234.5', -123450],
    ['-1,234.50', -123450],
    ['-¥1,234.50', -123450],
    ['¥-1,234.50', -123450],
    ['－１２３４．５', -123450],
    ['−12.00', -1200],
    ['(1,234.50)', -123450],
    ['(¥1,234.50)', -123450],
    ['¥(1,234.50)', -123450],
    ['（１２３４．５０）', -123450],
  ])('negative %s → %d fen', (text, fen) => {
    expect(ok(text)).toBe(fen);
  });

  it('returns 0, not -0, for a negative zero', () => {
    expect(Object.is(ok('-0'), 0)).toBe(true);
    expect(Object.is(ok('(0.00)'), 0)).toBe(true);
  });

  it('handles the largest safe amount exactly', () => {
    // 90071992547409.91 yuan = MAX_SAFE_INTEGER fen
    expect(ok('90,071,992,547,409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(ok('-90071992547409.91')).toBe(-Number.MAX_SAFE_INTEGER);
  });
});

describe('parseYuanToFen refuses anything ambiguous, in Chinese', () => {
  it.each([
    ['', '金额为空'],
    ['   ', '金额为空'],
    ['¥', '金额为空'],
    ['1234.567', '最多两位小数'],
    ['1.234', '最多两位小数'],
    ['1,23.4', '千分位'],
    ['12,34', '逗号作小数点'],
    ['1234,50', '逗号作小数点'],
    ['1,2345.00', '千分位'],
    ['01,234.00', '千分位'],
    ['1.234,50', '欧式'],
    ['1.234.567', '多个小数点'],
    ['NaN', '不是有效的金额'],
    ['Infinity', '不是有效的金额'],
    ['-Infinity', '不是有效的金额'],
    ['1e5', '科学计数法'],
    ['12 345.00', '空格'],
    ['1234.50-', '正负号位置'],
    ['--5', '正负号位置'],
    ['-(5)', '负号与括号'],
    ['(5', '括号不成对'],
    ['.5', '小数点前后'],
    ['5.', '小数点前后'],
    ['abc', '不是有效的金额'],
    ['1.5万', '不是有效的金额'],
    ['$12', '不是有效的金额'],
    ['90071992547409.92', '金额过大'],
    ['999999999999999999999', '金额过大'],
  ])('%j is refused (%s)', (text, reason) => {
    expect(refused(text)).toContain(reason);
  });

  it('refuses non-string input', () => {
    expect(parseYuanToFen(12 as unknown as string).ok).toBe(false);
  });
});

describe('parseYuanCell reads numeric xlsx cells without float arithmetic', () => {
  it('reads numbers through their shortest decimal text', () => {
    expect(parseYuanCell(1234.5)).toEqual({ ok: true, fen: 123450 });
    expect(parseYuanCell(-88)).toEqual({ ok: true, fen: -8800 });
    expect(parseYuanCell(0.07)).toEqual({ ok: true, fen: 7 });
  });
  it('refuses float artefacts, non-finite and empty cells', () => {
    expect(parseYuanCell(0.1 + 0.2).ok).toBe(false);
    expect(parseYuanCell(Number.NaN).ok).toBe(false);
    expect(parseYuanCell(1e-7).ok).toBe(false);
    expect(parseYuanCell(1e25).ok).toBe(false);
    expect(parseYuanCell(null).ok).toBe(false);
    expect(parseYuanCell({}).ok).toBe(false);
    expect(parseYuanCell('1,234.50')).toEqual({ ok: true, fen: 123450 });
  });
});

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [7, '¥0.07'],
    [10, '¥0.10'],
    [123450, '¥1,234.50'],
    [100000000, '¥1,000,000.00'],
    [-123450, '-¥1,234.50'],
    [-5, '-¥0.05'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('%d → %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
  it('has plain and machine forms', () => {
    expect(formatFenPlain(-123450)).toBe('-1,234.50');
    expect(fenToYuanText(123456789)).toBe('1234567.89');
  });
  it('throws on a non-integer or unsafe amount', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
    expect(() => formatFen(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => formatFen(Number.NaN)).toThrow(RangeError);
  });
});

describe('round trips (property)', () => {
  const safeFen = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  it('parse(formatFen(x)) === x', () => {
    fc.assert(fc.property(safeFen, (fen) => ok(formatFen(fen)) === fen), { numRuns: 2000 });
  });
  it('parse(formatFenPlain(x)) and parse(fenToYuanText(x)) === x', () => {
    fc.assert(
      fc.property(safeFen, (fen) => ok(formatFenPlain(fen)) === fen && ok(fenToYuanText(fen)) === fen),
      { numRuns: 2000 },
    );
  });
  it('accounting parentheses and full-width forms parse to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), (fen) => {
        const plain = formatFenPlain(fen);
        const fullWidth = plain.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace('.', '．');
        return ok(`(${plain})`) === -fen && ok(`￥${fullWidth}`) === fen;
      }),
      { numRuns: 500 },
    );
  });
  it('any digit string with three or more decimals is refused', () => {
    fc.assert(
      fc.property(fc.nat(), fc.stringMatching(/^\d{3,6}$/), (i, frac) => !parseYuanToFen(`${i}.${frac}`).ok),
    );
  });
});

describe('sumFen and 大写', () => {
  it('sums exactly and refuses overflow', () => {
    expect(sumFen([10, 20, -5])).toBe(25);
    expect(() => sumFen([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
    expect(() => sumFen([0.5])).toThrow(RangeError);
  });
  it.each([
    [0, '零元整'],
    [123450, '壹仟贰佰叁拾肆元伍角整'],
    [100, '壹元整'],
    [105, '壹元零伍分'],
    [5, '伍分'],
    [50, '伍角整'],
    [100100, '壹仟零壹元整'],
    [10000000, '壹拾万元整'],
    [1000100, '壹万零壹元整'],
    [10000000000, '壹亿元整'],
    [-123450, '负壹仟贰佰叁拾肆元伍角整'],
  ])('%d → %s', (fen, text) => {
    expect(fenToChineseUpper(fen)).toBe(text);
  });
});
