import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDemoCore, refusal } from '../../helpers/core';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
const NOW = new Date('2026-03-02T02:00:00Z');
let venueId = '';
const ORG = '0f1e2d3c-training-test-org';

beforeAll(async () => {
  t = await openDemoCore('liming', { now: () => NOW }); // approver + staff: bookings are approved at once
  const day = [{ start: '08:00', end: '21:00' }];
  venueId = (
    await t.call('venues.create', {
      name: '多功能培训室',
      hostTypeCode: 'H01',
      capacity: 40,
      openingHours: [day, day, day, day, day, day, day],
      approvalRequired: false,
    })
  ).id;
  await sql`INSERT INTO organizations (id, name, mgmt_class, created_at, updated_at) VALUES (${ORG}, '玉林社区志愿服务队', 'guided', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(t.core.db);
});
afterAll(async () => t?.cleanup());

const base = {
  category: 'C01',
  format: 'M01',
  date: '2026-03-10',
  startTime: '14:00',
  minutes: 120,
  trainer: '周老师',
  capacity: 30,
  location: null,
};

describe('sessions book their venue through the venues rule', () => {
  it('books, refuses an overlapping session, moves with the session and releases on cancel', async () => {
    const a = await t.call('training.sessions.save', { ...base, title: '党建业务培训', venueId, organizerId: ORG });
    expect(a).toMatchObject({ venueName: '多功能培训室', organizerName: '玉林社区志愿服务队', bookingState: 'approved' });
    const clash = await refusal(t.core, 'training.sessions.save', { ...base, title: '另一场', startTime: '15:00', venueId, organizerId: ORG }, t.token);
    expect(clash.code).toBe('CONFLICT');
    // Nothing half-written: the refused session does not exist.
    const list = await t.call('training.sessions.list', { year: 2026, startRow: 0, endRow: 100, search: '另一场' });
    expect(list.rows).toEqual([]);
    const tooMany = await refusal(t.core, 'training.sessions.save', { ...base, title: '人太多', date: '2026-03-12', capacity: 60, venueId, organizerId: ORG }, t.token);
    expect(tooMany.code).toBe('RULE'); // the venue holds 40
    const moved = await t.call('training.sessions.save', { ...base, id: a.id, title: '党建业务培训', startTime: '16:00', venueId, organizerId: ORG });
    expect(moved.bookingId).toBe(a.bookingId);
    const b = await t.call('training.sessions.save', { ...base, title: '另一场', startTime: '14:00', venueId, organizerId: ORG });
    expect(b.bookingState).toBe('approved');
    const cancelled = await t.call('training.sessions.cancel', { id: a.id, reason: '讲师临时有事' });
    expect(cancelled).toMatchObject({ status: 'cancelled', bookingId: null });
    const bk = await t.core.db.selectFrom('venue_bookings').select('state').where('id', '=', a.bookingId!).executeTakeFirstOrThrow();
    expect(bk.state).toBe('cancelled');
  });
});

describe('本基地主办: a session the hub runs itself books its venue without an organization', () => {
  it('is saved, listed, shown as 本基地 on the calendar and list, counts in utilization, and the overlap guard holds', async () => {
    const hub = await t.call('training.sessions.save', { ...base, title: '社工能力提升班', date: '2026-03-20', venueId, organizerId: null });
    expect(hub).toMatchObject({ venueName: '多功能培训室', organizerId: null, organizerName: null, bookingState: 'approved' });
    const row = await t.core.db.selectFrom('venue_bookings').select(['organization_id', 'source']).where('id', '=', hub.bookingId!).executeTakeFirstOrThrow();
    expect(row).toEqual({ organization_id: null, source: 'training' });

    const listed = await t.call('training.sessions.list', { year: 2026, startRow: 0, endRow: 100, search: '社工能力提升班' });
    expect(listed.rows.map((r) => r.id)).toEqual([hub.id]);

    const cal = await t.call('venues.bookings.calendar', { venueIds: [venueId], from: '2026-03-20', to: '2026-03-20' });
    expect(cal.rows).toEqual([expect.objectContaining({ id: hub.bookingId, organizationId: null, organizationName: '本基地', start: '2026-03-20T14:00' })]);
    const page = await t.call('venues.bookings.page', { startRow: 0, endRow: 50, filter: { venueId, from: '2026-03-20', to: '2026-03-20' } });
    expect(page.rows.map((r) => [r.id, r.organizationName])).toEqual([[hub.bookingId, '本基地']]);

    const util = await t.call('venues.utilization', { from: '2026-03-20', to: '2026-03-20', venueIds: [venueId] });
    expect(util.venues[0].total).toMatchObject({ bookings: 1, bookedMinutes: 120 });
    expect(util.organizations).toEqual([expect.objectContaining({ organizationId: null, organizationName: '本基地', bookedMinutes: 120, bookings: 1 })]);
    const utilAll = await t.call('venues.utilization', { from: '2026-03-20', to: '2026-03-20' });
    expect(utilAll.organizations.map((o) => o.organizationName)).toContain('本基地');

    // The overlap guard holds for the hub's own booking: neither another hub session nor an organization takes the slot.
    const clashHub = await refusal(t.core, 'training.sessions.save', { ...base, title: '同时段', date: '2026-03-20', startTime: '15:00', venueId }, t.token);
    expect(clashHub.code).toBe('CONFLICT');
    const clashOrg = await refusal(t.core, 'training.sessions.save', { ...base, title: '组织同时段', date: '2026-03-20', startTime: '13:00', venueId, organizerId: ORG }, t.token);
    expect(clashOrg.code).toBe('CONFLICT');
    await expect(
      sql`UPDATE venue_bookings SET start_at = '2026-03-20T14:30', end_at = '2026-03-20T15:30', state = 'approved' WHERE id = ${(await t.core.db.selectFrom('venue_bookings').select('id').where('venue_id', '=', venueId).where('state', '=', 'cancelled').executeTakeFirstOrThrow()).id}`.execute(t.core.db),
    ).rejects.toThrow();
  });
});
