import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../helpers/core';
import { venuesFixture, dbRows } from './fixtures';

type F = Awaited<ReturnType<typeof venuesFixture>>;

describe('the waiting list: wait for a taken slot, book it when it frees', () => {
  let f: F;
  let held: string;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-01T10:00');
    held = (await f.staff('venues.bookings.create', f.request({ start: '2026-03-05T19:00', end: '2026-03-05T21:00' }))).created[0].id;
    await f.approver('venues.bookings.approve', { id: held });
  });
  afterAll(async () => f?.cleanup());

  const want = (over: Record<string, unknown> = {}) => {
    const { recurrence: _r, ...req } = f.request({ organizationId: f.orgs.elders, start: '2026-03-05T20:00', end: '2026-03-05T21:00', purpose: '议事协商会', ...over });
    return req;
  };

  it('joins only when an approved booking is the one obstacle, in queue order, once per organization and slot', async () => {
    const free = await refusal(f.core, 'venues.waitlist.join', want({ start: '2026-03-06T09:00', end: '2026-03-06T10:00' }), f.tokens.staff);
    expect(free).toMatchObject({ code: 'RULE', message: '该时段目前可以直接预约,无需候补' });
    const crowd = await refusal(f.core, 'venues.waitlist.join', want({ expectedAttendance: 45 }), f.tokens.staff);
    expect(crowd).toMatchObject({ code: 'RULE', message: '预计人数 45 人超过场地容量 40 人' });
    const first = await f.staff('venues.waitlist.join', want());
    expect(first.position).toBe(1);
    const again = await refusal(f.core, 'venues.waitlist.join', want(), f.tokens.staff);
    expect(again).toMatchObject({ code: 'CONFLICT', message: '「邻里守望互助队」已在候补 2026-03-05 20:00–21:00' });
    const second = await f.staff('venues.waitlist.join', want({ organizationId: f.orgs.choir, start: '2026-03-05T19:30', end: '2026-03-05T20:30', purpose: '声部练习' }));
    expect(second.position).toBe(2);
    const viewer = await refusal(f.core, 'venues.waitlist.join', want({ start: '2026-03-05T19:00' }), f.tokens.viewer);
    expect(viewer.code).toBe('FORBIDDEN');
    const list = await f.viewer('venues.waitlist.list', { venueId: f.hall });
    expect(list.rows.map((r) => [r.organizationName, r.position, r.state, r.blockers])).toEqual([
      ['银龄合唱团', 2, 'waiting', ['2026-03-05 19:00–21:00(银龄合唱团)']],
      ['邻里守望互助队', 1, 'waiting', ['2026-03-05 19:00–21:00(银龄合唱团)']],
    ]);
  });

  it('cannot be booked while the slot is held; cancelling the booking frees it and says so', async () => {
    const [first] = (await f.viewer('venues.waitlist.list', { venueId: f.hall })).rows.filter((r) => r.position === 1);
    const held1 = await refusal(f.core, 'venues.waitlist.book', { id: first.id }, f.tokens.staff);
    expect(held1.code).toBe('CONFLICT');
    expect(held1.message).toContain('与已批准的预约冲突');
    const cancelled = await f.staff('venues.bookings.cancel', { id: held, reason: '合唱团改期' });
    expect(cancelled.waitlistFreed).toBe(2);
    const rows = (await f.viewer('venues.waitlist.list', { venueId: f.hall })).rows;
    expect(rows.every((r) => r.blockers.length === 0 && !r.expired)).toBe(true);
  });

  it('books the first in line through the same rules; the second then waits on it; withdrawing needs a reason', async () => {
    const rows = (await f.viewer('venues.waitlist.list', { venueId: f.hall })).rows;
    const first = rows.find((r) => r.position === 1)!;
    const second = rows.find((r) => r.position === 2)!;
    const booked = await f.staff('venues.waitlist.book', { id: first.id });
    expect(booked.state).toBe('requested');
    const b = await f.viewer('venues.bookings.get', { id: booked.bookingId });
    expect(b.booking).toMatchObject({ organizationName: '邻里守望互助队', start: '2026-03-05T20:00', end: '2026-03-05T21:00', purpose: '议事协商会' });
    await f.approver('venues.bookings.approve', { id: booked.bookingId });
    const twice = await refusal(f.core, 'venues.waitlist.book', { id: first.id }, f.tokens.staff);
    expect(twice).toMatchObject({ code: 'RULE', message: '该候补已转为预约' });
    const now = (await f.viewer('venues.waitlist.list', { venueId: f.hall })).rows;
    expect(now.map((r) => [r.id, r.position, r.blockers])).toEqual([[second.id, 1, ['2026-03-05 20:00–21:00(邻里守望互助队)']]]);
    const noReason = await refusal(f.core, 'venues.waitlist.withdraw', { id: second.id, reason: ' ' }, f.tokens.staff);
    expect(noReason.code).toBe('VALIDATION');
    expect(noReason.issues?.[0]).toMatchObject({ path: 'reason', message: '请填写撤回原因' });
    await f.staff('venues.waitlist.withdraw', { id: second.id, reason: '改用其他场地' });
    expect((await f.viewer('venues.waitlist.list', { venueId: f.hall })).rows).toEqual([]);
    const all = (await f.viewer('venues.waitlist.list', { venueId: f.hall, includeClosed: true })).rows;
    expect(all.map((r) => [r.state, r.bookingId, r.withdrawReason]).sort()).toEqual([
      ['booked', booked.bookingId, null],
      ['withdrawn', null, '改用其他场地'],
    ]);
    const audit = await dbRows<{ summary: string }>(f.core, `SELECT summary FROM audit_log WHERE entity = 'venue_waitlist' ORDER BY id`);
    expect(audit.map((a) => a.summary)).toEqual([
      '加入候补「多功能厅」:邻里守望互助队,2026-03-05 20:00–21:00,第 1 位',
      '加入候补「多功能厅」:银龄合唱团,2026-03-05 19:30–20:30,第 2 位',
      '候补转预约:2026-03-05 20:00–21:00',
      '撤回候补:2026-03-05 19:30–20:30,原因:改用其他场地',
    ]);
  });
});
