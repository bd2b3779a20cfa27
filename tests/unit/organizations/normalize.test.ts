import { describe, expect, it } from 'vitest';
import {
  collapseSpaces,
  isBlank,
  normalizeCode,
  normalizeHeader,
  normalizeMultiline,
  normalizeName,
  normalizePhone,
  normalizeText,
  toHalfWidth,
} from '@shared/text/normalize';

describe('text normalization', () => {
  it('converts full-width digits, letters and punctuation', () => {
    expect(toHalfWidth('１２３ＡＢＣａｂｃ（）：，－／')).toBe('123ABCabc():,-/');
    expect(toHalfWidth('　')).toBe(' ');
  });

  it('can keep full-width punctuation while converting digits and letters', () => {
    expect(toHalfWidth('共１２人，ＡＢ组：好', { punctuation: false })).toBe('共12人，AB组：好');
  });

  it('leaves other CJK text untouched', () => {
    expect(toHalfWidth('邻里守望志愿服务队。')).toBe('邻里守望志愿服务队。');
  });

  it('collapses every kind of blank and removes invisible characters', () => {
    expect(collapseSpaces('\u3000 a\u00a0\u00a0b\t\r\nc \u200b\ufeff ')).toBe('a b c');
    expect(normalizeText('  邻里　　守望 ')).toBe('邻里 守望');
    expect(normalizeText(null)).toBe('');
    expect(normalizeText(undefined)).toBe('');
  });

  it('drops blanks between Chinese characters in names but keeps them between Latin words', () => {
    expect(normalizeName('张　三')).toBe('张三');
    expect(normalizeName(' 邻里 守望 服务队 ')).toBe('邻里守望服务队');
    expect(normalizeName('Happy  Kids 服务队')).toBe('Happy Kids 服务队');
  });

  it('normalizes codes and phones', () => {
    expect(normalizeCode(' ９１３５ ０１００m ')).toBe('91350100M');
    expect(normalizePhone('１３８-0013 8000')).toBe('13800138000');
    expect(normalizePhone('(0591) 8765-4321')).toBe('059187654321');
  });

  it('knows blank values', () => {
    expect(isBlank(null)).toBe(true);
    expect(isBlank(' \u3000\u200b')).toBe(true);
    expect(isBlank('a')).toBe(false);
    expect(isBlank(0)).toBe(false);
  });

  it('normalizes header titles for matching', () => {
    expect(normalizeHeader('*组织名称')).toBe('组织名称');
    expect(normalizeHeader('统一社会信用代码（必填）')).toBe('统一社会信用代码');
    expect(normalizeHeader(' 负责人\n电话 ')).toBe('负责人电话');
    expect(normalizeHeader('登记类别*')).toBe('登记类别');
  });

  it('keeps the line breaks of a remark, cleaning each line', () => {
    expect(normalizeMultiline('\r\n　第一行　 \r\n\r\n第二行ＡＢ\r第三行\n\n')).toBe('第一行\n\n第二行AB\n第三行');
    expect(normalizeMultiline(null)).toBe('');
    expect(normalizeMultiline(' \n \n ')).toBe('');
  });
});

describe('normalizeText and isBlank skip clean text without changing any result', () => {
  // every character the clean-up treats specially, with ordinary ones around them
  const alphabet = [
    'a', 'Z', '5', '邻', '里', '𠀀', '-', '(', ',', '、', '\uff01', '\uff10', '\uff21', '\uff5e', '\uff5f', '\uff00', ' ', '\t', '\n', '\r',
    '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u200c', '\u200d', '\u200e', '\u2028', '\u2029', '\u202f', '\u205f', '\u2060', '\u3000',
    '\u3001', '\ufeff', '\u00ad', '\u000b', '\u000c', '\u0085', '\ud800',
  ];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  it('matches the full clean-up on random strings', () => {
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      const len = rand(8);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      for (const punctuation of [true, false]) expect(normalizeText(s, { punctuation }), JSON.stringify(s)).toBe(collapseSpaces(toHalfWidth(s, { punctuation })));
      expect(isBlank(s), JSON.stringify(s)).toBe(collapseSpaces(s) === '');
    }
  });
});
