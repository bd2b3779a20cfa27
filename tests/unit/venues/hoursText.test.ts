import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatWeeklyHoursText, parseWeeklyHoursText } from '@shared/venues/hoursText';
import { DEFAULT_OPENING_HOURS, type WeeklyHours } from '@shared/venues/rules';

describe('opening hours as text', () => {
  it('reads day ranges, lists, 每天, 休息 and full-width punctuation', () => {
    const r = parseWeeklyHoursText('周一至周五 8:30-12:00，14:00-21:00；周六 09:00～17:00；周日 休息');
    expect(r).toEqual({ ok: true, hours: DEFAULT_OPENING_HOURS });
    const every = parseWeeklyHoursText('每天 09:00-17:00');
    expect(every.ok && every.hours.every((d) => d.length === 1 && d[0].start === '09:00')).toBe(true);
    const onlyTimes = parseWeeklyHoursText('09:00-12:00');
    expect(onlyTimes.ok && onlyTimes.hours.every((d) => d.length === 1)).toBe(true);
    const list = parseWeeklyHoursText('周二、周四 19:00-21:00');
    expect(list.ok && list.hours.map((d) => d.length)).toEqual([0, 1, 0, 1, 0, 0, 0]);
  });

  it('refuses what it cannot read with a Chinese reason', () => {
    expect(parseWeeklyHoursText('周一至周五 上午')).toMatchObject({ ok: false, message: expect.stringContaining('无法识别开放时间') });
    expect(parseWeeklyHoursText('周一 12:00-09:00')).toMatchObject({ ok: false, message: expect.stringContaining('应晚于开始时间') });
    expect(parseWeeklyHoursText('周五至周一 09:00-12:00')).toMatchObject({ ok: false });
    expect(parseWeeklyHoursText('25:00-26:00')).toMatchObject({ ok: false });
  });

  it('format → parse is the identity for any week', () => {
    const day = fc.uniqueArray(fc.integer({ min: 0, max: 47 }), { maxLength: 6 }).map((ps) => {
      const sorted = [...ps].sort((a, b) => a - b);
      const out: { start: string; end: string }[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) out.push({ start: toT(sorted[i]), end: toT(sorted[i + 1]) });
      return out;
    });
    const toT = (h: number) => `${String(Math.floor(h / 2)).padStart(2, '0')}:${h % 2 ? '30' : '00'}`;
    fc.assert(
      fc.property(fc.array(day, { minLength: 7, maxLength: 7 }), (week: WeeklyHours) => {
        const text = formatWeeklyHoursText(week);
        expect(parseWeeklyHoursText(text)).toEqual({ ok: true, hours: week });
      }),
    );
  });
});
