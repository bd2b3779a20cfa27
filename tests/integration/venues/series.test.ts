import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../helpers/core';
import { countOverlaps } from '../../../electron/core/venues/bookingService';
import { venuesFixture, dbRows } from './fixtures';

type F = Awaited<ReturnType<typeof venuesFixture>>;

describe('recurring bookings', () => {
  let f: F;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-01T10:00');
    // The elders' approved Thursday evening on 2026-03-19 and a one-off on 2026-04-02 stand in the choir's way.
    for (const day of ['2026-03-19', '2026-04-02']) {
      const r = await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: `${day}T18:00`, end: `${day}T19:30` }));
      await f.approver('venues.bookings.approve', { id: r.created[0].id });
    }
  });
  afterAll(async () => f?.cleanup());

  const weekly = (over = {}) =>
    f.request({ start: '2026-03-05T19:00', end: '2026-03-05T21:00', recurrence: { kind: 'weekly', until: '2026-04-09', skip: [] }, ...over });

  it('check reports exactly which dates collide and which are free', async () => {
    const c = await f.staff('venues.bookings.check', weekly());
    expect(c.checks.map((x) => [x.date, x.refusals.map((r) => r.code)])).toEqual([
      ['2026-03-05', []],
      ['2026-03-12', []],
      ['2026-03-19', ['CONFLICT']],
      ['2026-03-26', []],
      ['2026-04-02', ['CONFLICT']],
      ['2026-04-09', []],
    ]);
    expect(c.freeCount).toBe(4);
    expect(c.summary).toBe('共 6 次,其中 2 次不能预约;时间冲突的日期:2026-03-19、2026-04-02;其余 4 次可以预约');
    expect(c.initialState).toBe('requested');
  });

  it('without onlyFree the whole request is refused and nothing is written', async () => {
    const [{ n: before }] = await dbRows<{ n: number }>(f.core, 'SELECT count(*) AS n FROM venue_bookings');
    const e = await refusal(f.core, 'venues.bookings.create', weekly(), f.tokens.staff);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('时间冲突的日期:2026-03-19、2026-04-02');
    expect((e.details as { refused: { date: string }[] }).refused.map((r) => r.date)).toEqual(['2026-03-19', '2026-04-02']);
    expect((await dbRows<{ n: number }>(f.core, 'SELECT count(*) AS n FROM venue_bookings'))[0].n).toBe(before);
  });

  let seriesFirst = '';
  it('onlyFree books the free dates and lists the others', async () => {
    const r = await f.staff('venues.bookings.create', { ...weekly(), onlyFree: true });
    expect(r.created.map((c) => c.date)).toEqual(['2026-03-05', '2026-03-12', '2026-03-26', '2026-04-09']);
    expect(r.skipped.map((s) => s.date)).toEqual(['2026-03-19', '2026-04-02']);
    seriesFirst = r.created[0].id;
    const got = await f.viewer('venues.bookings.get', { id: seriesFirst });
    expect(got.series.map((s) => s.start)).toEqual(['2026-03-05T19:00', '2026-03-12T19:00', '2026-03-26T19:00', '2026-04-09T19:00']);
    expect(got.recurrence).toEqual({ kind: 'weekly', until: '2026-04-09' });
  });

  it('skipped dates and closed dates are respected', async () => {
    // Every two weeks on Mondays across the Qingming closure (04-04 to 04-06), skipping 03-16.
    const c = await f.staff(
      'venues.bookings.check',
      f.request({ start: '2026-03-02T09:00', end: '2026-03-02T10:00', recurrence: { kind: 'biweekly', until: '2026-04-13', skip: ['2026-03-16'] } }),
    );
    expect(c.checks.map((x) => [x.date, x.refusals.map((r) => r.code)])).toEqual([
      ['2026-03-02', []],
      ['2026-03-30', []],
      ['2026-04-13', []],
    ]);
    const c2 = await f.staff('venues.bookings.check', f.request({ start: '2026-03-23T09:00', end: '2026-03-23T10:00', recurrence: { kind: 'weekly', until: '2026-04-13' } }));
    expect(c2.checks.find((x) => x.date === '2026-04-06')!.refusals[0].message).toBe('2026-04-06 场地闭馆:清明节假期');
    const bad = await refusal(f.core, 'venues.bookings.check', f.request({ recurrence: { kind: 'weekly', until: '2030-12-31' } }), f.tokens.staff);
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toMatch(/^重复预约最多 200 次/);
  });

  it('approve the series from one date on', async () => {
    const series = (await f.viewer('venues.bookings.get', { id: seriesFirst })).series;
    const from = series.find((s) => s.start.startsWith('2026-03-26'))!;
    const r = await f.approver('venues.bookings.approve', { id: from.id, scope: { kind: 'from' } });
    expect(r.changed.map((c) => c.date)).toEqual(['2026-03-26', '2026-04-09']);
    const states = (await f.viewer('venues.bookings.get', { id: seriesFirst })).series.map((s) => s.state);
    expect(states).toEqual(['requested', 'requested', 'approved', 'approved']);
    // then the whole series: the two still requested are approved, the approved ones are listed as skipped
    const all = await f.approver('venues.bookings.approve', { id: seriesFirst, scope: { kind: 'all' } });
    expect(all.changed.map((c) => c.date)).toEqual(['2026-03-05', '2026-03-12']);
    expect(all.skipped.map((s) => [s.date, s.message])).toEqual([
      ['2026-03-26', '已批准的预约不能批准'],
      ['2026-04-09', '已批准的预约不能批准'],
    ]);
  });

  it('approving a series skips the dates that now collide and approves the rest', async () => {
    const r = await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-03T14:00', end: '2026-03-03T15:00', recurrence: { kind: 'weekly', until: '2026-03-17' } }));
    // someone else's approved booking now takes 03-10
    const other = await f.staff('venues.bookings.create', f.request({ start: '2026-03-10T14:30', end: '2026-03-10T16:00' }));
    await f.approver('venues.bookings.approve', { id: other.created[0].id });
    const a = await f.approver('venues.bookings.approve', { id: r.created[0].id, scope: { kind: 'all' } });
    expect(a.changed.map((c) => c.date)).toEqual(['2026-03-03', '2026-03-17']);
    expect(a.skipped).toHaveLength(1);
    expect(a.skipped[0].date).toBe('2026-03-10');
    expect(a.skipped[0].message).toContain('与已批准的预约冲突:2026-03-10 14:30–16:00(银龄合唱团)');
  });

  it('move one occurrence, then the series from a date on; a staff move of an approved booking needs approval again', async () => {
    const series = (await f.viewer('venues.bookings.get', { id: seriesFirst })).series;
    // staff moves 03-12 one hour earlier: it goes back to requested
    const m = await f.staff('venues.bookings.move', { id: series[1].id, start: '2026-03-12T18:00', end: '2026-03-12T20:00' });
    expect(m.changed).toEqual([{ id: series[1].id, date: '2026-03-12', state: 'requested' }]);
    // the approver moves the series from 03-26 on to 20:00–21:00: still approved
    const m2 = await f.approver('venues.bookings.move', { id: series[2].id, start: '2026-03-26T20:00', end: '2026-03-26T21:00', scope: { kind: 'from' } });
    expect(m2.changed.map((c) => [c.date, c.state])).toEqual([
      ['2026-03-26', 'approved'],
      ['2026-04-09', 'approved'],
    ]);
    const after = (await f.viewer('venues.bookings.get', { id: seriesFirst })).series;
    expect(after.map((s) => `${s.start}–${s.end.slice(11)}`)).toEqual([
      '2026-03-05T19:00–21:00',
      '2026-03-12T18:00–20:00',
      '2026-03-26T20:00–21:00',
      '2026-04-09T20:00–21:00',
    ]);
    // a move onto an approved booking is refused with the conflict
    const e = await refusal(f.core, 'venues.bookings.move', { id: series[0].id, start: '2026-03-19T18:30', end: '2026-03-19T20:00' }, f.tokens.approver);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('邻里守望互助队');
    // a move outside opening hours is refused by the venue's rules
    const e2 = await refusal(f.core, 'venues.bookings.move', { id: series[0].id, start: '2026-03-05T20:00', end: '2026-03-05T22:00' }, f.tokens.approver);
    expect(e2.code).toBe('RULE');
    expect(e2.message).toContain('超出场地开放时间');
  });

  it('cancel the series from one date on, reason kept on each', async () => {
    const series = (await f.viewer('venues.bookings.get', { id: seriesFirst })).series;
    const r = await f.staff('venues.bookings.cancel', { id: series[2].id, scope: { kind: 'from' }, reason: '团队暑期休整' });
    expect(r.changed.map((c) => c.date)).toEqual(['2026-03-26', '2026-04-09']);
    const after = (await f.viewer('venues.bookings.get', { id: seriesFirst })).series;
    expect(after.map((s) => s.state)).toEqual(['approved', 'requested', 'cancelled', 'cancelled']);
    expect(after[3].cancelReason).toBe('团队暑期休整');
    expect(await countOverlaps(f.core.db)).toBe(0);
  });

  it('calendar and list views read the bookings back', async () => {
    const week = await f.viewer('venues.bookings.calendar', { venueIds: [f.hall], from: '2026-03-02', to: '2026-03-08' });
    expect(week.rows.every((r) => r.start >= '2026-03-02' && r.start < '2026-03-09')).toBe(true);
    expect(week.rows.map((r) => r.start)).toContain('2026-03-05T19:00');
    const withCancelled = await f.viewer('venues.bookings.calendar', { from: '2026-04-09', to: '2026-04-09', includeCancelled: true });
    expect(withCancelled.rows.map((r) => r.state)).toContain('cancelled');
    expect((await f.viewer('venues.bookings.calendar', { from: '2026-04-09', to: '2026-04-09' })).rows.map((r) => r.state)).not.toContain('cancelled');
    const page = await f.viewer('venues.bookings.page', { startRow: 0, endRow: 50, sort: [{ colId: 'start', sort: 'asc' }], filter: { organizationId: f.orgs.choir, states: ['cancelled'] } });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.start)).toEqual(['2026-03-26T20:00', '2026-04-09T20:00']);
    const text = await f.viewer('venues.bookings.page', { startRow: 0, endRow: 50, sort: [], filter: { text: '互助', venueId: f.hall } });
    expect(text.rows.every((r) => r.organizationName === '邻里守望互助队')).toBe(true);
    expect(text.total).toBeGreaterThan(0);
    const bad = await refusal(f.core, 'venues.bookings.calendar', { from: '2026-03-01', to: '2026-06-01' }, f.tokens.viewer);
    expect(bad.code).toBe('VALIDATION');
  });
});
