import { describe, expect, it } from 'vitest';
import {
  bookingsAffectedByRules,
  checkRules,
  DEFAULT_RULES,
  openIntervals,
  openingMinutesOfDate,
  validateOccurrence,
  validateSeries,
  withinOpeningHours,
  type ValidationContext,
  type VenueRules,
} from '@shared/venues/rules';
import { expandRecurrence } from '@shared/venues/recurrence';
import { addDays, fromMinutes, toMinutes } from '@shared/venues/time';

// 2026-03-02 is a Monday.
const rules: VenueRules = {
  ...DEFAULT_RULES,
  capacity: 40,
  openingHours: [
    [{ start: '08:30', end: '12:00' }, { start: '14:00', end: '21:00' }], // Mon
    [{ start: '08:30', end: '12:00' }, { start: '14:00', end: '21:00' }],
    [{ start: '08:30', end: '12:00' }, { start: '12:00', end: '21:00' }], // Wed: two ranges that touch
    [{ start: '08:30', end: '21:00' }],
    [{ start: '18:00', end: '24:00' }], // Fri evening to midnight
    [{ start: '00:00', end: '02:00' }, { start: '09:00', end: '17:00' }], // Sat: night continues from Friday
    [],
  ],
  closed: [
    { from: '2026-04-04', to: '2026-04-06', reason: '清明节假期' },
    { from: '2026-03-12', to: '2026-03-12', reason: '空调维修' },
  ],
  minLengthMinutes: 60,
  maxLengthMinutes: 4 * 60,
  minNoticeMinutes: 24 * 60,
  maxNoticeDays: 60,
  quotas: [],
};

const ctx: ValidationContext = { now: '2026-03-01T10:00', stage: 'request', occupying: [], organizationBookings: [] };
const codes = (r: { code: string }[]) => r.map((x) => x.code).sort();

describe('opening hours', () => {
  it('merges touching ranges and knows closed weekdays and dates', () => {
    expect(openingMinutesOfDate(rules, '2026-03-04')).toEqual([[510, 1260]]);
    expect(openingMinutesOfDate(rules, '2026-03-08')).toEqual([]);
    expect(openingMinutesOfDate(rules, '2026-03-12')).toEqual([]); // Thursday, but closed for repairs
  });
  it('checks containment within one stretch, including across midnight', () => {
    expect(withinOpeningHours(rules, { start: '2026-03-02T09:00', end: '2026-03-02T11:00' })).toBe(true);
    expect(withinOpeningHours(rules, { start: '2026-03-02T11:00', end: '2026-03-02T15:00' })).toBe(false); // spans lunch
    expect(withinOpeningHours(rules, { start: '2026-03-04T11:00', end: '2026-03-04T13:00' })).toBe(true); // touching ranges
    expect(withinOpeningHours(rules, { start: '2026-03-06T22:00', end: '2026-03-07T01:30' })).toBe(true); // Fri night into Sat
    expect(withinOpeningHours(rules, { start: '2026-03-06T22:00', end: '2026-03-07T02:30' })).toBe(false);
    expect(withinOpeningHours(rules, { start: '2026-03-06T20:00', end: '2026-03-07T00:00' })).toBe(true); // ends at 24:00
    expect(withinOpeningHours(rules, { start: '2026-03-02T08:30', end: '2026-03-02T12:00' })).toBe(true); // exact edges
    expect(withinOpeningHours(rules, { start: '2026-03-02T08:29', end: '2026-03-02T12:00' })).toBe(false);
  });
  it('open intervals over a range', () => {
    const iv = openIntervals(rules, '2026-03-06', '2026-03-07');
    expect(iv.map(([s, e]) => e - s)).toEqual([6 * 60 + 2 * 60, 8 * 60]);
    expect(iv[0][0]).toBe(toMinutes('2026-03-06T18:00'));
  });
  it('open intervals over a year agree with the opening hours of each date (weekdays, closed dates, leap day)', () => {
    for (const [from, to] of [
      ['2026-01-01', '2026-12-31'],
      ['2027-12-20', '2028-03-05'],
    ]) {
      const total = openIntervals(rules, from, to).reduce((sum, [s, e]) => sum + e - s, 0);
      let expected = 0;
      for (let d = from; d <= to; d = addDays(d, 1)) expected += openingMinutesOfDate(rules, d).reduce((sum, [s, e]) => sum + e - s, 0);
      expect(total, `${from}..${to}`).toBe(expected);
    }
    // Thursday 2026-03-12 is closed for repairs; Sunday is never open.
    const week = openIntervals(rules, '2026-03-09', '2026-03-15').map(([s]) => fromMinutes(s).slice(0, 10));
    expect(week).not.toContain('2026-03-12');
    expect(week).not.toContain('2026-03-15');
    expect(week).toContain('2026-03-13');
  });
});

describe('validateOccurrence', () => {
  const ok = { start: '2026-03-02T19:00', end: '2026-03-02T21:00', attendance: 30 };

  it('accepts a fitting request', () => {
    expect(validateOccurrence(rules, ok, ctx)).toEqual([]);
  });

  it('end before start (and equal) is refused, without follow-on noise', () => {
    const r = validateOccurrence(rules, { ...ok, end: '2026-03-02T18:00' }, ctx);
    expect(codes(r)).toEqual(['END_BEFORE_START']);
    expect(r[0].message).toBe('结束时间 2026-03-02 18:00 应晚于开始时间 2026-03-02 19:00');
    expect(codes(validateOccurrence(rules, { ...ok, end: ok.start }, ctx))).toEqual(['END_BEFORE_START']);
  });

  it('malformed times give INVALID_TIME only', () => {
    expect(codes(validateOccurrence(rules, { ...ok, start: '2026-03-02 19:00' }, ctx))).toEqual(['INVALID_TIME']);
  });

  it('outside opening hours names the day hours', () => {
    const r = validateOccurrence(rules, { ...ok, start: '2026-03-02T20:00', end: '2026-03-02T22:00' }, ctx);
    expect(codes(r)).toEqual(['OUTSIDE_OPENING_HOURS']);
    expect(r[0].message).toBe('2026-03-02 20:00–22:00 超出场地开放时间(周一 08:30–12:00、14:00–21:00)');
    const sunday = validateOccurrence(rules, { ...ok, start: '2026-03-08T10:00', end: '2026-03-08T11:00' }, ctx);
    expect(sunday[0].message).toContain('周日 不开放');
  });

  it('closed date gives the reason, not an opening-hours refusal too', () => {
    const r = validateOccurrence(rules, { ...ok, start: '2026-04-06T09:00', end: '2026-04-06T10:00' }, ctx);
    expect(r).toEqual([{ code: 'CLOSED_DATE', message: '2026-04-06 场地闭馆:清明节假期', date: '2026-04-06' }]);
  });

  it('over capacity and bad attendance', () => {
    expect(validateOccurrence(rules, { ...ok, attendance: 41 }, ctx)).toEqual([
      { code: 'OVER_CAPACITY', message: '预计人数 41 人超过场地容量 40 人', date: '2026-03-02' },
    ]);
    expect(codes(validateOccurrence(rules, { ...ok, attendance: 40 }, ctx))).toEqual([]);
    expect(codes(validateOccurrence(rules, { ...ok, attendance: 0 }, ctx))).toEqual(['INVALID_ATTENDANCE']);
    expect(codes(validateOccurrence(rules, { ...ok, attendance: 2.5 }, ctx))).toEqual(['INVALID_ATTENDANCE']);
  });

  it('in the past: refused, without a notice refusal on top', () => {
    const r = validateOccurrence(rules, { ...ok, start: '2026-02-27T19:00', end: '2026-02-27T20:00' }, ctx);
    expect(codes(r)).toEqual(['IN_THE_PAST']);
  });

  it('too short and too long', () => {
    expect(validateOccurrence(rules, { ...ok, end: '2026-03-02T19:30' }, ctx)).toEqual([
      { code: 'TOO_SHORT', message: '预约时长 30分钟 短于最短 1小时', date: '2026-03-02' },
    ]);
    const long = validateOccurrence(rules, { ...ok, start: '2026-03-05T09:00', end: '2026-03-05T13:30' }, ctx);
    expect(long).toEqual([{ code: 'TOO_LONG', message: '预约时长 4小时30分钟 超过最长 4小时', date: '2026-03-05' }]);
  });

  it('the 24-hour hard cap applies even with no venue maximum', () => {
    const open24 = { ...rules, maxLengthMinutes: null, openingHours: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]) };
    expect(codes(validateOccurrence(open24, { ...ok, start: '2026-03-03T08:00', end: '2026-03-04T09:00' }, ctx))).toEqual(['TOO_LONG']);
    expect(codes(validateOccurrence(open24, { ...ok, start: '2026-03-03T08:00', end: '2026-03-04T08:00' }, ctx))).toEqual([]);
  });

  it('too little and too much notice at the request stage only', () => {
    const soon = { ...ok, start: '2026-03-02T09:00', end: '2026-03-02T10:00' };
    const near = { ...ctx, now: '2026-03-01T10:00' };
    expect(validateOccurrence(rules, soon, near)).toEqual([
      { code: 'TOO_LITTLE_NOTICE', message: '需至少提前 24小时 预约', date: '2026-03-02' },
    ]);
    expect(validateOccurrence(rules, soon, { ...near, stage: 'approval' })).toEqual([]);
    const far = { ...ok, start: '2026-05-01T09:00', end: '2026-05-01T10:00' }; // Friday: outside hours too
    expect(codes(validateOccurrence(rules, far, ctx))).toEqual(['OUTSIDE_OPENING_HOURS', 'TOO_MUCH_NOTICE']);
    // 60 days exactly is fine: 2026-03-01 + 60 = 2026-04-30 (Thursday)
    expect(codes(validateOccurrence(rules, { ...ok, start: '2026-04-30T09:00', end: '2026-04-30T10:00' }, ctx))).toEqual([]);
  });

  it('major activity without its report', () => {
    const r = validateOccurrence(rules, ok, { ...ctx, majorActivity: { isMajor: true, reportFiled: false } });
    expect(r).toEqual([{ code: 'MAJOR_ACTIVITY_REPORT_MISSING', message: '该活动属于重大活动,须先提交重大活动报告,再预约场地', date: '2026-03-02' }]);
    expect(validateOccurrence(rules, ok, { ...ctx, majorActivity: { isMajor: true, reportFiled: true } })).toEqual([]);
  });

  it('not bookable', () => {
    expect(codes(validateOccurrence({ ...rules, bookable: false }, ok, ctx))).toEqual(['NOT_BOOKABLE']);
  });

  it('conflict with approved bookings: touching allowed, overlap refused with ids, own id ignored', () => {
    const occupying = [
      { id: 'b1', start: '2026-03-02T17:00', end: '2026-03-02T19:00', label: '银龄合唱团' },
      { id: 'b2', start: '2026-03-02T21:00', end: '2026-03-02T22:00' },
    ];
    expect(validateOccurrence(rules, ok, { ...ctx, occupying })).toEqual([]);
    const r = validateOccurrence(rules, { ...ok, start: '2026-03-02T18:30' }, { ...ctx, occupying });
    expect(r).toEqual([
      {
        code: 'CONFLICT',
        message: '2026-03-02 18:30–21:00 与已批准的预约冲突:2026-03-02 17:00–19:00(银龄合唱团)',
        date: '2026-03-02',
        conflictIds: ['b1'],
      },
    ]);
    expect(validateOccurrence(rules, { ...ok, id: 'b1', start: '2026-03-02T18:30' }, { ...ctx, occupying })).toEqual([]);
  });

  it('quota per week in bookings and per month in hours', () => {
    const weekly = { ...rules, quotas: [{ period: 'week' as const, unit: 'bookings' as const, limit: 2 }] };
    const org = [
      { id: 'x1', start: '2026-03-03T09:00', end: '2026-03-03T10:00' },
      { id: 'x2', start: '2026-03-08T09:00', end: '2026-03-08T10:00' }, // Sunday: same ISO week
      { id: 'x3', start: '2026-03-09T09:00', end: '2026-03-09T10:00' }, // next week
    ];
    const r = validateOccurrence(weekly, ok, { ...ctx, organizationBookings: org });
    expect(r).toEqual([{ code: 'QUOTA_EXCEEDED', message: '本组织在2026-03-02 所在的一周已有 2 次预约,超过每周 2 次的配额', date: '2026-03-02' }]);
    expect(validateOccurrence(weekly, ok, { ...ctx, organizationBookings: org.slice(1) })).toEqual([]);
    // re-validating x1 itself does not count it twice
    expect(validateOccurrence(weekly, { ...ok, id: 'x1' }, { ...ctx, organizationBookings: org })).toEqual([]);

    const monthly = { ...rules, quotas: [{ period: 'month' as const, unit: 'hours' as const, limit: 3 }] };
    const used = [{ id: 'y', start: '2026-03-20T09:00', end: '2026-03-20T11:00' }];
    const m = validateOccurrence(monthly, ok, { ...ctx, organizationBookings: used });
    expect(m[0].message).toBe('本组织在2026 年 03 月已预约 2小时,加上本次 2小时 超过每月 3 小时的配额');
    expect(validateOccurrence(monthly, { ...ok, end: '2026-03-02T20:00' }, { ...ctx, organizationBookings: used })).toEqual([]);
  });

  it('returns every refusal at once', () => {
    const r = validateOccurrence(
      { ...rules, bookable: false },
      { start: '2026-02-28T20:00', end: '2026-02-28T20:15', attendance: 99 },
      { ...ctx, majorActivity: { isMajor: true, reportFiled: false } },
    );
    expect(codes(r)).toEqual(['IN_THE_PAST', 'MAJOR_ACTIVITY_REPORT_MISSING', 'NOT_BOOKABLE', 'OUTSIDE_OPENING_HOURS', 'OVER_CAPACITY', 'TOO_SHORT']);
    expect(r.every((x) => x.message.length > 4)).toBe(true);
  });
});

describe('validateSeries', () => {
  it('names the colliding dates and lists the free ones', () => {
    const occ = expandRecurrence({ start: '2026-03-02T19:00', end: '2026-03-02T21:00' }, { kind: 'weekly', until: '2026-03-30' });
    const occupying = [
      { id: 'a', start: '2026-03-16T20:00', end: '2026-03-16T21:00' },
      { id: 'b', start: '2026-03-23T18:00', end: '2026-03-23T19:30' },
    ];
    const v = validateSeries(rules, occ, { attendance: 20 }, { ...ctx, occupying });
    expect(v.free.map((o) => o.date)).toEqual(['2026-03-02', '2026-03-09', '2026-03-30']);
    expect(v.refused.map((c) => [c.occurrence.date, c.refusals[0].conflictIds])).toEqual([
      ['2026-03-16', ['a']],
      ['2026-03-23', ['b']],
    ]);
    expect(v.summary).toBe('共 5 次,其中 2 次不能预约;时间冲突的日期:2026-03-16、2026-03-23;其余 3 次可以预约');
  });

  it('counts earlier occurrences of the same series against a monthly quota', () => {
    const quota = { ...rules, quotas: [{ period: 'month' as const, unit: 'bookings' as const, limit: 2 }] };
    const occ = expandRecurrence({ start: '2026-03-16T19:00', end: '2026-03-16T20:00' }, { kind: 'weekly', until: '2026-04-13' });
    const v = validateSeries(quota, occ, { attendance: 10 }, ctx);
    expect(v.checks.map((c) => [c.occurrence.date, c.refusals.map((r) => r.code)])).toEqual([
      ['2026-03-16', []],
      ['2026-03-23', []],
      ['2026-03-30', ['QUOTA_EXCEEDED']],
      ['2026-04-06', ['CLOSED_DATE']],
      ['2026-04-13', []],
    ]);
    expect(v.summary).toContain('其他原因:2026-03-30(超出配额);2026-04-06(闭馆日)');
  });
});

describe('checkRules', () => {
  it('accepts the defaults and reports bad fields with paths', () => {
    expect(checkRules(DEFAULT_RULES)).toEqual([]);
    const bad: VenueRules = {
      ...DEFAULT_RULES,
      capacity: 0,
      openingHours: [[{ start: '10:00', end: '09:00' }], [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '13:00' }], [], [], [], [], [{ start: '8:00', end: '10:00' }]],
      closed: [{ from: '2026-05-05', to: '2026-05-01', reason: ' ' }],
      minLengthMinutes: 120,
      maxLengthMinutes: 60,
      quotas: [{ period: 'week', unit: 'hours', limit: 0 }],
    };
    expect(checkRules(bad).map((i) => i.path)).toEqual([
      'capacity',
      'openingHours.0.0',
      'openingHours.1',
      'openingHours.6.0',
      'closed.0',
      'closed.0.reason',
      'minLengthMinutes',
      'quotas.0.limit',
    ]);
    expect(checkRules(bad)[1].message).toBe('周一第 1 段结束时间 09:00 应晚于开始时间 10:00');
  });
});

describe('bookingsAffectedByRules', () => {
  const b = (id: string, start: string, end: string, state: string, attendance = 20) => ({ id, start, end, state, attendance });
  it('lists only live future bookings the venue itself now refuses, with the reasons', () => {
    const list = [
      b('closed', '2026-03-12T09:00', '2026-03-12T10:00', 'approved'), // 空调维修
      b('crowd', '2026-03-03T09:00', '2026-03-03T10:00', 'requested', 45),
      b('fine', '2026-03-03T15:00', '2026-03-03T16:00', 'approved'),
      b('late', '2026-03-02T21:00', '2026-03-02T22:00', 'requested'),
      b('past', '2026-02-27T09:00', '2026-02-27T10:00', 'approved', 45),
      b('used', '2026-03-12T14:00', '2026-03-12T15:00', 'used'),
      b('cancelled', '2026-03-12T14:00', '2026-03-12T15:00', 'cancelled'),
    ];
    const out = bookingsAffectedByRules(rules, list, '2026-03-01T10:00');
    expect(out.map((a) => [a.booking.id, codes(a.refusals)])).toEqual([
      ['closed', ['CLOSED_DATE']],
      ['crowd', ['OVER_CAPACITY']],
      ['late', ['OUTSIDE_OPENING_HOURS']],
    ]);
    expect(out[0].refusals[0].message).toBe('2026-03-12 场地闭馆:空调维修');
  });
  it('notice, quotas and other bookings never count: the booking was fine when made', () => {
    const soon = [b('soon', '2026-03-02T09:00', '2026-03-02T10:00', 'approved')];
    expect(bookingsAffectedByRules({ ...rules, quotas: [{ period: 'week', unit: 'bookings', limit: 1 }] }, soon, '2026-03-01T10:00')).toEqual([]);
    expect(bookingsAffectedByRules({ ...rules, bookable: false }, soon, '2026-03-01T10:00').map((a) => codes(a.refusals))).toEqual([['NOT_BOOKABLE']]);
  });
});
