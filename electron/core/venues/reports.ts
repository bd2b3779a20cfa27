/** Utilization report (screen and .xlsx) and the .ics calendar export. */
import ExcelJS from 'exceljs';
import type { UtilizationReport } from '@shared/contract/venues';
import { buildIcs, type IcsEvent } from '@shared/venues/ics';
import { BOOKING_STATE_LABELS, type BookingState } from '@shared/venues/state';
import { addDays } from '@shared/venues/time';
import {
  monthsOf,
  occupancyRate,
  organizationUtilization,
  sumFigures,
  toHours,
  venueUtilizationByMonth,
  type MonthUtilization,
  type UtilizationBooking,
} from '@shared/venues/utilization';
import type { CallContext } from '../api/context';
import { calendarBookings } from './queries';
import { listVenues, rulesOf } from './venueService';

type Raw = [string, string, string, string, string];

/**
 * Hours open, booked, used, no-show and idle per venue and month, per organization, for [from, to].
 * Reads the holding bookings of the range in one indexed scan (raw rows, no objects per row) and does the
 * maths in the pure functions of shared/venues/utilization.ts.
 */
export async function utilizationReport(ctx: CallContext, q: { from: string; to: string; venueIds?: string[] }): Promise<UtilizationReport> {
  let venues = await listVenues(ctx.db, false);
  if (q.venueIds) {
    const want = new Set(q.venueIds);
    venues = venues.filter((v) => want.has(v.id));
  }
  const stmt = ctx.core.sqlite
    .prepare(
      `SELECT venue_id, organization_id, start_at, end_at, state FROM venue_bookings
       WHERE start_at >= ? AND start_at < ? AND state IN ('approved', 'used', 'no_show')`,
    )
    .raw(true);
  const raw = stmt.all(`${addDays(q.from, -1)}T00:00`, `${addDays(q.to, 1)}T00:00`) as Raw[];
  const byVenue = new Map<string, UtilizationBooking[]>();
  const all: UtilizationBooking[] = [];
  const wanted = new Set(venues.map((v) => v.id));
  for (const [venueId, organizationId, start, end, state] of raw) {
    if (!wanted.has(venueId)) continue;
    const b = { organizationId, start, end, state: state as BookingState };
    let list = byVenue.get(venueId);
    if (!list) byVenue.set(venueId, (list = []));
    list.push(b);
    all.push(b);
  }
  const range = { from: q.from, to: q.to };
  const months = monthsOf(range).map((m) => m.month);
  const venueRows = venues.map((v) => {
    const list = byVenue.get(v.id) ?? [];
    const rows = venueUtilizationByMonth(rulesOf(v), range, list);
    return { venueId: v.id, venueName: v.name, total: sumFigures(rows), months: rows };
  });
  const byMonth: MonthUtilization[] = months.map((month, k) => ({ month, ...sumFigures(venueRows.map((v) => v.months[k])) }));

  const perOrg = new Map<string, { bookedMinutes: number; usedMinutes: number; noShowMinutes: number; bookings: number }>();
  for (const r of organizationUtilization(range, all)) {
    const t = perOrg.get(r.organizationId) ?? { bookedMinutes: 0, usedMinutes: 0, noShowMinutes: 0, bookings: 0 };
    t.bookedMinutes += r.bookedMinutes;
    t.usedMinutes += r.usedMinutes;
    t.noShowMinutes += r.noShowMinutes;
    t.bookings += r.bookings;
    perOrg.set(r.organizationId, t);
  }
  const names = new Map<string, string>();
  const ids = [...perOrg.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = await ctx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const o of chunk) names.set(o.id, o.name);
  }
  const organizations = [...perOrg.entries()]
    .map(([organizationId, t]) => ({ organizationId, organizationName: names.get(organizationId) ?? organizationId, ...t }))
    .sort((a, b) => b.bookedMinutes - a.bookedMinutes);
  return { from: q.from, to: q.to, months, venues: venueRows, byMonth, organizations, total: sumFigures(venueRows.map((v) => v.total)) };
}

const pct = (x: number) => Math.round(x * 1000) / 1000;

/** The report as a workbook: 场地汇总, 按月, 按组织. Hours with one decimal, rates as percentages. */
export async function utilizationWorkbook(report: UtilizationReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Incubase';
  const title = `场地使用率 ${report.from} 至 ${report.to}`;
  const header = (ws: ExcelJS.Worksheet, cols: { header: string; key: string; width: number; pct?: boolean }[]) => {
    ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.pct ? { numFmt: '0.0%' } : { numFmt: '0.0' } }));
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  const figureCols = [
    { header: '开放小时', key: 'open', width: 12 },
    { header: '预约小时', key: 'booked', width: 12 },
    { header: '已使用小时', key: 'used', width: 12 },
    { header: '未到场小时', key: 'noShow', width: 12 },
    { header: '空闲小时', key: 'idle', width: 12 },
    { header: '使用率', key: 'rate', width: 10, pct: true },
    { header: '预约次数', key: 'count', width: 10 },
  ];
  const figures = (f: Parameters<typeof occupancyRate>[0]) => ({
    open: toHours(f.openMinutes),
    booked: toHours(f.bookedMinutes),
    used: toHours(f.usedMinutes),
    noShow: toHours(f.noShowMinutes),
    idle: toHours(f.idleMinutes),
    rate: pct(occupancyRate(f)),
    count: f.bookings,
  });

  const summary = wb.addWorksheet('场地汇总');
  header(summary, [{ header: '场地', key: 'venue', width: 28 }, ...figureCols]);
  for (const v of report.venues) summary.addRow({ venue: v.venueName, ...figures(v.total) });
  const totalRow = summary.addRow({ venue: '合计', ...figures(report.total) });
  totalRow.font = { bold: true };
  summary.getColumn('count').numFmt = '0';

  const monthly = wb.addWorksheet('按月');
  header(monthly, [{ header: '场地', key: 'venue', width: 28 }, { header: '月份', key: 'month', width: 10 }, ...figureCols]);
  for (const v of report.venues) for (const m of v.months) monthly.addRow({ venue: v.venueName, month: m.month, ...figures(m) });
  for (const m of report.byMonth) monthly.addRow({ venue: '全部场地', month: m.month, ...figures(m) }).font = { bold: true };
  monthly.getColumn('count').numFmt = '0';

  const orgs = wb.addWorksheet('按组织');
  header(orgs, [
    { header: '组织', key: 'org', width: 32 },
    { header: '预约小时', key: 'booked', width: 12 },
    { header: '已使用小时', key: 'used', width: 12 },
    { header: '未到场小时', key: 'noShow', width: 12 },
    { header: '预约次数', key: 'count', width: 10 },
  ]);
  for (const o of report.organizations) {
    orgs.addRow({ org: o.organizationName, booked: toHours(o.bookedMinutes), used: toHours(o.usedMinutes), noShow: toHours(o.noShowMinutes), count: o.bookings });
  }
  orgs.getColumn('count').numFmt = '0';
  summary.headerFooter.oddHeader = title;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Bookings of a venue (or an organization, or all) in [from, to] as an iCalendar file. */
export async function icsExport(ctx: CallContext, q: { venueId?: string; organizationId?: string; from: string; to: string }) {
  const venues = await listVenues(ctx.db, false);
  const byId = new Map(venues.map((v) => [v.id, v]));
  let rows = await calendarBookingsWide(ctx, q);
  if (q.organizationId) rows = rows.filter((r) => r.organizationId === q.organizationId);
  const events: IcsEvent[] = rows.map((r) => {
    const v = byId.get(r.venueId);
    return {
      uid: `${r.id}@incubase`,
      start: r.start,
      end: r.end,
      summary: `${r.organizationName}:${r.purpose}`,
      location: [v?.name, v?.address].filter(Boolean).join(','),
      description: `状态:${BOOKING_STATE_LABELS[r.state]}\n预计人数:${r.expectedAttendance}${r.cancelReason ? `\n取消原因:${r.cancelReason}` : ''}`,
      state: r.state,
      sequence: r.sequence,
      updatedAt: r.updatedAt,
    };
  });
  const name = q.venueId ? (byId.get(q.venueId)?.name ?? '场地') : '全部场地';
  const text = buildIcs({ name: `${name} 预约`, stamp: ctx.now().toISOString(), events });
  return {
    fileName: `${name}-预约-${q.from}-${q.to}.ics`,
    mimeType: 'text/calendar; charset=utf-8',
    base64: Buffer.from(text, 'utf8').toString('base64'),
  };
}

/** Calendar rows over a long range, in 60-day windows (the calendar query is for short ranges). */
async function calendarBookingsWide(ctx: CallContext, q: { venueId?: string; from: string; to: string }) {
  const out = [];
  for (let from = q.from; from <= q.to; from = addDays(from, 60)) {
    const to = addDays(from, 59) < q.to ? addDays(from, 59) : q.to;
    const rows = await calendarBookings(ctx.db, { venueIds: q.venueId ? [q.venueId] : undefined, from, to, includeCancelled: true });
    // a booking that crosses a window edge appears in both windows
    for (const r of rows) if (r.start >= `${from}T00:00` || from === q.from) out.push(r);
  }
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}
