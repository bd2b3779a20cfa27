import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canChangeIdNumber,
  canRevealIdNumber,
  checkIdNumber,
  idCheckChar,
  idNumberForRoles,
  makeIdNumber,
  maskIdNumber,
  normalizeIdNumber,
} from '@shared/training/idNumber';

const TODAY = '2026-11-23';

describe('checkIdNumber (GB 11643-1999)', () => {
  it('accepts the examples printed in the standard', () => {
    const a = checkIdNumber('11010519491231002X', TODAY);
    expect(a).toEqual({ ok: true, info: { value: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', gender: 'female' } });
    // The standard's second example has a valid check character but a birth year of 1880, which a
    // living trainee cannot have: refused as a birth date, not as a check failure.
    expect(idCheckChar('44052418800101001')).toBe('4');
    expect(checkIdNumber('440524188001010014', TODAY)).toEqual({
      ok: false,
      message: '身份证号第7-14位出生日期“18800101”不是有效日期',
    });
  });

  it('computes the check character with weights mod 11 → 10X98765432', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(idCheckChar('44052418800101001')).toBe('4');
    expect(idCheckChar('00000000000000000')).toBe('1'); // sum 0 → index 0
  });

  it('normalizes lower-case x, full-width digits and spaces', () => {
    expect(normalizeIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(checkIdNumber('１１０１０５１９４９１２３１００２ｘ', TODAY).ok).toBe(true);
  });

  it('names what is wrong, in Chinese', () => {
    expect(checkIdNumber('', TODAY)).toEqual({ ok: false, message: '身份证号为空' });
    expect(checkIdNumber('11010519491231002', TODAY)).toEqual({ ok: false, message: '身份证号应为18位，当前为17位' });
    expect(checkIdNumber('110105491231002', TODAY)).toMatchObject({ message: expect.stringContaining('15位旧身份证号') });
    expect(checkIdNumber('1101051949123100AX', TODAY)).toMatchObject({ message: expect.stringContaining('第17位“A”不是数字') });
    expect(checkIdNumber('11010519491231002Y', TODAY)).toMatchObject({ message: expect.stringContaining('第18位“Y”无效') });
    expect(checkIdNumber('110105194912310021', TODAY)).toEqual({
      ok: false,
      message: '身份证号校验位错误：第18位应为“X”，实际为“1”，请核对号码',
    });
  });

  it('refuses impossible birth dates and future ones', () => {
    for (const bad of ['19490231', '19491301', '19490000', '18991231']) {
      const id = makeIdNumber('110105', `${bad.slice(0, 4)}-${bad.slice(4, 6)}-${bad.slice(6)}`, 2);
      const r = checkIdNumber(id, TODAY);
      expect(r).toEqual({ ok: false, message: `身份证号第7-14位出生日期“${bad}”不是有效日期` });
    }
    expect(checkIdNumber(makeIdNumber('110105', '2000-02-29', 2), TODAY).ok).toBe(true);
    expect(checkIdNumber(makeIdNumber('110105', '1900-02-29', 2), TODAY).ok).toBe(false);
    expect(checkIdNumber(makeIdNumber('110105', '2026-11-24', 2), TODAY)).toEqual({
      ok: false,
      message: '身份证号中的出生日期2026-11-24晚于今天',
    });
  });

  it('refuses a region code of the wrong shape', () => {
    expect(checkIdNumber(makeIdNumber('990105', '1980-01-01', 2), TODAY)).toMatchObject({
      message: '身份证号前2位“99”不是有效的省级行政区划代码',
    });
    expect(checkIdNumber(makeIdNumber('440005', '1980-01-01', 2), TODAY)).toMatchObject({
      message: expect.stringContaining('第3-4位“00”'),
    });
    expect(checkIdNumber(makeIdNumber('810000', '1980-01-01', 2), TODAY).ok).toBe(true); // 港澳居民居住证
  });

  it('derives gender from the 17th digit', () => {
    expect(checkIdNumber(makeIdNumber('320102', '1990-05-06', 13), TODAY)).toMatchObject({ info: { gender: 'male' } });
    expect(checkIdNumber(makeIdNumber('320102', '1990-05-06', 14), TODAY)).toMatchObject({ info: { gender: 'female' } });
  });

  it('property: every generated number passes, and any single changed digit fails', () => {
    const arb = fc.record({
      region: fc.constantFrom('110105', '320102', '440305', '510104', '650102'),
      date: fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }),
      seq: fc.integer({ min: 0, max: 999 }),
      pos: fc.integer({ min: 0, max: 17 }),
      delta: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(arb, ({ region, date, seq, pos, delta }) => {
        const id = makeIdNumber(region, date.toISOString().slice(0, 10), seq);
        expect(checkIdNumber(id, TODAY).ok).toBe(true);
        // Mod 11 with these weights detects every single-character substitution.
        const chars = [...id];
        if (pos === 17) chars[17] = '0123456789X'[('0123456789X'.indexOf(chars[17]) + delta) % 11];
        else chars[pos] = String((Number(chars[pos]) + delta) % 10);
        expect(checkIdNumber(chars.join(''), TODAY).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('masking and who sees the whole number', () => {
  it('masks the birth date and sequence', () => {
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X');
    expect(maskIdNumber('110105********002X'.replace(/\*/g, '1')).length).toBe(18);
  });

  it('everyone sees it masked, admins too; only admins may reveal (audited) or change it', () => {
    expect(canRevealIdNumber(['admin'])).toBe(true);
    expect(canRevealIdNumber(['staff', 'admin'])).toBe(true);
    expect(canRevealIdNumber(['staff', 'approver', 'accountant', 'viewer'])).toBe(false);
    expect(canChangeIdNumber([])).toBe(false);
    expect(idNumberForRoles('11010519491231002X', ['admin'])).toBe('110105********002X');
    expect(idNumberForRoles('11010519491231002X', ['staff'])).toBe('110105********002X');
    expect(idNumberForRoles(null, ['admin'])).toBeNull();
    expect(idNumberForRoles('', ['staff'])).toBeNull();
  });
});
