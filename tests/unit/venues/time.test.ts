import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMinutes,
  combine,
  dateToDay,
  dayToDate,
  findOverlaps,
  formatInterval,
  fromMinutes,
  isLocalDate,
  isLocalDateTime,
  isTimeOfDay,
  nextMonthStart,
  overlaps,
  toMinutes,
  weekStart,
  weekdayOf,
} from '@shared/venues/time';

describe('time model', () => {
  it('accepts only real local datetimes in YYYY-MM-DDTHH:mm', () => {
    expect(isLocalDateTime('2026-03-05T19:00')).toBe(true);
    expect(isLocalDateTime('2028-02-29T00:00')).toBe(true);
    expect(isLocalDateTime('2026-02-29T00:00')).toBe(false);
    expect(isLocalDateTime('2026-03-05T24:00')).toBe(false);
    expect(isLocalDateTime('2026-03-05T19:00:00')).toBe(false);
    expect(isLocalDateTime('2026-03-05T19:00Z')).toBe(false);
    expect(isLocalDateTime('2026-03-05 19:00')).toBe(false);
    expect(isLocalDate('2026-04-31')).toBe(false);
    expect(isTimeOfDay('24:00')).toBe(false);
    expect(isTimeOfDay('24:00', true)).toBe(true);
    expect(isTimeOfDay('23:60')).toBe(false);
  });

  it('weekday is ISO (Monday 1 … Sunday 7)', () => {
    expect(weekdayOf('2026-11-23')).toBe(1);
    expect(weekdayOf('2026-11-29')).toBe(7);
    expect(weekdayOf('1970-01-01')).toBe(4);
    expect(weekdayOf('2024-02-29')).toBe(4);
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
  });

  it('date arithmetic crosses month, year and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(nextMonthStart('2026-12-15')).toBe('2027-01-01');
    expect(addMinutes('2026-12-31T23:30', 45)).toBe('2027-01-01T00:15');
    expect(combine('2026-03-31', '24:00')).toBe('2026-04-01T00:00');
  });

  it('minutes round-trip for any datetime', () => {
    fc.assert(
      fc.property(fc.integer({ min: dateToDay('1990-01-01') * 1440, max: dateToDay('2090-12-31') * 1440 }), (m) => {
        const dt = fromMinutes(m);
        expect(isLocalDateTime(dt)).toBe(true);
        expect(toMinutes(dt)).toBe(m);
      }),
    );
    expect(dayToDate(dateToDay('2026-03-05'))).toBe('2026-03-05');
  });
});

describe('overlap (half-open intervals)', () => {
  const a = { start: '2026-03-05T09:00', end: '2026-03-05T10:00' };
  it('touching ends do not overlap', () => {
    expect(overlaps(a, { start: '2026-03-05T10:00', end: '2026-03-05T11:00' })).toBe(false);
    expect(overlaps(a, { start: '2026-03-05T08:00', end: '2026-03-05T09:00' })).toBe(false);
  });
  it('one shared minute overlaps; containment overlaps; identical overlaps', () => {
    expect(overlaps(a, { start: '2026-03-05T09:59', end: '2026-03-05T11:00' })).toBe(true);
    expect(overlaps(a, { start: '2026-03-05T08:00', end: '2026-03-05T09:01' })).toBe(true);
    expect(overlaps(a, { start: '2026-03-05T09:15', end: '2026-03-05T09:45' })).toBe(true);
    expect(overlaps(a, { start: '2026-03-05T08:00', end: '2026-03-05T12:00' })).toBe(true);
    expect(overlaps(a, a)).toBe(true);
  });
  it('across midnight and on other days', () => {
    const late = { start: '2026-03-05T22:00', end: '2026-03-06T01:00' };
    expect(overlaps(late, { start: '2026-03-06T00:30', end: '2026-03-06T02:00' })).toBe(true);
    expect(overlaps(late, { start: '2026-03-06T01:00', end: '2026-03-06T02:00' })).toBe(false);
    expect(overlaps(a, { start: '2026-03-06T09:00', end: '2026-03-06T10:00' })).toBe(false);
  });
  it('agrees with a minute-by-minute definition and is symmetric', () => {
    const base = toMinutes('2026-03-05T00:00');
    const iv = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 120 })).map(([s, l]) => ({
      start: fromMinutes(base + s),
      end: fromMinutes(base + s + l),
    }));
    fc.assert(
      fc.property(iv, iv, (x, y) => {
        const share = Math.min(toMinutes(x.end), toMinutes(y.end)) - Math.max(toMinutes(x.start), toMinutes(y.start)) > 0;
        expect(overlaps(x, y)).toBe(share);
        expect(overlaps(y, x)).toBe(share);
      }),
    );
  });
  it('findOverlaps returns exactly the colliding ones', () => {
    const list = [
      { id: '1', start: '2026-03-05T08:00', end: '2026-03-05T09:00' },
      { id: '2', start: '2026-03-05T09:30', end: '2026-03-05T09:45' },
      { id: '3', start: '2026-03-05T10:00', end: '2026-03-05T12:00' },
    ];
    expect(findOverlaps(a, list).map((x) => x.id)).toEqual(['2']);
  });
  it('formats intervals for messages', () => {
    expect(formatInterval(a)).toBe('2026-03-05 09:00–10:00');
    expect(formatInterval({ start: '2026-03-05T20:00', end: '2026-03-06T00:00' })).toBe('2026-03-05 20:00–24:00');
    expect(formatInterval({ start: '2026-03-05T20:00', end: '2026-03-06T01:00' })).toBe('2026-03-05 20:00–2026-03-06 01:00');
  });
});
