import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  chinaDateOf,
  civilFromDays,
  daysBetween,
  daysFromCivil,
  formatChinaDateTime,
  fromExcelSerial,
  isBusinessDate,
  parseBusinessDate,
  parseBusinessDateOrThrow,
  toExcelSerial,
  todayInChina,
} from '@shared/dates/parse';

const date = (input: unknown) => {
  const r = parseBusinessDate(input);
  return r.ok ? r.date : `ERR:${r.reason}`;
};

describe('business date parsing', () => {
  it('accepts the usual written forms', () => {
    for (const s of ['2021-03-05', '2021/3/5', '2021年3月5日', '2021 年 3 月 5 日', '2021.3.5', '20210305', '2021-3-5', '2021年03月05号', '２０２１－０３－０５', ' 2021/03/05 ', '2021-03-05 00:00:00', '2021/3/5 14:30']) {
      expect(date(s), s).toBe('2021-03-05');
    }
  });

  it('refuses impossible dates with a Chinese reason', () => {
    expect(date('2021-02-30')).toBe('ERR:2021年2月没有30日(该月只有 28 天)');
    expect(date('2020-02-29')).toBe('2020-02-29');
    expect(date('1900-02-29')).toContain('ERR:1900年2月没有29日');
    expect(date('2000-02-29')).toBe('2000-02-29');
    expect(date('2021-13-01')).toBe('ERR:月份 13 不存在');
    expect(date('2021-04-31')).toContain('ERR:');
    expect(date('1850-01-01')).toContain('年份 1850 超出范围');
    expect(date('2021/3-5')).toContain('无法识别的日期');
    expect(date('昨天')).toContain('无法识别的日期"昨天"');
    expect(date('')).toBe('ERR:日期为空');
    expect(date(null)).toBe('ERR:日期为空');
    expect(date(true)).toBe('ERR:无法识别的日期');
    expect(date('2021-03-05T00:00:00Z')).toContain('ERR:');
  });

  it('reads Excel serial numbers in the 1900 system, including the phantom 1900-02-29', () => {
    expect(date(44260)).toBe('2021-03-05');
    expect(date(44260.75)).toBe('2021-03-05');
    expect(date(1)).toBe('1900-01-01');
    expect(date(59)).toBe('1900-02-28');
    expect(date(60)).toBe('ERR:Excel 日期序号 60 对应不存在的 1900年2月29日');
    expect(date(61)).toBe('1900-03-01');
    expect(date(0)).toContain('ERR:');
    expect(date('44260')).toBe('2021-03-05');
    expect(parseBusinessDate('44260', { serialText: false }).ok).toBe(false);
    expect(date(Number.NaN)).toContain('ERR:');
  });

  it('reads Date objects from exceljs by their UTC day', () => {
    expect(date(new Date(Date.UTC(2021, 2, 5)))).toBe('2021-03-05');
    expect(date(new Date('invalid'))).toBe('ERR:日期无效');
  });

  it('round-trips Excel serials', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 73050 }), (serial) => {
        const r = fromExcelSerial(serial);
        expect(r.ok).toBe(true);
        if (r.ok) expect(toExcelSerial(r.date)).toBe(serial);
      }),
    );
    expect(toExcelSerial('1900-01-01')).toBe(1);
    expect(toExcelSerial('1900-03-01')).toBe(61);
  });

  it('civil day arithmetic agrees with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50000, max: 80000 }), (days) => {
        const c = civilFromDays(days);
        expect(Date.UTC(c.year, c.month - 1, c.day) / 86400000).toBe(days);
        expect(daysFromCivil(c.year, c.month, c.day)).toBe(days);
      }),
    );
  });

  it('throws the reason on request', () => {
    expect(() => parseBusinessDateOrThrow('2021-02-30')).toThrow('2021年2月没有30日');
    expect(parseBusinessDateOrThrow('2021.12.31')).toBe('2021-12-31');
  });
});

describe('date helpers', () => {
  it('validates canonical strings', () => {
    expect(isBusinessDate('2021-03-05')).toBe(true);
    expect(isBusinessDate('2021-3-5')).toBe(false);
    expect(isBusinessDate('2021-02-29')).toBe(false);
    expect(isBusinessDate(20210305)).toBe(false);
  });

  it('adds days and months with month-end clamping', () => {
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2021-01-01', -1)).toBe('2020-12-31');
    expect(addMonths('2021-01-31', 1)).toBe('2021-02-28');
    expect(addMonths('2020-02-29', 24)).toBe('2022-02-28');
    expect(addMonths('2021-03-05', 24)).toBe('2023-03-05');
    expect(addMonths('2021-03-05', -3)).toBe('2020-12-05');
    expect(daysBetween('2021-03-05', '2021-03-15')).toBe(10);
    expect(daysBetween('2021-03-15', '2021-03-05')).toBe(-10);
  });

  it('knows today in China time whatever the machine time zone', () => {
    // 2026-03-04 16:30 UTC is already 03-05 00:30 in Beijing
    expect(todayInChina(new Date('2026-03-04T16:30:00Z'))).toBe('2026-03-05');
    expect(todayInChina(new Date('2026-03-04T15:59:59Z'))).toBe('2026-03-04');
    expect(chinaDateOf('2026-12-31T16:00:00.000Z')).toBe('2027-01-01');
    expect(formatChinaDateTime('2026-03-04T16:30:00Z')).toBe('2026-03-05 00:30');
  });
});
