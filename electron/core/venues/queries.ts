/** Reading bookings: calendar ranges, the paged list, one booking with its series. */
import { unindexed } from './sqlDialect';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import type { BookingRow } from '@shared/contract/venues';
import type { BookingState } from '@shared/venues/state';
import { addDays } from '@shared/venues/time';
import type { Db } from '../db/connection';
import { organizerLabel } from '@shared/venues/hub';

/**
 * Bookings with their venue, organization, series and approver. The bookings always drive the join (the `+`
 * keeps the join columns off the bookings' indexes): every caller filters or orders the bookings themselves, and
 * without ANALYZE statistics SQLite would otherwise start from the 200 venues, read every booking of each and
 * sort them all for the list's first page (~0.7 s at 500,000 bookings instead of a few ms).
 */
function bookingBase(db: Db) {
  return db
    .selectFrom('venue_bookings as b')
    .innerJoin('venues as v', (j) => j.on(sql<boolean>`v.id = ${unindexed(db, 'b.venue_id')}`))
    // LEFT: a hub-run booking (本基地主办, organization_id null) has no organization
    .leftJoin('organizations as o', (j) => j.on(sql<boolean>`o.id = ${unindexed(db, 'b.organization_id')}`))
    .innerJoin('venue_booking_series as s', (j) => j.on(sql<boolean>`s.id = ${unindexed(db, 'b.series_id')}`))
    .leftJoin('users as u', 'u.id', 'b.decided_by');
}

const BOOKING_COLUMNS = [
  'b.id',
  'b.series_id',
  'b.occ_index',
  's.recurrence_kind',
  'b.venue_id',
  'v.name as venue_name',
  'b.organization_id',
  'o.name as organization_name',
  'b.start_at',
  'b.end_at',
  'b.state',
  'b.purpose',
  'b.activity_series_code',
  'b.activity_kind_code',
  'b.expected_attendance',
  'b.activity_id',
  'b.source',
  'b.source_ref',
  'b.cancel_reason',
  'b.rejected',
  'u.display_name as decided_by_name',
  'b.decided_at',
  'b.sequence',
  'b.version',
  'b.created_at',
  'b.updated_at',
] as const;

function bookingSelect(db: Db) {
  return bookingBase(db).select(BOOKING_COLUMNS);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function bookingFromRow(r: any): BookingRow {
  return {
    id: r.id,
    seriesId: r.series_id,
    occIndex: r.occ_index,
    recurrenceKind: r.recurrence_kind,
    venueId: r.venue_id,
    venueName: r.venue_name,
    organizationId: r.organization_id,
    organizationName: organizerLabel(r.organization_id, r.organization_name),
    start: r.start_at,
    end: r.end_at,
    state: r.state as BookingState,
    purpose: r.purpose,
    activitySeriesCode: r.activity_series_code,
    activityKindCode: r.activity_kind_code,
    expectedAttendance: r.expected_attendance,
    activityId: r.activity_id,
    source: r.source,
    sourceRef: r.source_ref,
    cancelReason: r.cancel_reason,
    rejected: r.rejected === 1,
    decidedBy: r.decided_by_name ?? null,
    decidedAt: r.decided_at,
    sequence: r.sequence,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/**
 * Bookings that touch the dates [from, to] (inclusive) of the given venues: what a week or day view shows.
 * Uses the (venue_id, start_at) index with a one-day look-back for bookings that began the evening before.
 */
export async function calendarBookings(
  db: Db,
  q: { venueIds?: string[]; from: string; to: string; includeCancelled: boolean },
): Promise<BookingRow[]> {
  const lo = `${addDays(q.from, -1)}T00:00`;
  const hi = `${addDays(q.to, 1)}T00:00`;
  let query = bookingSelect(db)
    .where('b.start_at', '>=', lo)
    .where('b.start_at', '<', hi)
    .where('b.end_at', '>', `${q.from}T00:00`);
  if (q.venueIds) {
    if (!q.venueIds.length) return [];
    query = query.where('b.venue_id', 'in', q.venueIds);
  }
  if (!q.includeCancelled) query = query.where('b.state', '<>', 'cancelled');
  const rows = await query.orderBy('b.start_at').execute();
  return rows.map(bookingFromRow);
}

export interface BookingPageQuery {
  startRow: number;
  endRow: number;
  sort: { colId: string; sort: 'asc' | 'desc' }[];
  filter: {
    venueId?: string;
    organizationId?: string;
    states?: BookingState[];
    from?: string;
    to?: string;
    text?: string;
    source?: string;
  };
}

const SORTABLE: Record<string, string> = {
  start: 'b.start_at',
  end: 'b.end_at',
  venueName: 'v.name',
  organizationName: 'o.name',
  state: 'b.state',
  expectedAttendance: 'b.expected_attendance',
  createdAt: 'b.created_at',
  purpose: 'b.purpose',
};

/**
 * The list's total without a text filter. Every booking has its venue, organization and series (foreign keys),
 * so the count needs no join: it walks one index instead of joining four tables over every row.
 */
async function plainCount(db: Db, f: BookingPageQuery['filter']): Promise<number> {
  let x = db.selectFrom('venue_bookings as b');
  if (f.venueId) x = x.where('b.venue_id', '=', f.venueId);
  if (f.organizationId) x = x.where('b.organization_id', '=', f.organizationId);
  if (f.states?.length) x = x.where('b.state', 'in', f.states);
  if (f.from) x = x.where('b.start_at', '>=', `${f.from}T00:00`);
  if (f.to) x = x.where('b.start_at', '<', `${addDays(f.to, 1)}T00:00`);
  if (f.source) x = x.where('b.source', '=', f.source);
  return Number((await x.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
}

/** One page of the booking list for ag-grid's infinite model; filters and sort in SQL. */
/** `today` (China date) turns on the default order: upcoming first, nearest first; then the past, latest first. */
export async function bookingPage(db: Db, q: BookingPageQuery, today?: string): Promise<{ rows: BookingRow[]; total: number }> {
  const f = q.filter;
  let x = bookingBase(db);
  if (f.venueId) x = x.where('b.venue_id', '=', f.venueId);
  if (f.organizationId) x = x.where('b.organization_id', '=', f.organizationId);
  if (f.states?.length) x = x.where('b.state', 'in', f.states);
  if (f.from) x = x.where('b.start_at', '>=', `${f.from}T00:00`);
  if (f.to) x = x.where('b.start_at', '<', `${addDays(f.to, 1)}T00:00`);
  if (f.source) x = x.where('b.source', '=', f.source);
  if (f.text) {
    const like = `%${f.text.replace(/[%_\\]/g, '')}%`;
    x = x.where((eb) => eb.or([eb('b.purpose', 'like', like), eb('o.name', 'like', like), eb('v.name', 'like', like)]));
  }
  const total = f.text ? Number((await x.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n) : await plainCount(db, f);
  const limit = Math.min(Math.max(q.endRow - q.startRow, 1), 500);
  const sorts = q.sort.filter((s) => SORTABLE[s.colId]);
  if (!sorts.length && today) {
    // The default order (issue 18): from today on first, the nearest first; then the past, the latest first.
    // Two index-ordered ranges read one after the other instead of one sort over a CASE of every row.
    const cut = `${today}T00:00`;
    const upcomingTotal = f.to && f.to < today ? 0 : await (f.text ? Number((await x.where('b.start_at', '>=', cut).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n) : plainCount(db, { ...f, from: f.from && f.from > today ? f.from : today }));
    const out = [];
    if (q.startRow < upcomingTotal) {
      out.push(...(await x.select(BOOKING_COLUMNS).where('b.start_at', '>=', cut).orderBy('b.start_at', 'asc').orderBy('b.id').limit(Math.min(limit, upcomingTotal - q.startRow)).offset(q.startRow).execute()));
    }
    if (out.length < limit) {
      out.push(...(await x.select(BOOKING_COLUMNS).where('b.start_at', '<', cut).orderBy('b.start_at', 'desc').orderBy('b.id').limit(limit - out.length).offset(Math.max(0, q.startRow - upcomingTotal)).execute()));
    }
    return { rows: out.map(bookingFromRow), total };
  }
  let rowsQ = x.select(BOOKING_COLUMNS);
  for (const s of sorts) rowsQ = rowsQ.orderBy(sql.ref(SORTABLE[s.colId]), s.sort);
  if (!sorts.length) rowsQ = rowsQ.orderBy('b.start_at', 'desc');
  rowsQ = rowsQ.orderBy('b.id');
  const rows = await rowsQ.limit(limit).offset(q.startRow).execute();
  return { rows: rows.map(bookingFromRow), total };
}

export async function bookingWithSeries(db: Db, id: string) {
  const row = await bookingSelect(db).where('b.id', '=', id).executeTakeFirst();
  if (!row) throw fail.notFound('预约');
  const booking = bookingFromRow(row);
  const series = (await bookingSelect(db).where('b.series_id', '=', booking.seriesId).orderBy('b.start_at').execute()).map(bookingFromRow);
  const s = await db.selectFrom('venue_booking_series').select(['recurrence_kind', 'until_date']).where('id', '=', booking.seriesId).executeTakeFirstOrThrow();
  return { booking, series, recurrence: { kind: s.recurrence_kind, until: s.until_date } };
}

/** Organizations to book for (active ones), and the chosen organization's planned activities. */
export async function bookingOptions(db: Db, organizationId?: string, today?: string) {
  const organizations = await db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('status', '=', 'active')
    .orderBy(sql`name_pinyin`)
    .orderBy('name')
    .execute();
  let activities: { id: string; title: string; date: string; isMajor: boolean; reportFiledDate: string | null }[] = [];
  if (organizationId) {
    let q = db
      .selectFrom('org_activities')
      .select(['id', 'title', 'date', 'is_major', 'report_filed_date'])
      .where('org_id', '=', organizationId)
      .where('status', '=', 'planned');
    if (today) q = q.where('date', '>=', today);
    activities = (await q.orderBy('date').limit(200).execute()).map((a) => ({
      id: a.id,
      title: a.title,
      date: a.date,
      isMajor: a.is_major === 1,
      reportFiledDate: a.report_filed_date,
    }));
  }
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'majorActivityThreshold').executeTakeFirst();
  const threshold = row ? Number(JSON.parse(row.value)) : 100;
  return { organizations, activities, majorActivityThreshold: Number.isInteger(threshold) ? threshold : 100 };
}
