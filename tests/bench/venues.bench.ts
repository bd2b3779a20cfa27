import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { addDays, fromMinutes, toMinutes, weekStart } from '@shared/venues/time';
import type { Bench } from './bench';
import { hubOnEngine, rawDb } from './benchEngine';

const VENUES = 200;
const ORGS = 1_000;
/** Three years of bookings around the bench clock (2026-06-01 10:00 China time). */
const FIRST_DAY = '2024-06-01';
const DAYS = 1_095;
const NOW = new Date('2026-06-01T02:00:00Z');
const TODAY = '2026-06-01';
/** Slots the generator fills; 12:00–13:30 stays free for the insert benchmark. */
const SLOTS: [string, string][] = [
  ['09:00', '11:00'],
  ['14:00', '16:00'],
  ['16:30', '18:00'],
  ['19:00', '21:00'],
];
/** Chance that one weekly slot holds a booking on a given week: ≈ 2.3 bookings a venue a day, ≈ 500,000 in all. */
const FILL = 0.57;
/** Weekly series are cut into blocks of 13 weeks (a season), each for one organization. */
const SEASON_WEEKS = 13;

const OPEN_ALL_WEEK = JSON.stringify(Array.from({ length: 7 }, () => [{ start: '08:00', end: '22:00' }]));

/**
 * 200 venues (odd ones need approval) and about 500,000 bookings over three years: weekly series of the
 * organizations in four slots a day, with dates skipped; past ones used, no-show or cancelled, future ones
 * approved, requested or cancelled. Written with the overlap triggers of 0003 active. Cached in the bench folder.
 */
async function bigCalendar(b: Bench): Promise<string> {
  const dir = b.workDir('venues-500k', 'sqlite');
  const marker = join(dir, 'ready');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false, now: () => NOW });
  const db = core.sqlite;
  const now = NOW.toISOString();
  const insOrg = db.prepare(`INSERT INTO organizations (id, name, mgmt_class, created_at, updated_at) VALUES (?, ?, 'filed', ?, ?)`);
  const insVenue = db.prepare(`INSERT INTO venues (id, name, host_type_code, host_name, address, capacity, equipment_json, bookable, opening_hours_json,
    closed_json, min_length_minutes, max_length_minutes, min_notice_minutes, max_notice_days, approval_required, quotas_json, note, created_at, updated_at)
    VALUES (?, ?, ?, ?, '', ?, '[]', 1, ?, '[]', 30, 480, 60, NULL, ?, '[]', '', ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < ORGS; i++) insOrg.run(`bench-org-${i}`, `基准组织${i}号互助会`, now, now);
    for (let v = 0; v < VENUES; v++) {
      insVenue.run(`bench-venue-${v}`, `基准场地${v}号活动室`, ['H01', 'H02', 'H03'][v % 3], `基准街道${v % 40}号服务中心`, 20 + (v % 5) * 20, OPEN_ALL_WEEK, v % 2, now, now);
    }
  })();

  const insSeries = db.prepare(`INSERT INTO venue_booking_series (id, venue_id, organization_id, recurrence_kind, until_date, skip_json, created_by, created_at)
    VALUES (?, ?, ?, 'weekly', ?, ?, NULL, ?)`);
  const insBooking = db.prepare(`INSERT INTO venue_bookings (id, series_id, occ_index, venue_id, organization_id, start_at, end_at, state, purpose,
    expected_attendance, source, cancel_reason, decided_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'venues', ?, ?, ?, ?)`);
  let x = 20260601;
  const rnd = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const purposes = ['合唱排练', '太极拳练习', '议事协商会', '志愿者培训', '亲子阅读', '书法交流', '手工编织'];
  const stateOf = (start: string): { state: string; reason: string | null } => {
    const r = rnd();
    if (start < `${TODAY}T10:00`) return r < 0.85 ? { state: 'used', reason: null } : r < 0.93 ? { state: 'no_show', reason: null } : { state: 'cancelled', reason: '活动延期' };
    return r < 0.8 ? { state: 'approved', reason: null } : r < 0.95 ? { state: 'requested', reason: null } : { state: 'cancelled', reason: '组织临时取消' };
  };
  const seasonDays = SEASON_WEEKS * 7;
  const venueSeasons = db.transaction((v: number) => {
    for (let season = 0; season * seasonDays < DAYS; season++) {
      for (let wd = 0; wd < 7; wd++) {
        for (const [s, e] of SLOTS) {
          const first = addDays(FIRST_DAY, season * seasonDays + wd);
          const org = `bench-org-${Math.floor(rnd() * ORGS)}`;
          const seriesId = randomUUID();
          const skipped: string[] = [];
          const rows: [string, number, string, string][] = [];
          for (let k = 0; k < SEASON_WEEKS; k++) {
            const date = addDays(first, k * 7);
            if (date >= addDays(FIRST_DAY, DAYS)) break;
            if (rnd() < FILL) rows.push([date, k, `${date}T${s}`, `${date}T${e}`]);
            else skipped.push(date);
          }
          if (!rows.length) continue;
          insSeries.run(seriesId, `bench-venue-${v}`, org, rows[rows.length - 1][0], JSON.stringify(skipped), now);
          for (const [, k, start, end] of rows) {
            const { state, reason } = stateOf(start);
            insBooking.run(randomUUID(), seriesId, k, `bench-venue-${v}`, org, start, end, state, purposes[k % purposes.length], 5 + (k % 15), reason, state === 'requested' ? null : now, now, now);
          }
        }
      }
    }
  });
  for (let v = 0; v < VENUES; v++) venueSeasons(v);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  await core.close();
  writeFileSync(marker, 'ok');
  return dir;
}

/** CPU milliseconds (user + system) of this process for one run: wall time inflated by other processes is not. */
async function cpuMedian(n: number, fn: (i: number) => unknown): Promise<number> {
  await fn(-1);
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    await fn(i);
    const c = process.cpuUsage(c0);
    ts.push((c.user + c.system) / 1000);
  }
  return ts.sort((a, c) => a - c)[Math.floor(ts.length / 2)];
}

/** Runs on both engines (`npm run bench -- venues --database pg`): every figure beside its raw baseline on the same engine. */
export const engines = ['sqlite', 'postgres'];

export default async function venuesBench(b: Bench): Promise<void> {
  const hub = await hubOnEngine(b, 'venues-500k', await bigCalendar(b));
  const core = await Core.open({ ...hub, seed: 'demo', demoScale: 0, autoBackup: false, now: () => NOW });
  const db = await rawDb(core);
  const pg = db.engine === 'postgres';
  const login = async (username: string) => (await core.invoke('auth.login', { username, password: DEMO_PASSWORD })).sessionToken!;
  const staff = await login('zhangli');
  const viewer = await login('zhaoqiang');
  const invoke = async (token: string, name: string, input: unknown) => {
    const r = await core.invoke(name, input, token);
    if (!r.ok) throw new Error(`${name}: ${r.error!.message}`);
    return r.data;
  };
  // Bookings this bench wrote on an earlier run are removed, so the cached calendar stays as generated.
  await db.tx(async () => {
    const series = (await db.all<{ series_id: string }>(`SELECT DISTINCT series_id FROM venue_bookings WHERE purpose = '基准测试'`)).map((r) => r.series_id);
    await db.run(`DELETE FROM venue_bookings WHERE purpose = '基准测试'`);
    for (const id of series) await db.run(`DELETE FROM venue_booking_series WHERE id = ?`, id);
  });
  const count = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM venue_bookings WHERE venue_id LIKE 'bench-venue-%'`))!.n;
  b.report({ name: 'venues.bookings', value: count, unit: 'bookings' });
  b.report({ name: 'venues.venues', value: VENUES, unit: 'venues' });
  // The machine's load when measuring: wall times below grow with it (raw baselines too); the *_cpu figures do not.
  b.report({ name: 'venues.load_average_1min', value: loadavg()[0], unit: 'runnable' });

  // Conflict check plus insert, through the API (zod, session, rules, overlap, quota, trigger, audit) at p95:
  // a one-hour booking at 12:00 on a venue that books without approval, next to the generated slots.
  // Each run takes a fresh (venue, date), so every check scans real neighbours and every insert succeeds.
  const RUNS = 300;
  const apiSlot = (i: number) => ({ venue: `bench-venue-${2 * ((i + 1) % 100)}`, date: addDays(TODAY, 1 + Math.floor((i + 1) / 100)) });
  // One booking through the API: slot `slot`, organization `org + 1`, 12:00–13:00.
  const bookThroughApi = (slot: number, org: number) => {
    const { venue, date } = apiSlot(slot);
    return invoke(staff, 'venues.bookings.create', {
      venueId: venue,
      organizationId: `bench-org-${(org + 1) % ORGS}`,
      start: `${date}T12:00`,
      end: `${date}T13:00`,
      purpose: '基准测试',
      expectedAttendance: 10,
    });
  };
  const insertP95 = await b.timeP95(RUNS, (i) => {
    return bookThroughApi(i, i);
  });
  // Raw SQL: the same overlap query the trigger runs (SQLite; on PostgreSQL the EXCLUDE constraint checks the
  // insert itself), then the series and the booking, in one write transaction.
  const overlap = `SELECT id FROM venue_bookings WHERE venue_id = ? AND start_at < ? AND start_at > ? AND end_at > ?
    AND ${pg ? '' : '+'}state IN ('approved', 'used', 'no_show') LIMIT 1`;
  const rawSeries = `INSERT INTO venue_booking_series (id, venue_id, organization_id, recurrence_kind, skip_json, created_at) VALUES (?, ?, ?, 'once', '[]', ?)`;
  const rawBooking = `INSERT INTO venue_bookings (id, series_id, venue_id, organization_id, start_at, end_at, state, purpose, expected_attendance, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'approved', '基准测试', 10, ?, ?)`;
  const rawInsert = (venue: string, org: string, start: string, end: string) =>
    db.tx(async () => {
      if (await db.get(overlap, venue, end, fromMinutes(toMinutes(start) - 1440), start)) throw new Error('unexpected overlap');
      const seriesId = randomUUID();
      const at = new Date().toISOString();
      await db.run(rawSeries, seriesId, venue, org, at);
      await db.run(rawBooking, randomUUID(), seriesId, venue, org, start, end, at, at);
    });
  const rawP95 = await b.timeP95(RUNS, (i) => {
    const { venue, date } = apiSlot(i);
    return rawInsert(venue, `bench-org-${(i + 1) % ORGS}`, `${date}T13:00`, `${date}T13:30`);
  });
  b.report({ name: 'venues.conflict_check_insert_api_p95', value: insertP95, unit: 'ms', baseline: rawP95, target: '< 5 ms' });
  const insertCpu = await cpuMedian(100, (i) => {
    return bookThroughApi(i + RUNS + 1, i);
  });
  const rawInsertCpu = await cpuMedian(100, (i) => {
    const { venue, date } = apiSlot(i + RUNS + 1);
    return rawInsert(venue, `bench-org-${(i + 1) % ORGS}`, `${date}T13:00`, `${date}T13:30`);
  });
  b.report({ name: 'venues.conflict_check_insert_api_cpu_median', value: insertCpu, unit: 'ms', baseline: rawInsertCpu });
  if (!pg) {
    // The same two measurements without the per-commit fsync (synchronous = NORMAL in WAL mode; the app keeps
    // FULL): what the check and the insert cost, apart from waiting for the disk, which dominates on a busy
    // machine. (The bench's private PostgreSQL server runs with fsync off already.)
    const sqlite = core.sqlite;
    sqlite.pragma('synchronous = NORMAL');
    const OFFSET = RUNS + 103;
    const insertNoSyncP95 = await b.timeP95(RUNS, (i) => {
      return bookThroughApi(i + OFFSET, i);
    });
    const rawNoSyncP95 = await b.timeP95(RUNS, (i) => {
      const { venue, date } = apiSlot(i + OFFSET);
      return rawInsert(venue, `bench-org-${(i + 1) % ORGS}`, `${date}T13:00`, `${date}T13:30`);
    });
    sqlite.pragma('synchronous = FULL');
    b.report({ name: 'venues.conflict_check_insert_api_p95_without_fsync', value: insertNoSyncP95, unit: 'ms', baseline: rawNoSyncP95, target: '< 5 ms' });
  }

  // Week view of one venue (the calendar's call, bookings with venue, organization and approver names).
  const weeks = (i: number) => {
    const monday = weekStart(addDays(FIRST_DAY, 7 + ((i + 1) * 37) % (DAYS - 14)));
    return { venue: `bench-venue-${((i + 1) * 13) % VENUES}`, from: monday, to: addDays(monday, 6) };
  };
  const weekP95 = await b.timeP95(200, (i) => {
    const w = weeks(i);
    return invoke(viewer, 'venues.bookings.calendar', { venueIds: [w.venue], from: w.from, to: w.to });
  });
  const rawWeek = `SELECT b.*, v.name AS venue_name, o.name AS organization_name, s.recurrence_kind, u.display_name
    FROM venue_bookings b JOIN venues v ON v.id = b.venue_id JOIN organizations o ON o.id = b.organization_id
    JOIN venue_booking_series s ON s.id = b.series_id LEFT JOIN users u ON u.id = b.decided_by
    WHERE b.venue_id = ? AND b.start_at >= ? AND b.start_at < ? AND b.end_at > ? AND b.state <> 'cancelled' ORDER BY b.start_at`;
  const weekRawP95 = await b.timeP95(200, (i) => {
    const w = weeks(i);
    return db.all(rawWeek, w.venue, `${addDays(w.from, -1)}T00:00`, `${addDays(w.to, 1)}T00:00`, `${w.from}T00:00`);
  });
  b.report({ name: 'venues.week_view_one_venue_api_p95', value: weekP95, unit: 'ms', baseline: weekRawP95, target: '< 100 ms' });
  const weekCpu = await cpuMedian(50, (i) => {
    const w = weeks(i);
    return invoke(viewer, 'venues.bookings.calendar', { venueIds: [w.venue], from: w.from, to: w.to });
  });
  const weekRawCpu = await cpuMedian(50, (i) => {
    const w = weeks(i);
    return db.all(rawWeek, w.venue, `${addDays(w.from, -1)}T00:00`, `${addDays(w.to, 1)}T00:00`, `${w.from}T00:00`);
  });
  b.report({ name: 'venues.week_view_one_venue_api_cpu_median', value: weekCpu, unit: 'ms', baseline: weekRawCpu });

  // The week of every venue at once (the heaviest calendar read), for the reader.
  const allIds = Array.from({ length: VENUES }, (_, v) => `bench-venue-${v}`);
  const allWeek = await b.timeMedian(5, (i) => {
    const w = weeks(i);
    return invoke(viewer, 'venues.bookings.calendar', { venueIds: allIds, from: w.from, to: w.to });
  });
  b.report({ name: 'venues.week_view_all_200_venues_api', value: allWeek, unit: 'ms' });

  // A year's utilization of all 200 venues (open, booked, used, no-show, idle per venue and month; per organization).
  const yearFrom = '2025-06-01';
  const yearTo = '2026-05-31';
  const util = await b.timeMedian(5, () => invoke(viewer, 'venues.utilization', { from: yearFrom, to: yearTo }));
  // Raw SQL: the booked / used / no-show minutes per venue and month and per organization, summed in the
  // database (no opening hours, so no idle time: the raw baseline does less than the report).
  const minutes = pg ? `(extract(epoch FROM end_at::timestamp - start_at::timestamp) / 60)` : `((julianday(end_at) - julianday(start_at)) * 1440)`;
  const rawUtil = `SELECT venue_id, substr(start_at, 1, 7) AS month,
      sum(${minutes}) AS booked,
      sum(CASE WHEN state = 'used' THEN ${minutes} ELSE 0 END) AS used,
      sum(CASE WHEN state = 'no_show' THEN ${minutes} ELSE 0 END) AS no_show,
      count(*) AS n
    FROM venue_bookings WHERE start_at >= ? AND start_at < ? AND state IN ('approved', 'used', 'no_show') GROUP BY venue_id, substr(start_at, 1, 7)`;
  const rawOrg = `SELECT organization_id, sum(${minutes}) AS booked, count(*) AS n
    FROM venue_bookings WHERE start_at >= ? AND start_at < ? AND state IN ('approved', 'used', 'no_show') GROUP BY organization_id`;
  const utilRaw = await b.timeMedian(5, async () => {
    await db.all(rawUtil, `${yearFrom}T00:00`, `${addDays(yearTo, 1)}T00:00`);
    await db.all(rawOrg, `${yearFrom}T00:00`, `${addDays(yearTo, 1)}T00:00`);
  });
  b.report({ name: 'venues.utilization_year_200_venues_api', value: util, unit: 'ms', baseline: utilRaw, target: '< 500 ms' });
  // CPU time of this process (JS and SQLite) for the same two: wall time above also counts waiting for a busy CPU.
  const utilCpu = await cpuMedian(5, () => invoke(viewer, 'venues.utilization', { from: yearFrom, to: yearTo }));
  const utilRawCpu = await cpuMedian(5, async () => {
    await db.all(rawUtil, `${yearFrom}T00:00`, `${addDays(yearTo, 1)}T00:00`);
    await db.all(rawOrg, `${yearFrom}T00:00`, `${addDays(yearTo, 1)}T00:00`);
  });
  b.report({ name: 'venues.utilization_year_200_venues_api_cpu_median', value: utilCpu, unit: 'ms', baseline: utilRawCpu });

  const xlsx = await b.timeMedian(3, () => invoke(viewer, 'venues.utilization.export', { from: yearFrom, to: yearTo }));
  b.report({ name: 'venues.utilization_year_xlsx_export', value: xlsx, unit: 'ms' });

  // The list view's first page (ag-grid infinite model: count + 100 rows, newest first) over every booking.
  const page = await b.timeMedian(5, () => invoke(viewer, 'venues.bookings.page', { startRow: 0, endRow: 100, sort: [], filter: {} }));
  b.report({ name: 'venues.list_first_page_all_bookings', value: page, unit: 'ms' });
  const pageVenue = await b.timeMedian(5, (i) =>
    invoke(viewer, 'venues.bookings.page', { startRow: 0, endRow: 100, sort: [], filter: { venueId: `bench-venue-${(i + 1) % VENUES}` } }),
  );
  b.report({ name: 'venues.list_first_page_one_venue', value: pageVenue, unit: 'ms' });

  const dayBefore = pg ? `to_char(a.start_at::timestamp - interval '1 day', 'YYYY-MM-DD"T"HH24:MI')` : `strftime('%Y-%m-%dT%H:%M', a.start_at, '-1 day')`;
  const overlaps = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM venue_bookings a JOIN venue_bookings b2 ON a.venue_id = b2.venue_id AND a.id < b2.id
      AND a.start_at < b2.end_at AND b2.start_at < a.end_at AND b2.start_at > ${dayBefore}
    WHERE a.state IN ('approved', 'used', 'no_show') AND b2.state IN ('approved', 'used', 'no_show')`))!.n;
  b.report({ name: 'venues.overlapping_held_pairs', value: overlaps, unit: 'pairs' });
  b.report({ name: 'venues.load_average_1min_end', value: loadavg()[0], unit: 'runnable' });
  await db.close();
  await core.close();
}
