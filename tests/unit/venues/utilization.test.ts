import { describe, expect, it } from 'vitest';
import { minutesOf, monthsOf, occupancyRate, organizationUtilization, sumFigures, toHours, venueUtilizationByMonth } from '@shared/venues/utilization';
import { dateToDay, dayToDate, toMinutes } from '@shared/venues/time';
import type { VenueRules } from '@shared/venues/rules';

// Open every day 09:00–17:00 (8 h); closed 2026-02-01.
const rules: Pick<VenueRules, 'openingHours' | 'closed'> = {
  openingHours: Array.from({ length: 7 }, () => [{ start: '09:00', end: '17:00' }]),
  closed: [{ from: '2026-02-01', to: '2026-02-01', reason: '春节' }],
};

describe('utilization', () => {
  it('months of a range are clipped to the range', () => {
    expect(monthsOf({ from: '2026-01-20', to: '2026-03-05' })).toEqual([
      { month: '2026-01', from: '2026-01-20', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-05' },
    ]);
    expect(monthsOf({ from: '2026-12-31', to: '2027-01-01' }).map((m) => m.month)).toEqual(['2026-12', '2027-01']);
  });

  it('booked, used, no-show and idle hours by month; cancelled and requested do not count', () => {
    const rows = venueUtilizationByMonth(rules, { from: '2026-01-30', to: '2026-02-02' }, [
      { organizationId: 'o1', start: '2026-01-30T09:00', end: '2026-01-30T11:00', state: 'used' },
      { organizationId: 'o2', start: '2026-01-31T10:00', end: '2026-01-31T11:00', state: 'no_show' },
      { organizationId: 'o1', start: '2026-02-02T09:00', end: '2026-02-02T12:00', state: 'approved' },
      { organizationId: 'o1', start: '2026-02-02T13:00', end: '2026-02-02T14:00', state: 'cancelled' },
      { organizationId: 'o2', start: '2026-02-02T14:00', end: '2026-02-02T15:00', state: 'requested' },
    ]);
    expect(rows).toEqual([
      { month: '2026-01', openMinutes: 2 * 480, bookedMinutes: 180, usedMinutes: 120, noShowMinutes: 60, idleMinutes: 960 - 180, bookings: 2 },
      // 02-01 closed, 02-02 open 8 h
      { month: '2026-02', openMinutes: 480, bookedMinutes: 180, usedMinutes: 0, noShowMinutes: 0, idleMinutes: 300, bookings: 1 },
    ]);
    const total = sumFigures(rows);
    expect(total.openMinutes).toBe(1440);
    expect(total.openMinutes - total.idleMinutes).toBe(total.bookedMinutes);
    expect(occupancyRate(total)).toBeCloseTo(360 / 1440);
    expect(toHours(90)).toBe(1.5);
  });

  it('a booking across a month end is split by minute; time outside hours is booked but not un-idles', () => {
    const allDay: Pick<VenueRules, 'openingHours' | 'closed'> = {
      openingHours: Array.from({ length: 7 }, () => [{ start: '18:00', end: '24:00' }, { start: '00:00', end: '02:00' }]),
      closed: [],
    };
    const rows = venueUtilizationByMonth(allDay, { from: '2026-03-31', to: '2026-04-01' }, [
      { organizationId: 'o1', start: '2026-03-31T22:00', end: '2026-04-01T01:00', state: 'used' },
      { organizationId: 'o1', start: '2026-04-01T12:00', end: '2026-04-01T13:00', state: 'approved' }, // outside hours
    ]);
    expect(rows.map((r) => [r.month, r.bookedMinutes, r.usedMinutes, r.idleMinutes, r.bookings])).toEqual([
      ['2026-03', 120, 120, 480 - 120, 1],
      ['2026-04', 120, 60, 480 - 60, 1],
    ]);
  });

  it('clips bookings to the range and counts overlapping bookings only once for idle time', () => {
    const rows = venueUtilizationByMonth(rules, { from: '2026-03-02', to: '2026-03-02' }, [
      { organizationId: 'o1', start: '2026-03-01T16:00', end: '2026-03-02T10:00', state: 'approved' },
      { organizationId: 'o1', start: '2026-03-02T09:30', end: '2026-03-02T11:00', state: 'approved' },
    ]);
    expect(rows[0].bookedMinutes).toBe(600 + 90);
    expect(rows[0].idleMinutes).toBe(480 - 120);
    expect(rows[0].bookings).toBe(1);
  });

  it('per organization per month', () => {
    const rows = organizationUtilization({ from: '2026-01-01', to: '2026-02-28' }, [
      { organizationId: 'o2', start: '2026-01-05T09:00', end: '2026-01-05T10:00', state: 'used' },
      { organizationId: 'o1', start: '2026-01-06T09:00', end: '2026-01-06T11:00', state: 'approved' },
      { organizationId: 'o1', start: '2026-01-31T23:00', end: '2026-02-01T01:00', state: 'no_show' },
      { organizationId: 'o1', start: '2026-02-03T09:00', end: '2026-02-03T10:00', state: 'cancelled' },
    ]);
    expect(rows).toEqual([
      { organizationId: 'o1', month: '2026-01', bookedMinutes: 180, usedMinutes: 0, noShowMinutes: 60, bookings: 2 },
      { organizationId: 'o2', month: '2026-01', bookedMinutes: 60, usedMinutes: 60, noShowMinutes: 0, bookings: 1 },
      { organizationId: 'o1', month: '2026-02', bookedMinutes: 60, usedMinutes: 0, noShowMinutes: 60, bookings: 0 },
    ]);
  });
});

describe('minutesOf (the report fast path)', () => {
  it('agrees with toMinutes on every day of 1999–2030 at several times, and refuses what toMinutes refuses', () => {
    for (let day = dateToDay('1999-01-01'); day <= dateToDay('2030-12-31'); day++) {
      const date = dayToDate(day);
      for (const time of ['00:00', '07:05', '12:30', '23:59']) expect(minutesOf(`${date}T${time}`)).toBe(toMinutes(`${date}T${time}`));
    }
    for (const bad of ['2026-02-29T10:00', '2026-13-01T10:00', '2026-04-31T10:00', '2026-03-05T24:00', '2026-03-05 10:00', '2026-3-5T10:00']) {
      expect(() => minutesOf(bad), bad).toThrow(RangeError);
    }
    expect(minutesOf('2028-02-29T08:00')).toBe(toMinutes('2028-02-29T08:00'));
  });
});
