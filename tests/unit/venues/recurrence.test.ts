import { describe, expect, it } from 'vitest';
import { expandRecurrence, MAX_OCCURRENCES, retime, seriesDates } from '@shared/venues/recurrence';
import { isAppError } from '@shared/errors';

const first = { start: '2026-01-29T19:00', end: '2026-01-29T21:00' };

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('recurrence expansion', () => {
  it('one-off gives exactly the first occurrence', () => {
    expect(expandRecurrence(first, { kind: 'once' })).toEqual([{ index: 0, date: '2026-01-29', ...first }]);
  });

  it('weekly crosses month ends with the same weekday and times', () => {
    const occ = expandRecurrence(first, { kind: 'weekly', until: '2026-03-05' });
    expect(occ.map((o) => o.date)).toEqual(['2026-01-29', '2026-02-05', '2026-02-12', '2026-02-19', '2026-02-26', '2026-03-05']);
    expect(occ[5]).toEqual({ index: 5, date: '2026-03-05', start: '2026-03-05T19:00', end: '2026-03-05T21:00' });
  });

  it('until is inclusive and need not fall on the weekday', () => {
    expect(expandRecurrence(first, { kind: 'weekly', until: '2026-02-04' }).map((o) => o.date)).toEqual(['2026-01-29']);
    expect(expandRecurrence(first, { kind: 'weekly', until: '2026-02-05' }).map((o) => o.date)).toEqual(['2026-01-29', '2026-02-05']);
  });

  it('every two weeks across a year end and a leap day', () => {
    const occ = expandRecurrence({ start: '2027-12-16T09:00', end: '2027-12-16T10:30' }, { kind: 'biweekly', until: '2028-03-10' });
    expect(occ.map((o) => o.date)).toEqual(['2027-12-16', '2027-12-30', '2028-01-13', '2028-01-27', '2028-02-10', '2028-02-24', '2028-03-09']);
    const feb = expandRecurrence({ start: '2028-02-15T09:00', end: '2028-02-15T10:00' }, { kind: 'biweekly', until: '2028-03-31' });
    expect(feb.map((o) => o.date)).toEqual(['2028-02-15', '2028-02-29', '2028-03-14', '2028-03-28']);
  });

  it('skipped dates disappear but indexes stay stable', () => {
    const occ = expandRecurrence(first, { kind: 'weekly', until: '2026-03-05', skip: ['2026-02-12', '2026-03-05'] });
    expect(occ.map((o) => [o.index, o.date])).toEqual([
      [0, '2026-01-29'],
      [1, '2026-02-05'],
      [3, '2026-02-19'],
      [4, '2026-02-26'],
    ]);
  });

  it('an occurrence past midnight keeps its length across a month end', () => {
    const occ = expandRecurrence({ start: '2026-01-24T22:00', end: '2026-01-25T01:00' }, { kind: 'weekly', until: '2026-02-01' });
    expect(occ[1]).toEqual({ index: 1, date: '2026-01-31', start: '2026-01-31T22:00', end: '2026-02-01T01:00' });
  });

  it('refuses a skipped date that is not in the series, with the date named', () => {
    const e = errorOf(() => expandRecurrence(first, { kind: 'weekly', until: '2026-03-05', skip: ['2026-02-13'] }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('2026-02-13');
    expect(e.issues?.[0].path).toBe('recurrence.skip');
    // biweekly: a weekly date in between is not part of it
    expect(() => expandRecurrence(first, { kind: 'biweekly', until: '2026-03-05', skip: ['2026-02-05'] })).toThrow(/2026-02-05/);
  });

  it('refuses until before the first date, and a series with every date skipped', () => {
    expect(errorOf(() => expandRecurrence(first, { kind: 'weekly', until: '2026-01-28' })).message).toContain('早于首次日期');
    expect(errorOf(() => expandRecurrence(first, { kind: 'weekly', until: '2026-02-04', skip: ['2026-01-29'] })).message).toContain('所有日期都被跳过');
  });

  it('caps the series with a clear Chinese message', () => {
    const ok = expandRecurrence(first, { kind: 'weekly', until: seriesDates('2026-01-29', 'weekly', '2030-12-31')[MAX_OCCURRENCES - 1] });
    expect(ok).toHaveLength(MAX_OCCURRENCES);
    const e = errorOf(() => expandRecurrence(first, { kind: 'weekly', until: '2030-12-31' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe(`重复预约最多 200 次,当前规则(每周,2026-01-29 至 2030-12-31)会产生 ${seriesDates('2026-01-29', 'weekly', '2030-12-31').length} 次,请提前截止日期或分成几次预约`);
    // the cap counts after skipping: skipping enough dates brings a long series under it
    const dates = seriesDates('2026-01-29', 'weekly', '2030-12-31');
    expect(dates.length).toBeGreaterThan(MAX_OCCURRENCES);
    const skip = dates.slice(1, dates.length - MAX_OCCURRENCES + 1);
    expect(expandRecurrence(first, { kind: 'weekly', until: '2030-12-31', skip })).toHaveLength(MAX_OCCURRENCES);
    expect(errorOf(() => expandRecurrence(first, { kind: 'weekly', until: '2026-12-31' }, 10)).message).toContain('会产生 49 次');
  });

  it('refuses malformed times', () => {
    expect(() => expandRecurrence({ start: '2026-01-29 19:00', end: '2026-01-29T21:00' }, { kind: 'once' })).toThrow(/YYYY-MM-DDTHH:mm/);
  });

  it('retime moves an occurrence on its own date; 24:00 ends at midnight', () => {
    expect(retime({ date: '2026-03-31' }, '20:00', '24:00')).toEqual({ start: '2026-03-31T20:00', end: '2026-04-01T00:00' });
  });
});

describe('recurrence properties', () => {
  it('every occurrence keeps the weekday, time and length; dates are step days apart; none after until', async () => {
    const fc = (await import('fast-check')).default;
    const { dateToDay, dayToDate, durationMinutes, weekdayOf, daysBetween } = await import('@shared/venues/time');
    fc.assert(
      fc.property(
        fc.integer({ min: dateToDay('2025-01-01'), max: dateToDay('2030-12-31') }),
        fc.integer({ min: 0, max: 23 * 60 }),
        fc.integer({ min: 15, max: 600 }),
        fc.constantFrom('weekly' as const, 'biweekly' as const),
        fc.integer({ min: 0, max: 700 }),
        (day, startMin, len, kind, spanDays) => {
          const date = dayToDate(day);
          const hh = String(Math.floor(startMin / 60)).padStart(2, '0');
          const mm = String(startMin % 60).padStart(2, '0');
          const start = `${date}T${hh}:${mm}`;
          const endMin = day * 1440 + startMin + len;
          const endDay = Math.floor(endMin / 1440);
          const end = `${dayToDate(endDay)}T${String(Math.floor((endMin % 1440) / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`;
          const until = dayToDate(day + spanDays);
          const step = kind === 'weekly' ? 7 : 14;
          const expected = Math.floor(spanDays / step) + 1;
          if (expected > 200) {
            expect(() => expandRecurrence({ start, end }, { kind, until })).toThrow(/最多 200 次/);
            return;
          }
          const occ = expandRecurrence({ start, end }, { kind, until });
          expect(occ).toHaveLength(expected);
          occ.forEach((o, i) => {
            expect(durationMinutes(o)).toBe(len);
            expect(o.start.slice(11)).toBe(start.slice(11));
            expect(weekdayOf(o.date)).toBe(weekdayOf(date));
            expect(daysBetween(date, o.date)).toBe(i * step);
            expect(o.date <= until).toBe(true);
          });
        },
      ),
    );
  });
});
