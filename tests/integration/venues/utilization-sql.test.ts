import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UtilizationReport } from '@shared/contract/venues';
import type { BookingState } from '@shared/venues/state';
import { addDays, fromMinutes, toMinutes } from '@shared/venues/time';
import { organizationUtilization, sumFigures, venueUtilizationByMonth, type MonthUtilization, type UtilizationBooking } from '@shared/venues/utilization';
import { openDemoCore } from '../../helpers/core';
import { rawAll, rawGet, rawRun } from '../../helpers/engine';
import { hallInput } from './fixtures';

/**
 * The utilization report sums plain bookings in SQL and sends only the others through the pure functions. Here
 * it must equal the pure functions applied to every held booking (what the report computed before), on the demo
 * hub plus venues with split, overnight and closed hours and bookings that run outside hours, over closed dates,
 * across midnight, month ends and the range's ends, in every state.
 */
describe('utilization report: SQL sums equal the pure functions', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('admin');
    const orgs = (await rawAll<{ id: string }>(t.core, `SELECT id FROM organizations ORDER BY id LIMIT 12`)).map((r) => r.id);
    const week = (ranges: { start: string; end: string }[]) => Array.from({ length: 7 }, (_, i) => (i === 2 ? [] : ranges));
    const shapes = [
      { openingHours: week([{ start: '08:30', end: '12:00' }, { start: '14:00', end: '21:00' }]), closed: [{ from: '2025-10-01', to: '2025-10-07', reason: '国庆' }] },
      { openingHours: week([{ start: '18:00', end: '24:00' }, { start: '00:00', end: '02:00' }]), closed: [{ from: '2026-01-31', to: '2026-02-01', reason: '检修' }] },
      { openingHours: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]), closed: [] },
    ];
    let x = 20260601;
    const rnd = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const states: BookingState[] = ['approved', 'used', 'no_show', 'used', 'requested', 'cancelled'];
    const now = new Date().toISOString();
    // Rows written straight into the tables (raw SQL on either engine), a few hundred per statement.
    const series: unknown[][] = [];
    const bookings: unknown[][] = [];
    const book = (venue: string, org: string, start: string, end: string, state: BookingState) => {
      const id = randomUUID();
      series.push([id, venue, org, now]);
      bookings.push([randomUUID(), id, venue, org, start, end, state, state === 'cancelled' ? '取消' : null, now, now]);
    };
    const flush = async () => {
      await insertRows(`INSERT INTO venue_booking_series (id, venue_id, organization_id, recurrence_kind, skip_json, created_at) VALUES`, `(?, ?, ?, 'once', '[]', ?)`, series.splice(0));
      await insertRows(
        `INSERT INTO venue_bookings (id, series_id, venue_id, organization_id, start_at, end_at, state, purpose, expected_attendance, cancel_reason, created_at, updated_at) VALUES`,
        `(?, ?, ?, ?, ?, ?, ?, '测试', 5, ?, ?, ?)`,
        bookings.splice(0),
      );
    };
    for (const [i, shape] of shapes.entries()) {
      const venue = (await t.call('venues.create', hallInput({ name: `测试场地${i}`, ...shape, maxLengthMinutes: 1440 }))).id;
      // Bookings one after another with gaps (held ones never overlap), 20 min to 24 h long, over 2025-04 … 2026-08.
      let at = toMinutes('2025-04-20T07:00');
      while (at < toMinutes('2026-08-10T00:00')) {
        const len = rnd() < 0.1 ? 20 + Math.floor(rnd() * 1420) : 30 * (1 + Math.floor(rnd() * 8));
        const state = states[Math.floor(rnd() * states.length)];
        const org = orgs[Math.floor(rnd() * orgs.length)];
        book(venue, org, fromMinutes(at), fromMinutes(at + len), state);
        at += len + 10 * Math.floor(rnd() * 200);
      }
      await flush();
      // Exactly at the ends of months and ranges.
      for (const [s, e] of [
        ['2025-06-30T23:00', '2025-07-01T00:00'],
        ['2025-07-31T23:30', '2025-08-01T01:00'],
        ['2025-08-31T22:00', '2025-09-01T00:00'],
        ['2025-09-01T00:00', '2025-09-01T01:00'],
        ['2025-05-31T22:00', '2025-06-01T02:00'],
        ['2026-05-31T23:00', '2026-06-01T03:00'],
      ]) {
        if (await rawGet(t.core, `SELECT 1 AS held FROM venue_bookings WHERE venue_id = ? AND start_at < ? AND end_at > ? AND state IN ('approved', 'used', 'no_show')`, venue, e, s)) continue;
        book(venue, orgs[0], s, e, 'used');
        await flush();
      }
    }
  }, 120_000);
  afterAll(async () => t?.cleanup());

  /** `head` + one `(…)` group per row, 200 rows per statement. */
  async function insertRows(head: string, group: string, rows: unknown[][]) {
    for (let i = 0; i < rows.length; i += 200) {
      const part = rows.slice(i, i + 200);
      await rawRun(t.core, `${head} ${part.map(() => group).join(', ')}`, ...part.flat());
    }
  }

  /** The report as the pure functions give it from every held booking of the range (the former computation). */
  async function reference(q: { from: string; to: string; venueIds?: string[] }): Promise<UtilizationReport> {
    let venues = (await t.call('venues.list', {})).rows; // in the report's order (by name)
    if (q.venueIds) venues = venues.filter((v) => q.venueIds!.includes(v.id));
    const rows = await rawAll<{ venue_id: string; organization_id: string; start_at: string; end_at: string; state: BookingState }>(
      t.core,
      `SELECT venue_id, organization_id, start_at, end_at, state FROM venue_bookings WHERE start_at >= ? AND start_at < ? AND state IN ('approved', 'used', 'no_show')`,
      `${addDays(q.from, -1)}T00:00`,
      `${addDays(q.to, 1)}T00:00`,
    );
    const byVenue = new Map<string, UtilizationBooking[]>();
    const all: UtilizationBooking[] = [];
    const wanted = new Set(venues.map((v) => v.id));
    for (const { venue_id: venueId, organization_id: organizationId, start_at: start, end_at: end, state } of rows) {
      if (!wanted.has(venueId)) continue;
      const b = { organizationId, start, end, state };
      byVenue.set(venueId, [...(byVenue.get(venueId) ?? []), b]);
      all.push(b);
    }
    const range = { from: q.from, to: q.to };
    const venueRows = venues.map((v) => {
      const months = venueUtilizationByMonth(v, range, byVenue.get(v.id) ?? []);
      return { venueId: v.id, venueName: v.name, total: sumFigures(months), months };
    });
    const months = venueRows[0]?.months.map((m) => m.month) ?? [];
    const byMonth: MonthUtilization[] = months.map((month, k) => ({ month, ...sumFigures(venueRows.map((v) => v.months[k])) }));
    const perOrg = new Map<string, { bookedMinutes: number; usedMinutes: number; noShowMinutes: number; bookings: number }>();
    for (const r of organizationUtilization(range, all)) {
      const o = perOrg.get(r.organizationId) ?? { bookedMinutes: 0, usedMinutes: 0, noShowMinutes: 0, bookings: 0 };
      o.bookedMinutes += r.bookedMinutes;
      o.usedMinutes += r.usedMinutes;
      o.noShowMinutes += r.noShowMinutes;
      o.bookings += r.bookings;
      perOrg.set(r.organizationId, o);
    }
    const names = new Map((await rawAll<{ id: string; name: string }>(t.core, `SELECT id, name FROM organizations`)).map((r) => [r.id, r.name]));
    const organizations = [...perOrg.entries()]
      .map(([organizationId, o]) => ({ organizationId, organizationName: names.get(organizationId) ?? organizationId, ...o }))
      .sort((a, b) => b.bookedMinutes - a.bookedMinutes);
    return { from: q.from, to: q.to, months, venues: venueRows, byMonth, organizations, total: sumFigures(venueRows.map((v) => v.total)) };
  }

  it.each([
    { from: '2025-06-01', to: '2026-05-31' },
    { from: '2025-06-15', to: '2025-08-14' },
    { from: '2026-01-31', to: '2026-02-01' },
    { from: '2025-04-01', to: '2026-08-31' },
  ])('all venues, $from … $to', async (q) => {
    const report = await t.call('venues.utilization', q);
    expect(report).toEqual(await reference(q));
    expect(report.total.bookings).toBeGreaterThan(0);
  });

  it('chosen venues only (organizations counted on those venues only)', async () => {
    const venues = (await t.call('venues.list', {})).rows;
    const venueIds = venues.filter((v) => v.name.startsWith('测试场地')).map((v) => v.id).slice(0, 2);
    const q = { from: '2025-06-01', to: '2026-05-31', venueIds };
    const report = await t.call('venues.utilization', q);
    expect(report.venues).toHaveLength(2);
    expect(report).toEqual(await reference(q));
  });
});
