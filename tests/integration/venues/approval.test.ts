import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../helpers/core';
import { venuesFixture, dbRows } from './fixtures';

/**
 * Issue 18 point 7 (bookings): the list shows upcoming bookings first (nearest first) and the past after (latest
 * first); 批量批准 checks each booking against overlap on its own and says per booking what happened; 驳回 needs a
 * reason, which the booker sees and the audit log keeps.
 */
describe('booking approval: list order, bulk approve, 驳回 with a reason', () => {
  let f: Awaited<ReturnType<typeof venuesFixture>>;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-10T10:00');
  });
  afterAll(async () => f?.cleanup());

  it('bulk approve: each booking is checked on its own, overlap included, with one result per booking', async () => {
    const a = (await f.staff('venues.bookings.create', f.request({ start: '2026-03-12T19:00', end: '2026-03-12T21:00' }))).created[0].id;
    const b = (await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-12T19:30', end: '2026-03-12T21:00' }))).created[0].id;
    const c = (await f.staff('venues.bookings.create', f.request({ start: '2026-03-13T09:00', end: '2026-03-13T10:00' }))).created[0].id;
    const r = await f.approver('venues.bookings.approveMany', { items: [{ id: a }, { id: b }, { id: c }] });
    expect(r.approved).toBe(2);
    expect(r.refused).toBe(1);
    expect(r.results.map((x) => [x.id, x.ok])).toEqual([
      [a, true],
      [b, false],
      [c, true],
    ]);
    expect(r.results[1].message).toContain('2026-03-12 19:00–21:00');
    expect(r.results[1].state).toBe('requested');
    const states = await Promise.all([a, b, c].map(async (id) => (await f.viewer('venues.bookings.get', { id })).booking.state));
    expect(states).toEqual(['approved', 'requested', 'approved']);
    const audit = await dbRows(f.core, "SELECT action FROM audit_log WHERE action = 'venues.bookings.approveMany'");
    expect(audit.length).toBe(2); // one row per approved booking
    const e = await refusal(f.core, 'venues.bookings.approveMany', { items: [{ id: c }] }, f.tokens.staff);
    expect(e.code).toBe('FORBIDDEN');
  });

  it('驳回 needs a reason; the booking ends rejected with the reason shown to the booker and in the audit log', async () => {
    const id = (await f.staff('venues.bookings.create', f.request({ start: '2026-03-14T09:00', end: '2026-03-14T11:00' }))).created[0].id;
    const noReason = await refusal(f.core, 'venues.bookings.reject', { id, reason: '  ' }, f.tokens.approver);
    expect(noReason.code).toBe('VALIDATION');
    expect(noReason.message).toContain('驳回理由');
    const staffTry = await refusal(f.core, 'venues.bookings.reject', { id, reason: '当天场地用于社区选举' }, f.tokens.staff);
    expect(staffTry.code).toBe('FORBIDDEN');
    const r = await f.approver('venues.bookings.reject', { id, reason: '当天场地用于社区选举' });
    expect(r.changed).toEqual([{ id, date: '2026-03-14', state: 'cancelled' }]);
    const seen = (await f.staff('venues.bookings.get', { id })).booking;
    expect(seen).toMatchObject({ state: 'cancelled', rejected: true, cancelReason: '当天场地用于社区选举', decidedBy: '李明(主任)' });
    const [audit] = await dbRows<{ summary: string }>(f.core, "SELECT summary FROM audit_log WHERE action = 'venues.bookings.reject'");
    expect(audit.summary).toBe('驳回场地预约「多功能厅」:银龄合唱团,2026-03-14 09:00–11:00,驳回理由:当天场地用于社区选举');
    // an approved booking is cancelled, not rejected
    const approvedOne = (await f.viewer('venues.bookings.page', { startRow: 0, endRow: 50, filter: { venueId: f.hall, states: ['approved'] } })).rows[0];
    const e = await refusal(f.core, 'venues.bookings.reject', { id: approvedOne.id, reason: '重复预约' }, f.tokens.approver);
    expect(e.message).toContain('已批准的预约不能驳回');
    // a cancellation by the booker is not a rejection
    const other = (await f.staff('venues.bookings.create', f.request({ start: '2026-03-16T09:00', end: '2026-03-16T10:00' }))).created[0].id;
    await f.staff('venues.bookings.cancel', { id: other, reason: '活动改期' });
    expect((await f.viewer('venues.bookings.get', { id: other })).booking.rejected).toBe(false);
  });

  it('the list shows upcoming bookings first, nearest first, then the past, latest first, across pages', async () => {
    await f.setNow('2026-03-01T08:00');
    for (const day of ['03', '05', '06']) await f.staff('venues.bookings.create', f.request({ start: `2026-03-${day}T14:00`, end: `2026-03-${day}T15:00` }));
    await f.setNow('2026-03-13T08:00');
    const all = await f.viewer('venues.bookings.page', { startRow: 0, endRow: 500, filter: { venueId: f.hall } });
    const starts = all.rows.map((r) => r.start);
    const cut = '2026-03-13T00:00';
    const upcoming = starts.filter((s) => s >= cut);
    const past = starts.filter((s) => s < cut);
    expect(upcoming.length).toBeGreaterThan(1);
    expect(past.length).toBeGreaterThan(1);
    expect(starts).toEqual([...upcoming, ...past]);
    expect(upcoming).toEqual([...upcoming].sort());
    expect(past).toEqual([...past].sort().reverse());
    expect(all.total).toBe(starts.length);
    // paged in small blocks (as the grid asks), the same order
    const paged: string[] = [];
    for (let s = 0; s < all.total; s += 3) paged.push(...(await f.viewer('venues.bookings.page', { startRow: s, endRow: s + 3, filter: { venueId: f.hall } })).rows.map((r) => r.start));
    expect(paged).toEqual(starts);
    // an explicit sort still wins
    const asc = (await f.viewer('venues.bookings.page', { startRow: 0, endRow: 500, sort: [{ colId: 'start', sort: 'asc' }], filter: { venueId: f.hall } })).rows.map((r) => r.start);
    expect(asc).toEqual([...starts].sort());
  });
});
