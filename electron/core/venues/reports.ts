/** Utilization report (screen and .xlsx) and the .ics calendar export. */
import { organizerLabel } from '@shared/venues/hub';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../lazy';
import type { UtilizationReport, Venue } from '@shared/contract/venues';
import { buildIcs, type IcsEvent } from '@shared/venues/ics';
import { BOOKING_STATE_LABELS, type BookingState } from '@shared/venues/state';
import { openIntervals } from '@shared/venues/rules';
import { addDays, dateToDay } from '@shared/venues/time';
import {
  minutesOf,
  monthsOf,
  occupancyRate,
  sumFigures,
  toHours,
  venueUtilizationByMonth,
  type MonthUtilization,
  type UtilizationBooking,
} from '@shared/venues/utilization';
import type { CallContext } from '../api/context';
import type { SqliteHandle } from '../db/connection';
import { calendarBookings } from './queries';
import { listVenues } from './venueService';

type Statement = ReturnType<SqliteHandle['prepare']>;

/** The bookings that hold a venue (`+` keeps the state out of the choice of index). */
const HELD = `+state IN ('approved', 'used', 'no_show')`;
/** Seconds of a booking: both `unixepoch(…)` values are stored in the report indexes of 0015, not parsed per row. */
const SECONDS = 'unixepoch(end_at) - unixepoch(start_at)';
/**
 * A *plain* booking: every one of its minutes is 1 in the venue's minute mask, a blob of one byte per minute from
 * :base (the day before the range): 1 when open, 0 when outside hours, on a closed date, outside the range, or
 * the first minute of a month (so a booking that runs into the next month is never plain; one that starts at
 * 00:00 on the 1st merely takes the slow path). NULL or 0 otherwise.
 */
const PLAIN = `instr(substr(:mask, (unixepoch(start_at) - :base) / 60 + 1, (${SECONDS}) / 60), x'00') = 0`;
/**
 * Held bookings with a minute in [from, to]: they start at most a day before (a booking lasts at most 24 h) and
 * end after `from` begins (those that end sooner add nothing, and would only be sent down the slow path).
 */
const IN_RANGE = `start_at >= :lo AND start_at < :hi AND ${HELD} AND end_at > :from`;
/**
 * One venue's held bookings by the month they start in (:months is a JSON list of [month, start, end]; the first
 * month also takes the day before the range): counts and seconds, and how many are plain. One index range per
 * month, so no sort.
 */
const VENUE_SQL = `SELECT m.value ->> 0 AS month, (SELECT json_array(count(*), total(${SECONDS}),
      total(CASE WHEN state = 'used' THEN ${SECONDS} END), total(CASE WHEN state = 'no_show' THEN ${SECONDS} END),
      count(CASE WHEN ${PLAIN} THEN 1 END))
    FROM venue_bookings WHERE venue_id = :venue AND start_at >= m.value ->> 1 AND start_at < m.value ->> 2 AND ${HELD} AND end_at > :from) AS figures
  FROM json_each(:months) AS m`;
/** The same venue's bookings that are not plain, one by one. */
const REST_SQL = `SELECT start_at, end_at, state FROM venue_bookings
  WHERE venue_id = :venue AND ${IN_RANGE} AND (${PLAIN}) IS NOT 1`;

/** Per organization: minutes clipped to the range, bookings that start in it, the first minute held in it. */
const clipped = 'min(unixepoch(end_at), :hiSec) - max(unixepoch(start_at), :fromSec)';
const ORG_FIGURES = `count(*), max(min(start_at), :from), count(CASE WHEN start_at >= :from THEN 1 END), total(${clipped}),
  total(CASE WHEN state = 'used' THEN ${clipped} END), total(CASE WHEN state = 'no_show' THEN ${clipped} END)`;
const ORG_HELD = `start_at >= :lo AND start_at < :hi AND ${HELD} AND unixepoch(end_at) > :fromSec`;
/**
 * Every organization with bookings, one index seek each (a loose index scan: SQLite has no skip-scan without
 * ANALYZE statistics), and its figures from its own stretch of the (organization, start) index of 0015: no sort.
 */
const ORGS_SQL = `WITH RECURSIVE o(id) AS (
    SELECT min(organization_id) FROM venue_bookings
    UNION ALL SELECT (SELECT min(organization_id) FROM venue_bookings WHERE organization_id > o.id) FROM o WHERE o.id IS NOT NULL)
  SELECT id, (SELECT json_array(${ORG_FIGURES}) FROM venue_bookings WHERE organization_id = o.id AND ${ORG_HELD}) AS figures
  FROM o WHERE id IS NOT NULL
  UNION ALL SELECT NULL, (SELECT json_array(${ORG_FIGURES}) FROM venue_bookings WHERE organization_id IS NULL AND ${ORG_HELD})`; // 本基地主办
/** The same for chosen venues only (a few: their bookings are found by venue). */
const ORGS_OF_VENUES_SQL = `SELECT organization_id, json_array(${ORG_FIGURES}) FROM venue_bookings
  WHERE venue_id IN (SELECT value FROM json_each(:venues)) AND ${ORG_HELD} GROUP BY organization_id`;

const statements = new WeakMap<SqliteHandle, Record<'venue' | 'rest' | 'orgs' | 'orgsOfVenues', Statement>>();
function statementsOf(sqlite: SqliteHandle) {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      venue: sqlite.prepare(VENUE_SQL).raw(true),
      rest: sqlite.prepare(REST_SQL),
      orgs: sqlite.prepare(ORGS_SQL).raw(true),
      orgsOfVenues: sqlite.prepare(ORGS_OF_VENUES_SQL).raw(true),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** A venue's open minutes over the range: the mask for the SQL above, and the total per month. */
interface OpenMinutes {
  mask: Buffer;
  perMonth: number[];
}

interface Sums {
  n: number;
  secs: number;
  used: number;
  noShow: number;
}

/**
 * Hours open, booked, used, no-show and idle per venue and month, per organization, for [from, to].
 *
 * SQLite does the sums, one venue at a time, over the report indexes of 0015; no row per booking reaches JS. A
 * booking is *plain* when all its minutes are open minutes of one month inside the range (not on a closed date,
 * not outside hours, not across a month end or a range end): all its minutes are then booked and none is idle,
 * so the month's sums are exact. The few others are read one by one and go through the pure functions of
 * shared/venues/utilization.ts (clipping, splitting at month ends, overlap with opening hours). The two add up to
 * the pure result because held bookings of one venue never overlap (the guard of 0003/0013 refuses it).
 */
export async function utilizationReport(ctx: CallContext, q: { from: string; to: string; venueIds?: string[] }): Promise<UtilizationReport> {
  let venues = await listVenues(ctx.db, false);
  if (q.venueIds) {
    const want = new Set(q.venueIds);
    venues = venues.filter((v) => want.has(v.id));
  }
  const st = statementsOf(ctx.core.sqlite);
  const range = { from: q.from, to: q.to };
  const monthList = monthsOf(range);
  const months = monthList.map((m) => m.month);
  const lo = addDays(q.from, -1);
  const hi = addDays(q.to, 1);
  const loDay = dateToDay(lo);
  const bounds = { lo: `${lo}T00:00`, from: `${q.from}T00:00`, hi: `${hi}T00:00`, base: BigInt(loDay * 86_400) };
  const buckets = monthList.map((m, k) => [m.month, k === 0 ? bounds.lo : `${m.from}T00:00`, `${addDays(m.to, 1)}T00:00`] as const);
  const monthsJson = JSON.stringify(buckets);

  // Venues with the same hours and closed dates share one mask. One zero day after the range: a booking that
  // runs past its end is never plain. The first minute of each month is 0 too (see PLAIN).
  const openCache = new Map<string, OpenMinutes>();
  const openOf = (v: Venue): OpenMinutes => {
    const key = JSON.stringify([v.openingHours, v.closed]);
    let o = openCache.get(key);
    if (!o) {
      o = { mask: Buffer.alloc((dateToDay(hi) + 1 - loDay) * 1440), perMonth: [] };
      for (const m of monthList) {
        let open = 0;
        for (const [s, e] of openIntervals(v, m.from, m.to)) {
          o.mask.fill(1, s - loDay * 1440, e - loDay * 1440);
          open += e - s;
        }
        o.mask[(dateToDay(m.from) - loDay) * 1440] = 0;
        o.perMonth.push(open);
      }
      openCache.set(key, o);
    }
    return o;
  };

  const venueRows = venues.map((v) => {
    const open = openOf(v);
    const args = { ...bounds, venue: v.id, mask: open.mask };
    const sums: Sums[] = [];
    let plain = 0;
    let all = 0;
    for (const [, figures] of st.venue.all({ ...args, months: monthsJson }) as [string, string][]) {
      const [n, secs, used, noShow, p] = JSON.parse(figures) as number[];
      sums.push({ n, secs, used, noShow });
      plain += p;
      all += n;
    }
    const rest: UtilizationBooking[] = [];
    if (plain < all) {
      // Taken out of their month's sums and counted by the pure functions instead.
      for (const x of st.rest.all(args) as { start_at: string; end_at: string; state: BookingState }[]) {
        const sum = sums[buckets.findIndex(([, start, end]) => x.start_at >= start && x.start_at < end)];
        const secs = (minutesOf(x.end_at) - minutesOf(x.start_at)) * 60;
        sum.n--;
        sum.secs -= secs;
        if (x.state === 'used') sum.used -= secs;
        if (x.state === 'no_show') sum.noShow -= secs;
        rest.push({ organizationId: '', start: x.start_at, end: x.end_at, state: x.state });
      }
    }
    const rows: MonthUtilization[] = rest.length
      ? venueUtilizationByMonth(v, range, rest)
      : months.map((month, k) => ({ month, openMinutes: open.perMonth[k], bookedMinutes: 0, usedMinutes: 0, noShowMinutes: 0, idleMinutes: open.perMonth[k], bookings: 0 }));
    for (const [k, row] of rows.entries()) {
      const sum = sums[k];
      row.bookings += sum.n;
      row.bookedMinutes += sum.secs / 60;
      row.usedMinutes += sum.used / 60;
      row.noShowMinutes += sum.noShow / 60;
      row.idleMinutes -= sum.secs / 60;
    }
    return { venueId: v.id, venueName: v.name, total: sumFigures(rows), months: rows };
  });
  const byMonth: MonthUtilization[] = months.map((month, k) => ({ month, ...sumFigures(venueRows.map((v) => v.months[k])) }));

  const orgArgs = { lo: bounds.lo, hi: bounds.hi, from: bounds.from, fromSec: BigInt(dateToDay(q.from) * 86_400), hiSec: BigInt(dateToDay(hi) * 86_400) };
  const orgRaw = (q.venueIds ? st.orgsOfVenues.all({ ...orgArgs, venues: JSON.stringify(venues.map((v) => v.id)) }) : st.orgs.all(orgArgs)) as [string | null, string][];
  // The pure per-month rows came by first month held, then id; the totals keep that order under a stable sort.
  const perOrg = orgRaw
    .map(([organizationId, figures]) => {
      const [held, first, bookings, secs, used, noShow] = JSON.parse(figures) as [number, string, number, number, number, number];
      return { organizationId, held, firstMonth: held ? first.slice(0, 7) : '', bookedMinutes: secs / 60, usedMinutes: used / 60, noShowMinutes: noShow / 60, bookings };
    })
    .filter((o) => o.held > 0)
    .sort((a, b) => (a.firstMonth < b.firstMonth ? -1 : a.firstMonth > b.firstMonth ? 1 : (a.organizationId ?? '').localeCompare(b.organizationId ?? '')));
  const names = new Map<string, string>();
  const ids = perOrg.flatMap((o) => (o.organizationId ? [o.organizationId] : []));
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = await ctx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const o of chunk) names.set(o.id, o.name);
  }
  const organizations = perOrg
    .map(({ organizationId, bookedMinutes, usedMinutes, noShowMinutes, bookings }) => ({
      organizationId,
      organizationName: organizerLabel(organizationId, organizationId ? names.get(organizationId) : null),
      bookedMinutes,
      usedMinutes,
      noShowMinutes,
      bookings,
    }))
    .sort((a, b) => b.bookedMinutes - a.bookedMinutes);
  return { from: q.from, to: q.to, months, venues: venueRows, byMonth, organizations, total: sumFigures(venueRows.map((v) => v.total)) };
}

const pct = (x: number) => Math.round(x * 1000) / 1000;

/** The report as a workbook: 场地汇总, 按月, 按组织. Hours with one decimal, rates as percentages. */
export async function utilizationWorkbook(report: UtilizationReport): Promise<Buffer> {
  const wb = new (await loadExcelJS()).Workbook();
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
