import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '@shared/venues/rules';
import { refusal } from '../../helpers/core';
import { hallInput, venuesFixture, dbRows } from './fixtures';

type F = Awaited<ReturnType<typeof venuesFixture>>;

describe('venues: the records, their rules, and bookings a change leaves behind', () => {
  let f: F;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-01T10:00');
  });
  afterAll(async () => f?.cleanup());

  it('creates a venue with every field and reads it back; staff may, the viewer may not', async () => {
    const input = hallInput({
      name: '社工站·小组活动室',
      hostTypeCode: 'H02',
      hostName: '簇桥街道社会工作服务站',
      capacity: 16,
      equipment: ['白板', '圆桌'],
      closed: [
        { from: '2026-05-01', to: '2026-05-05', reason: '劳动节假期' },
        { from: '2026-04-04', to: '2026-04-06', reason: '清明节假期' },
      ],
      quotas: [{ period: 'month', unit: 'hours', limit: 20 }],
    });
    const { id } = await f.staff('venues.create', input);
    const v = await f.viewer('venues.get', { id });
    expect(v).toMatchObject({ name: '社工站·小组活动室', hostTypeCode: 'H02', capacity: 16, equipment: ['白板', '圆桌'], bookable: true });
    expect(v.closed.map((c) => c.from)).toEqual(['2026-04-04', '2026-05-01']); // kept in date order
    expect(v.openingHours).toEqual(DEFAULT_RULES.openingHours);
    const e = await refusal(f.core, 'venues.create', hallInput({ name: '观众席' }), f.tokens.viewer);
    expect(e.code).toBe('FORBIDDEN');
  });

  it('refuses bad venue records with a Chinese message naming the field', async () => {
    const cases: [Partial<ReturnType<typeof hallInput>>, string, string | RegExp][] = [
      [{ capacity: 0 }, 'capacity', '容量至少 1 人'],
      [{ name: '厅' }, 'name', '场地名称至少 2 个字'],
      [
        { openingHours: [[{ start: '08:00', end: '12:00' }, { start: '11:00', end: '14:00' }], [], [], [], [], [], []] },
        'openingHours.0',
        '周一的开放时间段有重叠',
      ],
      [{ openingHours: [[{ start: '14:00', end: '09:00' }], [], [], [], [], [], []] }, 'openingHours.0.0', '周一第 1 段结束时间 09:00 应晚于开始时间 14:00'],
      [{ openingHours: [[], [], []] }, 'openingHours', '开放时间应包含周一至周日七天'],
      [{ closed: [{ from: '2026-05-05', to: '2026-05-01', reason: '维修' }] }, 'closed.0', '闭馆日期第 1 行结束日期 2026-05-01 早于开始日期 2026-05-05'],
      [{ closed: [{ from: '2026-05-01', to: '2026-05-01', reason: ' ' }] }, 'closed.0.reason', '请填写闭馆原因'],
      [{ minLengthMinutes: 300, maxLengthMinutes: 120 }, 'minLengthMinutes', '最短时长不能大于最长时长'],
      [{ maxLengthMinutes: 2000 }, 'maxLengthMinutes', /1440/],
    ];
    for (const [over, path, message] of cases) {
      const e = await refusal(f.core, 'venues.create', hallInput({ name: '待建活动室', ...over }), f.tokens.staff);
      expect(e.code, path).toBe('VALIDATION');
      const issue = e.issues?.find((i) => i.path === path);
      expect(issue, `${path}: ${JSON.stringify(e.issues)}`).toBeDefined();
      if (typeof message === 'string') expect(issue!.message).toBe(message);
      else expect(issue!.message).toMatch(message);
    }
    const host = await refusal(f.core, 'venues.create', hallInput({ name: '待建活动室', hostTypeCode: 'H99' }), f.tokens.staff);
    expect(host.code).toBe('VALIDATION');
    expect(host.message).toBe('依托设施类型「H99」不在字典中(可选:街道/社区综合服务设施、社会工作服务站、党群服务中心)');
    expect(host.issues).toEqual([{ path: 'hostTypeCode', message: '依托设施类型「H99」不在字典中' }]);
    const dup = await refusal(f.core, 'venues.create', hallInput(), f.tokens.staff);
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toBe('已有名为「多功能厅」的场地');
    expect((await dbRows<{ n: number }>(f.core, `SELECT count(*) AS n FROM venues WHERE name = '待建活动室'`))[0].n).toBe(0);
  });

  it('a closed date or lower capacity over live bookings keeps them, lists them, and blocks their approval', async () => {
    const approved = await f.approver('venues.bookings.create', f.request({ start: '2026-03-10T19:00', end: '2026-03-10T21:00' }));
    await f.approver('venues.bookings.approve', { id: approved.created[0].id });
    const requested = await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-11T09:00', end: '2026-03-11T10:00', expectedAttendance: 35 }));
    const untouched = await f.staff('venues.bookings.create', f.request({ start: '2026-03-12T09:00', end: '2026-03-12T10:00', expectedAttendance: 10 }));
    const before = await f.viewer('venues.get', { id: f.hall });
    const { createdAt: _c, updatedAt: _u, id: _i, ...venue } = before;
    const r = await f.staff('venues.update', {
      id: f.hall,
      version: before.version,
      venue: { ...venue, capacity: 30, closed: [...venue.closed, { from: '2026-03-10', to: '2026-03-10', reason: '消防检查' }] },
    });
    expect(r.affected).toEqual([
      {
        id: approved.created[0].id,
        start: '2026-03-10T19:00',
        end: '2026-03-10T21:00',
        state: 'approved',
        organizationName: '银龄合唱团',
        purpose: '合唱排练',
        messages: ['2026-03-10 场地闭馆:消防检查'],
      },
      {
        id: requested.created[0].id,
        start: '2026-03-11T09:00',
        end: '2026-03-11T10:00',
        state: 'requested',
        organizationName: '邻里守望互助队',
        purpose: '合唱排练',
        messages: ['预计人数 35 人超过场地容量 30 人'],
      },
    ]);
    // nothing was cancelled by saving the venue
    const states = await f.viewer('venues.bookings.page', { startRow: 0, endRow: 10, sort: [], filter: { venueId: f.hall, from: '2026-03-10', to: '2026-03-12' } });
    expect(states.rows.map((b) => [b.start, b.state]).sort()).toEqual([
      ['2026-03-10T19:00', 'approved'],
      ['2026-03-11T09:00', 'requested'],
      ['2026-03-12T09:00', 'requested'],
    ]);
    expect(untouched.created).toHaveLength(1);
    // the request that no longer fits cannot be approved
    const e = await refusal(f.core, 'venues.bookings.approve', { id: requested.created[0].id }, f.tokens.approver);
    expect(e.code).toBe('RULE');
    expect(e.message).toBe('预计人数 35 人超过场地容量 30 人');
    const [audit] = await dbRows<{ summary: string }>(f.core, `SELECT summary FROM audit_log WHERE entity = 'venue' AND entity_id = ? ORDER BY id DESC LIMIT 1`, f.hall);
    expect(audit.summary).toBe('修改场地「多功能厅」;2 个已有预约不再符合场地规则');
    // a change that leaves every booking valid lists none
    const again = await f.staff('venues.update', { id: f.hall, version: before.version + 1, venue: { ...venue, capacity: 40 } });
    expect(again.affected).toEqual([]);
  });
});
