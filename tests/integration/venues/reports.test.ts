import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { venuesFixture } from './fixtures';

type F = Awaited<ReturnType<typeof venuesFixture>>;

describe('utilization, xlsx and ics', () => {
  let f: F;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-01T10:00');
    // A simple venue: open every day 09:00–17:00 (8 h), closed 03-31.
    const open = Array.from({ length: 7 }, () => [{ start: '09:00', end: '17:00' }]);
    const { hallInput } = await import('./fixtures');
    const room = (await f.call('venues.create', hallInput({ name: '会议室', openingHours: open, closed: [{ from: '2026-03-31', to: '2026-03-31', reason: '电路检修' }] }))).id;
    const book = async (org: string, start: string, end: string) => {
      const r = await f.staff('venues.bookings.create', f.request({ venueId: room, organizationId: org, start, end }));
      await f.approver('venues.bookings.approve', { id: r.created[0].id });
      return r.created[0].id;
    };
    const used = await book(f.orgs.choir, '2026-03-02T09:00', '2026-03-02T11:00');
    const noShow = await book(f.orgs.elders, '2026-03-03T14:00', '2026-03-03T15:30');
    await book(f.orgs.choir, '2026-04-01T09:00', '2026-04-01T12:00');
    const requested = await f.staff('venues.bookings.create', f.request({ venueId: room, start: '2026-04-02T09:00', end: '2026-04-02T10:00' }));
    expect(requested.created[0].state).toBe('requested');
    await f.setNow('2026-03-04T10:00');
    await f.staff('venues.bookings.record', { id: used, outcome: 'used' });
    await f.staff('venues.bookings.record', { id: noShow, outcome: 'no_show' });
    (f as unknown as { room: string }).room = room;
  }, 120_000);
  afterAll(async () => f?.cleanup());

  it('hours booked, used, no-show and idle per venue and month; requested does not count', async () => {
    const room = (f as unknown as { room: string }).room;
    const r = await f.viewer('venues.utilization', { from: '2026-03-01', to: '2026-04-30', venueIds: [room] });
    expect(r.months).toEqual(['2026-03', '2026-04']);
    const v = r.venues[0];
    expect(v.venueName).toBe('会议室');
    expect(v.months[0]).toEqual({ month: '2026-03', openMinutes: 30 * 480, bookedMinutes: 210, usedMinutes: 120, noShowMinutes: 90, idleMinutes: 30 * 480 - 210, bookings: 2 });
    expect(v.months[1]).toEqual({ month: '2026-04', openMinutes: 30 * 480, bookedMinutes: 180, usedMinutes: 0, noShowMinutes: 0, idleMinutes: 30 * 480 - 180, bookings: 1 });
    expect(r.total.bookedMinutes).toBe(390);
    expect(r.organizations.map((o) => [o.organizationName, o.bookedMinutes, o.usedMinutes, o.noShowMinutes])).toEqual([
      ['银龄合唱团', 300, 120, 0],
      ['邻里守望互助队', 90, 0, 90],
    ]);
    const all = await f.viewer('venues.utilization', { from: '2026-03-01', to: '2026-03-31' });
    expect(all.venues.map((x) => x.venueName)).toEqual(expect.arrayContaining(['会议室', '多功能厅']));
    expect(all.byMonth[0].bookedMinutes).toBe(all.venues.reduce((sum, x) => sum + x.months[0].bookedMinutes, 0));
    expect(all.total.bookedMinutes).toBe(all.byMonth[0].bookedMinutes);
  });

  it('exports the report as a workbook with the same figures', async () => {
    const room = (f as unknown as { room: string }).room;
    const file = await f.viewer('venues.utilization.export', { from: '2026-03-01', to: '2026-04-30', venueIds: [room] });
    expect(file.fileName).toBe('场地使用率-2026-03-01-2026-04-30.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['场地汇总', '按月', '按组织']);
    const summary = wb.getWorksheet('场地汇总')!;
    expect(summary.getRow(1).values).toEqual([undefined, '场地', '开放小时', '预约小时', '已使用小时', '未到场小时', '空闲小时', '使用率', '预约次数']);
    expect(summary.getRow(2).values).toEqual([undefined, '会议室', 480, 6.5, 2, 1.5, 473.5, 0.014, 3]);
    const orgs = wb.getWorksheet('按组织')!;
    expect(orgs.getRow(2).values).toEqual([undefined, '银龄合唱团', 5, 2, 0, 2]);
  });

  it('refuses a reversed or too long range', async () => {
    const { refusal } = await import('../../helpers/core');
    expect((await refusal(f.core, 'venues.utilization', { from: '2026-04-01', to: '2026-03-01' }, f.tokens.viewer)).message).toContain('结束日期不能早于开始日期');
  });

  it('exports an .ics calendar of the venue', async () => {
    const room = (f as unknown as { room: string }).room;
    const file = await f.viewer('venues.ics', { venueId: room, from: '2026-03-01', to: '2026-04-30' });
    expect(file.mimeType).toBe('text/calendar; charset=utf-8');
    const text = Buffer.from(file.base64, 'base64').toString('utf8');
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(unfolded).toContain('DTSTART;TZID=Asia/Shanghai:20260302T090000');
    expect(unfolded).toContain('SUMMARY:银龄合唱团:合唱排练');
    expect(unfolded).toContain('LOCATION:会议室\\,玉林北路 12 号二楼');
    expect(unfolded).toContain('STATUS:TENTATIVE');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});
