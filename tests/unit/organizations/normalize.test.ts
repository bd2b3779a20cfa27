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
