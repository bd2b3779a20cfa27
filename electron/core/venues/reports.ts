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
import { CompiledQuery } from 'kysely';
import type { Db, SqliteHandle } from '../db/connection';
import { isPostgres } from '../db/dialect';
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

/** The bounds of a report's queries (see `utilizationReport`). */
interface ReportBounds {
  /** `YYYY-MM-DDT00:00` of the day before the range, the range's first day, the day after its last. */
  lo: string;
  from: string;
  hi: string;
  /** Epoch seconds (as if UTC) of the mask's first minute (the day before the range), of `from`, of `hi`. */
  base: bigint;
  fromSec: bigint;
  hiSec: bigint;
  /** [month, first start_at, end] per month; the first month also takes the day before the range. */
  buckets: (readonly [string, string, string])[];
}

/** One held booking that is not plain, for the pure functions. */
interface RestRow {
  start_at: string;
  end_at: string;
  state: BookingState;
}

/** Per organization (null: 本基地主办): held, first start held in the range, bookings starting in it, clipped seconds. */
type OrgFigures = [organizationId: string | null, held: number, first: string | null, bookings: number, secs: number, used: number, noShow: number];

/**
 * Where the report's sums come from: the one place the SQL differs between the engines. Both give, per venue, the
 * sums of its *plain* held bookings per month and its other held bookings one by one, and the per-organization
 * figures; the report around them is the same.
 */
interface UtilizationSums {
  venues(venues: { id: string; mask: Buffer }[], b: ReportBounds): Promise<Map<string, { sums: Sums[]; rest: RestRow[] }>>;
  organizations(b: ReportBounds, venueIds?: string[]): Promise<OrgFigures[]>;
}

/** SQLite: cached prepared statements, one venue at a time, over the report indexes of 0015 (see the SQL above). */
function sqliteSums(sqlite: SqliteHandle): UtilizationSums {
  const st = statementsOf(sqlite);
  return {
    async venues(venues, b) {
      const out = new Map<string, { sums: Sums[]; rest: RestRow[] }>();
      const monthsJson = JSON.stringify(b.buckets);
      for (const v of venues) {
        const args = { lo: b.lo, from: b.from, hi: b.hi, base: b.base, venue: v.id, mask: v.mask };
        const sums: Sums[] = [];
        let plain = 0;
        let all = 0;
        for (const [, figures] of st.venue.all({ ...args, months: monthsJson }) as [string, string][]) {
          const [n, secs, used, noShow, p] = JSON.parse(figures) as number[];
          sums.push({ n, secs, used, noShow });
          plain += p;
          all += n;
        }
        const rest: RestRow[] = [];
        if (plain < all) {
          // Taken out of their month's sums and counted by the pure functions instead.
          for (const x of st.rest.all(args) as RestRow[]) {
            const sum = sums[b.buckets.findIndex(([, start, end]) => x.start_at >= start && x.start_at < end)];
            const secs = (minutesOf(x.end_at) - minutesOf(x.start_at)) * 60;
            sum.n--;
            sum.secs -= secs;
            if (x.state === 'used') sum.used -= secs;
            if (x.state === 'no_show') sum.noShow -= secs;
            rest.push(x);
          }
        }
        out.set(v.id, { sums, rest });
      }
      return out;
    },
    async organizations(b, venueIds) {
      const args = { lo: b.lo, hi: b.hi, from: b.from, fromSec: b.fromSec, hiSec: b.hiSec };
      const raw = (venueIds ? st.orgsOfVenues.all({ ...args, venues: JSON.stringify(venueIds) }) : st.orgs.all(args)) as [string | null, string][];
      return raw.map(([id, figures]) => [id, ...(JSON.parse(figures) as [number, string | null, number, number, number, number])]);
    },
  };
}

/** Epoch seconds of a `YYYY-MM-DDTHH:mm` text column on PostgreSQL (the same numbers as SQLite's unixepoch()). */
const pgSec = (col: string) => `extract(epoch FROM ${col}::timestamp)::bigint`;
/** Held bookings of the range on PostgreSQL, with their seconds; `plain` as in PLAIN (the mask passed as bytea). */
const PG_HELD_IN_RANGE = `b.start_at >= $lo AND b.start_at < $hi AND b.state IN ('approved', 'used', 'no_show') AND b.end_at > $from`;

/**
 * PostgreSQL: one statement for every venue (the bookings found through the (venue, start) report index), the
 * masks as a bytea array that each venue points into, the month of a booking its first seven characters (the day
 * before the range goes to the first month). Plain bookings come back summed per venue and month, the others row
 * by row; the organizations in one GROUP BY.
 */
function postgresSums(db: Db): UtilizationSums {
  const bind = (text: string, params: Record<string, unknown>) => {
    const values: unknown[] = [];
    const index = new Map<string, number>();
    const q = text.replace(/\$([a-zA-Z]+)/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`missing parameter ${name}`);
      if (!index.has(name)) index.set(name, values.push(params[name]));
      return `$${index.get(name)}`;
    });
    return CompiledQuery.raw(q, values);
  };
  return {
    async venues(venues, b) {
      const masks: Buffer[] = [];
      const maskNo = new Map<Buffer, number>();
      for (const v of venues) if (!maskNo.has(v.mask)) maskNo.set(v.mask, masks.push(v.mask));
      const params = {
        venues: venues.map((v) => v.id),
        maskNos: venues.map((v) => maskNo.get(v.mask)!),
        masks,
        lo: b.lo,
        from: b.from,
        hi: b.hi,
        base: String(b.base),
      };
      const rows = await db.executeQuery<{ venue_id: string; month: string | null; n: number; secs: number; used: number; no_show: number; start_at: string | null; end_at: string | null; state: BookingState | null }>(
        bind(
          `WITH m AS (SELECT no, mask FROM unnest($masks::bytea[]) WITH ORDINALITY AS m(mask, no)),
            v AS (SELECT id, mask_no FROM unnest($venues::text[], $maskNos::int[]) AS v(id, mask_no)),
            x AS MATERIALIZED (
              SELECT b.venue_id, b.start_at, b.end_at, b.state, e - s AS secs,
                     position('\\x00'::bytea IN substring(m.mask FROM ((s - $base::bigint) / 60 + 1)::int FOR ((e - s) / 60)::int)) = 0 AS plain
                FROM v JOIN m ON m.no = v.mask_no
                CROSS JOIN LATERAL (SELECT b.venue_id, b.start_at, b.end_at, b.state, ${pgSec('b.start_at')} AS s, ${pgSec('b.end_at')} AS e
                  FROM venue_bookings b WHERE b.venue_id = v.id AND ${PG_HELD_IN_RANGE}) b)
          SELECT venue_id, left(start_at, 7) AS month, count(*) AS n, sum(secs) AS secs,
                 coalesce(sum(secs) FILTER (WHERE state = 'used'), 0) AS used, coalesce(sum(secs) FILTER (WHERE state = 'no_show'), 0) AS no_show,
                 NULL AS start_at, NULL AS end_at, NULL AS state
            FROM x WHERE plain GROUP BY venue_id, left(start_at, 7)
          UNION ALL
          SELECT venue_id, NULL, 0, 0, 0, 0, start_at, end_at, state FROM x WHERE NOT plain`,
          params,
        ),
      );
      const months = b.buckets.map(([m]) => m);
      const out = new Map(venues.map((v) => [v.id, { sums: months.map(() => ({ n: 0, secs: 0, used: 0, noShow: 0 })), rest: [] as RestRow[] }]));
      for (const r of rows.rows) {
        const venue = out.get(r.venue_id)!;
        if (r.month === null) {
          venue.rest.push({ start_at: r.start_at!, end_at: r.end_at!, state: r.state! });
          continue;
        }
        const sum = venue.sums[Math.max(0, months.indexOf(r.month))];
        sum.n += Number(r.n);
        sum.secs += Number(r.secs);
        sum.used += Number(r.used);
        sum.noShow += Number(r.no_show);
      }
      return out;
    },
    async organizations(b, venueIds) {
      const clip = `least(${pgSec('b.end_at')}, $hiSec::bigint) - greatest(${pgSec('b.start_at')}, $fromSec::bigint)`;
      const rows = await db.executeQuery<{ organization_id: string | null; held: number; first: string | null; bookings: number; secs: number; used: number; no_show: number }>(
        bind(
          `SELECT b.organization_id, count(*) AS held, greatest(min(b.start_at), $from) AS first, count(*) FILTER (WHERE b.start_at >= $from) AS bookings,
                  coalesce(sum(${clip}), 0) AS secs, coalesce(sum(${clip}) FILTER (WHERE b.state = 'used'), 0) AS used,
                  coalesce(sum(${clip}) FILTER (WHERE b.state = 'no_show'), 0) AS no_show
             FROM venue_bookings b WHERE ${PG_HELD_IN_RANGE}${venueIds ? ' AND b.venue_id = ANY($venues::text[])' : ''}
            GROUP BY b.organization_id`,
          { lo: b.lo, hi: b.hi, from: b.from, fromSec: String(b.fromSec), hiSec: String(b.hiSec), ...(venueIds ? { venues: venueIds } : {}) },
        ),
      );
      return rows.rows.map((r) => [r.organization_id, Number(r.held), r.first, Number(r.bookings), Number(r.secs), Number(r.used), Number(r.no_show)]);
    },
  };
}

const sumsOf = (ctx: CallContext): UtilizationSums => (isPostgres(ctx.db) ? postgresSums(ctx.db) : sqliteSums(ctx.core.sqlite));

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
  const sumSource = sumsOf(ctx);
  const range = { from: q.from, to: q.to };
  const monthList = monthsOf(range);
  const months = monthList.map((m) => m.month);
  const lo = addDays(q.from, -1);
  const hi = addDays(q.to, 1);
  const loDay = dateToDay(lo);
  const bounds: ReportBounds = {
    lo: `${lo}T00:00`,
    from: `${q.from}T00:00`,
    hi: `${hi}T00:00`,
    base: BigInt(loDay * 86_400),
    fromSec: BigInt(dateToDay(q.from) * 86_400),
    hiSec: BigInt(dateToDay(hi) * 86_400),
    buckets: monthList.map((m, k) => [m.month, k === 0 ? `${lo}T00:00` : `${m.from}T00:00`, `${addDays(m.to, 1)}T00:00`] as const),
  };

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

  const opens = venues.map((v) => openOf(v));
  const figures = await sumSource.venues(
    venues.map((v, i) => ({ id: v.id, mask: opens[i].mask })),
    bounds,
  );
  const venueRows = venues.map((v, i) => {
    const open = opens[i];
    const { sums, rest: restRows } = figures.get(v.id)!;
    const rest: UtilizationBooking[] = restRows.map((x) => ({ organizationId: '', start: x.start_at, end: x.end_at, state: x.state }));
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

  const orgRaw = await sumSource.organizations(bounds, q.venueIds ? venues.map((v) => v.id) : undefined);
  // The pure per-month rows came by first month held, then id; the totals keep that order under a stable sort.
  const perOrg = orgRaw
    .map(([organizationId, held, first, bookings, secs, used, noShow]) => ({
      organizationId,
      held,
      firstMonth: held && first ? first.slice(0, 7) : '',
      bookedMinutes: secs / 60,
      usedMinutes: used / 60,
      noShowMinutes: noShow / 60,
      bookings,
    }))
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
