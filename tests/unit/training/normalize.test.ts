import { describe, expect, it } from 'vitest';
import { normalizeName, normalizePhone } from '@shared/training/normalize';

describe('normalizePhone', () => {
  it('normalizes mainland mobiles with separators and country prefixes', () => {
    for (const raw of ['13800138000', '138 0013 8000', '138-0013-8000', '+86 138 0013 8000', '0086 13800138000', '8613800138000', '１３８００１３８０００']) {
      expect(normalizePhone(raw)).toEqual({ ok: true, kind: 'mobile', value: '13800138000', digits: '13800138000' });
    }
  });

  it('refuses malformed mobiles with the digit count', () => {
    expect(normalizePhone('1380013800')).toEqual({ ok: false, message: '手机号码应为以13–19开头的11位数字，“1380013800”有10位' });
    expect(normalizePhone('12800138000').ok).toBe(false);
    expect(normalizePhone('+1 415 555 0100')).toEqual({ ok: false, message: '电话号码“+1 415 555 0100”不是中国大陆号码' });
    expect(normalizePhone('138abc')).toMatchObject({ ok: false, message: expect.stringContaining('非数字') });
    expect(normalizePhone('  ')).toEqual({ ok: false, message: '电话号码为空' });
  });

  it('splits landlines after a 3- or 4-digit area code', () => {
    expect(normalizePhone('010-62345678')).toEqual({ ok: true, kind: 'landline', value: '010-62345678', digits: '01062345678' });
    expect(normalizePhone('(010)62345678')).toMatchObject({ value: '010-62345678' });
    expect(normalizePhone('02087654321')).toMatchObject({ value: '020-87654321' });
    expect(normalizePhone('0755 2345678')).toMatchObject({ value: '0755-2345678' });
    expect(normalizePhone('075587654321')).toMatchObject({ value: '0755-87654321' });
  });

  it('keeps extensions', () => {
    expect(normalizePhone('0755-87654321转801')).toMatchObject({ value: '0755-87654321-801', digits: '075587654321' });
    expect(normalizePhone('010-62345678-22')).toMatchObject({ value: '010-62345678-22' });
    expect(normalizePhone('13800138000转1')).toEqual({ ok: false, message: '手机号码“13800138000转1”不能带分机号' });
  });

  it('needs an area code unless the hub gives its own', () => {
    expect(normalizePhone('87654321')).toEqual({ ok: false, message: '座机号码“87654321”缺少区号，请写成“区号-号码”' });
    expect(normalizePhone('87654321', { defaultAreaCode: '028' })).toMatchObject({ ok: true, value: '028-87654321' });
    expect(normalizePhone('010-0123456').ok).toBe(false); // a local number never starts with 0
  });
});

describe('normalizeName', () => {
  it('folds widths and spaces of Chinese names', () => {
    expect(normalizeName(' 张 三 ')).toEqual({ ok: true, value: '张三', key: '张三' });
    expect(normalizeName('张\u3000三')).toMatchObject({ value: '张三' });
  });

  it('unifies the dots of transliterated names', () => {
    for (const raw of ['阿卜杜拉·艾买提', '阿卜杜拉.艾买提', '阿卜杜拉•艾买提', '阿卜杜拉 · 艾买提', '阿卜杜拉・艾买提']) {
      expect(normalizeName(raw)).toMatchObject({ ok: true, value: '阿卜杜拉·艾买提' });
    }
  });

  it('collapses spaces and lower-cases the key of Latin names', () => {
    expect(normalizeName('  John   SMITH ')).toEqual({ ok: true, value: 'John SMITH', key: 'john smith' });
    expect(normalizeName('Ｊｏｈｎ')).toMatchObject({ value: 'John' });
  });

  it('refuses empty names, digits and symbols', () => {
    expect(normalizeName('   ')).toEqual({ ok: false, message: '姓名为空' });
    expect(normalizeName('张三2')).toEqual({ ok: false, message: '姓名“张三2”含有数字' });
    expect(normalizeName('张三@')).toMatchObject({ ok: false, message: expect.stringContaining('不允许的符号') });
    expect(normalizeName('·张三')).toMatchObject({ ok: false });
    expect(normalizeName('王'.repeat(41))).toMatchObject({ ok: false, message: '姓名过长（最多40个字）' });
  });
});
