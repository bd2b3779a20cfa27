import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../helpers/core';
import { countOverlaps } from '../../../electron/core/venues/bookingService';
import { venuesFixture, dbRows, dbRefusal } from './fixtures';
import { OVERLAP_MESSAGE } from '../../../electron/core/db/errors';

type F = Awaited<ReturnType<typeof venuesFixture>>;

describe('venue bookings: requests, approval and the overlap rule', () => {
  let f: F;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-01T10:00');
  });
  afterAll(async () => f?.cleanup());

  it('a request starts as requested, the approver approves it, the audit log has both', async () => {
    const r = await f.staff('venues.bookings.create', f.request());
    expect(r.created).toHaveLength(1);
    expect(r.created[0]).toMatchObject({ date: '2026-03-02', state: 'requested' });
    const ok = await f.approver('venues.bookings.approve', { id: r.created[0].id });
    expect(ok.changed).toEqual([{ id: r.created[0].id, date: '2026-03-02', state: 'approved' }]);
    const got = await f.viewer('venues.bookings.get', { id: r.created[0].id });
    expect(got.booking.state).toBe('approved');
    expect(got.booking.decidedBy).toBe('李明(主任)');
    const audit = await dbRows<{ action: string; summary: string }>(f.core, "SELECT action, summary FROM audit_log WHERE action LIKE 'venues.bookings.%' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['venues.bookings.create', 'venues.bookings.approve']);
    expect(audit[1].summary).toContain('批准场地预约「多功能厅」:银龄合唱团,2026-03-02 19:00–21:00');
  });

  it('staff cannot approve; the viewer cannot book', async () => {
    const r = await f.staff('venues.bookings.create', f.request({ start: '2026-03-03T09:00', end: '2026-03-03T10:00' }));
    const e1 = await refusal(f.core, 'venues.bookings.approve', { id: r.created[0].id }, f.tokens.staff);
    expect(e1.code).toBe('FORBIDDEN');
    expect(e1.message).toContain('批准预约');
  });

  it('an overlapping request is refused with CONFLICT naming the approved booking; touching is fine', async () => {
    const e = await refusal(f.core, 'venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-02T20:00', end: '2026-03-02T21:00' }), f.tokens.staff);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('2026-03-02 20:00–21:00 与已批准的预约冲突:2026-03-02 19:00–21:00(银龄合唱团)');
    const touching = await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-02T17:00', end: '2026-03-02T19:00' }));
    expect(touching.created[0].state).toBe('requested');
    await f.approver('venues.bookings.approve', { id: touching.created[0].id });
  });

  it('two overlapping requests may wait; approving the second is refused once the first is approved', async () => {
    const a = await f.staff('venues.bookings.create', f.request({ start: '2026-03-05T14:00', end: '2026-03-05T16:00' }));
    const b = await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-05T15:00', end: '2026-03-05T17:00' }));
    await f.approver('venues.bookings.approve', { id: a.created[0].id });
    const e = await refusal(f.core, 'venues.bookings.approve', { id: b.created[0].id }, f.tokens.approver);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('与已批准的预约冲突:2026-03-05 14:00–16:00(银龄合唱团)');
    expect((await f.viewer('venues.bookings.get', { id: b.created[0].id })).booking.state).toBe('requested');
  });

  it('the database refuses an overlapping approved row even when the service is bypassed', async () => {
    // Straight into the table on either engine (SQLite: the triggers of 0003/0013; PostgreSQL: the EXCLUDE
    // constraint of its 0003), with the same Chinese refusal.
    const [row] = await dbRows(f.core, "SELECT * FROM venue_bookings WHERE state = 'approved' AND venue_id = ? ORDER BY start_at LIMIT 1", f.hall);
    const copy = { ...row, id: 'raw-1', start_at: '2026-03-02T18:30', end_at: '2026-03-02T19:30' };
    const insert = (values: Record<string, unknown>) => f.core.db.insertInto('venue_bookings').values(values as never).execute();
    const overlap = { kind: 'overlap', message: OVERLAP_MESSAGE };
    expect(OVERLAP_MESSAGE).toMatch(/两个已批准的预约不能重叠/);
    expect(await dbRefusal(insert(copy))).toEqual(overlap);
    // the same row as a request is accepted, then promoting it is refused by the update trigger
    await insert({ ...copy, state: 'requested' });
    expect(await dbRefusal(dbRows(f.core, "UPDATE venue_bookings SET state = 'approved' WHERE id = 'raw-1'"))).toEqual(overlap);
    // moving an approved booking onto another is refused too
    expect(await dbRefusal(dbRows(f.core, "UPDATE venue_bookings SET start_at = '2026-03-02T19:30', end_at = '2026-03-02T20:30' WHERE id = ?", row.id))).toEqual(overlap);
    // touching is allowed by the database as well
    await insert({ ...copy, id: 'raw-2', start_at: '2026-03-02T21:00', end_at: '2026-03-02T21:30' });
    // a booking longer than a day is refused by the table (the guard's look-back relies on it)
    expect((await dbRefusal(insert({ ...copy, id: 'raw-3', state: 'requested', start_at: '2026-03-10T08:00', end_at: '2026-03-11T08:01' }))).kind).toBe('check');
    await dbRows(f.core, "DELETE FROM venue_bookings WHERE id IN ('raw-1', 'raw-2')");
    expect(await countOverlaps(f.core.db)).toBe(0);
  });

  it('refuses each rule with its Chinese message', async () => {
    const cases: [Partial<Parameters<F['request']>[0]>, string, RegExp][] = [
      [{ start: '2026-03-02T10:00', end: '2026-03-02T09:00' }, 'VALIDATION|RULE', /结束时间 2026-03-02 09:00 应晚于开始时间 2026-03-02 10:00/],
      [{ start: '2026-03-03T12:00', end: '2026-03-03T13:00' }, 'RULE', /超出场地开放时间\(周二 08:30–12:00、14:00–21:00\)/],
      [{ start: '2026-04-06T09:00', end: '2026-04-06T10:00' }, 'RULE', /^2026-04-06 场地闭馆:清明节假期$/],
      [{ expectedAttendance: 41, start: '2026-03-04T09:00', end: '2026-03-04T10:00' }, 'RULE', /^预计人数 41 人超过场地容量 40 人$/],
      [{ start: '2026-02-27T09:00', end: '2026-02-27T10:00' }, 'RULE', /已经过去,不能预约过去的时间/],
      [{ start: '2026-03-04T09:00', end: '2026-03-04T09:15' }, 'RULE', /^预约时长 15分钟 短于最短 30分钟$/],
      [{ start: '2026-03-04T14:00', end: '2026-03-04T19:00' }, 'RULE', /^预约时长 5小时 超过最长 4小时$/],
      [{ start: '2026-03-01T10:30', end: '2026-03-01T11:30' }, 'RULE', /需至少提前 1小时 预约|周日 不开放/],
      [{ start: '2026-07-01T09:00', end: '2026-07-01T10:00' }, 'RULE', /^最多只能提前 90 天预约$/],
      [{ organizationId: 'no-such-org' }, 'NOT_FOUND', /组织不存在/],
    ];
    for (const [over, codes, message] of cases) {
      const e = await refusal(f.core, 'venues.bookings.create', f.request(over), f.tokens.staff);
      expect(codes.split('|'), JSON.stringify(over)).toContain(e.code);
      expect(e.message, JSON.stringify(over)).toMatch(message);
    }
    // notice on an open day: Monday 2026-03-02 09:00 when it is 08:30 that morning
    await f.setNow('2026-03-02T08:30');
    const e = await refusal(f.core, 'venues.bookings.create', f.request({ start: '2026-03-02T09:00', end: '2026-03-02T10:00' }), f.tokens.staff);
    expect(e.message).toBe('需至少提前 1小时 预约');
    await f.setNow('2026-03-01T10:00');
    // a withdrawn organization
    const w = await refusal(f.core, 'venues.bookings.create', f.request({ organizationId: f.orgs.gone, start: '2026-03-04T09:00', end: '2026-03-04T10:00' }), f.tokens.staff);
    expect(w.message).toContain('已退出,不能预约场地');
    // a venue that is not bookable
    const closed = (await f.call('venues.create', { ...(await import('./fixtures')).hallInput({ name: '库房', bookable: false }) })).id;
    const nb = await refusal(f.core, 'venues.bookings.create', f.request({ venueId: closed, start: '2026-03-04T09:00', end: '2026-03-04T10:00' }), f.tokens.staff);
    expect(nb.message).toBe('该场地当前不接受预约');
    // nothing was written by any refusal
    expect((await dbRows<{ n: number }>(f.core, "SELECT count(*) AS n FROM venue_bookings WHERE start_at LIKE '2026-04-06%' OR start_at LIKE '2026-07-01%' OR organization_id = ?", f.orgs.gone))[0].n).toBe(0);
  });

  it('a major activity needs its report filed before the date', async () => {
    // 120 people is above the hub threshold (100): a major activity, also over capacity in the hall
    const big = (await f.call('venues.create', (await import('./fixtures')).hallInput({ name: '礼堂', capacity: 300 }))).id;
    const e = await refusal(f.core, 'venues.bookings.create', f.request({ venueId: big, expectedAttendance: 120, start: '2026-03-10T14:00', end: '2026-03-10T16:00' }), f.tokens.staff);
    expect(e.code).toBe('RULE');
    expect(e.message).toBe('该活动属于重大活动,须先提交重大活动报告,再预约场地');
    // a festival kind (节庆活动 = K05) is major whatever the size
    const k = await refusal(f.core, 'venues.bookings.create', f.request({ venueId: big, activityKindCode: 'K05', start: '2026-03-10T14:00', end: '2026-03-10T16:00' }), f.tokens.staff);
    expect(k.message).toContain('重大活动');
    // linking the organization's activity whose report was filed before the date lets it through
    const iso = new Date().toISOString();
    await dbRows(
      f.core,
      `INSERT INTO org_activities (id, org_id, title, series_code, kind_code, date, expected_attendance, status, is_major, report_filed_date, created_at, updated_at)
       VALUES ('act-1', ?, '三八节文艺汇演', 'S04', 'K06', '2026-03-10', 120, 'planned', 1, '2026-02-25', ?, ?)`,
      f.orgs.choir,
      iso,
      iso,
    );
    const ok = await f.staff('venues.bookings.create', f.request({ venueId: big, expectedAttendance: 120, activityId: 'act-1', start: '2026-03-10T14:00', end: '2026-03-10T16:00' }));
    expect(ok.created).toHaveLength(1);
    // an activity of another organization cannot be linked
    const other = await refusal(f.core, 'venues.bookings.create', f.request({ venueId: big, organizationId: f.orgs.elders, activityId: 'act-1', start: '2026-03-11T14:00', end: '2026-03-11T16:00' }), f.tokens.staff);
    expect(other.message).toBe('关联的活动不属于该组织');
  });

  it('quota per organization per week', async () => {
    const limited = (await f.call('venues.create', (await import('./fixtures')).hallInput({ name: '活动室', quotas: [{ period: 'week', unit: 'bookings', limit: 2 }] }))).id;
    await f.staff('venues.bookings.create', f.request({ venueId: limited, start: '2026-03-09T09:00', end: '2026-03-09T10:00' }));
    await f.staff('venues.bookings.create', f.request({ venueId: limited, start: '2026-03-10T09:00', end: '2026-03-10T10:00' }));
    const e = await refusal(f.core, 'venues.bookings.create', f.request({ venueId: limited, start: '2026-03-14T09:00', end: '2026-03-14T10:00' }), f.tokens.staff);
    expect(e.message).toBe('本组织在2026-03-09 所在的一周已有 2 次预约,超过每周 2 次的配额');
    // another organization is not affected
    await f.staff('venues.bookings.create', f.request({ venueId: limited, organizationId: f.orgs.elders, start: '2026-03-14T09:00', end: '2026-03-14T10:00' }));
  });

  it('a venue without required approval books as approved at once, still conflict-checked', async () => {
    const open = (await f.call('venues.create', (await import('./fixtures')).hallInput({ name: '阅览室', approvalRequired: false }))).id;
    const r = await f.staff('venues.bookings.create', f.request({ venueId: open, start: '2026-03-12T09:00', end: '2026-03-12T11:00' }));
    expect(r.created[0].state).toBe('approved');
    const e = await refusal(f.core, 'venues.bookings.create', f.request({ venueId: open, organizationId: f.orgs.elders, start: '2026-03-12T10:00', end: '2026-03-12T12:00' }), f.tokens.staff);
    expect(e.code).toBe('CONFLICT');
  });

  it('cancel needs a reason; used / no-show only after the start', async () => {
    const r = await f.staff('venues.bookings.create', f.request({ start: '2026-03-13T09:00', end: '2026-03-13T10:00' }));
    const id = r.created[0].id;
    const noReason = await refusal(f.core, 'venues.bookings.cancel', { id, reason: ' ' }, f.tokens.staff);
    expect(noReason.code).toBe('VALIDATION');
    await f.approver('venues.bookings.approve', { id });
    const early = await refusal(f.core, 'venues.bookings.record', { id, outcome: 'used' }, f.tokens.staff);
    expect(early.message).toBe('预约尚未开始,不能登记已使用');
    await f.setNow('2026-03-13T09:30');
    const late = await refusal(f.core, 'venues.bookings.cancel', { id, reason: '临时有事' }, f.tokens.staff);
    expect(late.message).toBe('已开始的预约不能取消,请登记为已使用或未到场');
    await f.staff('venues.bookings.record', { id, outcome: 'used' });
    expect((await f.viewer('venues.bookings.get', { id })).booking.state).toBe('used');
    await f.setNow('2026-03-01T10:00');
    const r2 = await f.staff('venues.bookings.create', f.request({ start: '2026-03-13T14:00', end: '2026-03-13T15:00' }));
    const c = await f.staff('venues.bookings.cancel', { id: r2.created[0].id, reason: '活动延期' });
    expect(c.changed[0].state).toBe('cancelled');
    const got = await f.viewer('venues.bookings.get', { id: r2.created[0].id });
    expect(got.booking.cancelReason).toBe('活动延期');
    // the freed slot can be booked again
    await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-13T14:00', end: '2026-03-13T15:00' }));
  });

  it('never leaves two approved bookings overlapping', async () => {
    expect(await countOverlaps(f.core.db)).toBe(0);
  });
});
