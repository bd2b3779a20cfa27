/**
 * Utilization maths: open, booked, used, no-show and idle minutes per venue over a date range, by month, and
 * per organization.
 *
 * - open: the venue's opening hours over the range, closed dates excluded;
 * - booked: minutes of bookings that held the venue (approved, used, no-show), clipped to the range;
 * - used / noShow: the parts of booked that were recorded as used / not turned up;
 * - idle: open minutes not covered by any booked minute (a booking outside opening hours does not make
 *   idle time negative).
 * A booking that crosses a month end (or midnight into a new month) is split by minute.
 */
import { openIntervals, type VenueRules } from './rules';
import { OCCUPYING_STATES, type BookingState } from './state';
import { dateToDay, dayToDate, monthOf, nextMonthStart, toMinutes, type LocalDate, type LocalDateTime } from './time';

export interface UtilizationBooking {
  organizationId: string;
  start: LocalDateTime;
  end: LocalDateTime;
  state: BookingState;
}

export interface UtilizationFigures {
  openMinutes: number;
  bookedMinutes: number;
  usedMinutes: number;
  noShowMinutes: number;
  idleMinutes: number;
  /** Number of bookings that start in the period and held the venue. */
  bookings: number;
}

export interface MonthUtilization extends UtilizationFigures {
  month: string; // 'YYYY-MM'
}

export interface DateRange {
  from: LocalDate;
  /** Inclusive. */
  to: LocalDate;
}

const zero = (): UtilizationFigures => ({ openMinutes: 0, bookedMinutes: 0, usedMinutes: 0, noShowMinutes: 0, idleMinutes: 0, bookings: 0 });

/** Months of a range as [month, firstDay, lastDay] with the ends clipped to the range. */
export function monthsOf(range: DateRange): { month: string; from: LocalDate; to: LocalDate }[] {
  const out: { month: string; from: LocalDate; to: LocalDate }[] = [];
  let from = range.from;
  while (from <= range.to) {
    const next = nextMonthStart(from);
    const lastOfMonth = dayBefore(next);
    const to = lastOfMonth < range.to ? lastOfMonth : range.to;
    out.push({ month: monthOf(from), from, to });
    from = next;
  }
  return out;
}

function dayBefore(date: LocalDate): LocalDate {
  return dayToDate(dateToDay(date) - 1);
}

/** Total length of the intersection of two sorted, non-overlapping interval lists. */
function intersectionLength(a: readonly [number, number][], b: readonly [number, number][]): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i][0], b[j][0]);
    const e = Math.min(a[i][1], b[j][1]);
    if (e > s) total += e - s;
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return total;
}

function mergeSorted(list: [number, number][]): [number, number][] {
  list.sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const iv of list) {
    const last = out[out.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else out.push([iv[0], iv[1]]);
  }
  return out;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digit = (dt: string, i: number) => dt.charCodeAt(i) - 48;

/**
 * `toMinutes` for the hundreds of thousands of datetimes a report reads, without allocating: digits are read
 * from their fixed positions and the day number computed arithmetically (days from the civil date). Anything
 * not shaped like a real 'YYYY-MM-DDTHH:mm' goes through `toMinutes`, which refuses it.
 */
export function minutesOf(dt: LocalDateTime): number {
  if (dt.length !== 16 || dt.charCodeAt(4) !== 45 || dt.charCodeAt(7) !== 45 || dt.charCodeAt(10) !== 84 || dt.charCodeAt(13) !== 58) return toMinutes(dt);
  const y = digit(dt, 0) * 1000 + digit(dt, 1) * 100 + digit(dt, 2) * 10 + digit(dt, 3);
  const mo = digit(dt, 5) * 10 + digit(dt, 6);
  const d = digit(dt, 8) * 10 + digit(dt, 9);
  const h = digit(dt, 11) * 10 + digit(dt, 12);
  const mi = digit(dt, 14) * 10 + digit(dt, 15);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (!(y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1]) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59)) {
    return toMinutes(dt);
  }
  // days from civil (proleptic Gregorian), 1970-01-01 = 0
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const day = era * 146097 + doe - 719468;
  return day * MINUTES_PER_DAY + h * 60 + mi;
}

const MINUTES_PER_DAY = 1440;

/** Index of the month whose [start, end) holds minute `t`, or the first month after it (bounds are sorted). */
function firstMonthEndingAfter(bounds: readonly (readonly [number, number])[], t: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid][1] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One venue's figures per month of `range` (every month of the range appears, even with no booking). */
export function venueUtilizationByMonth(
  rules: Pick<VenueRules, 'openingHours' | 'closed'>,
  range: DateRange,
  bookings: readonly UtilizationBooking[],
): MonthUtilization[] {
  const months = monthsOf(range);
  const bounds = months.map((m) => [dateToDay(m.from) * 1440, (dateToDay(m.to) + 1) * 1440] as const);
  const rows: MonthUtilization[] = months.map((m) => ({ month: m.month, ...zero() }));
  const booked: [number, number][][] = months.map(() => []);
  for (const b of bookings) {
    if (!OCCUPYING_STATES.includes(b.state)) continue;
    const s = minutesOf(b.start);
    const e = minutesOf(b.end);
    if (e <= s) continue;
    for (let k = firstMonthEndingAfter(bounds, s); k < months.length && bounds[k][0] < e; k++) {
      const [ms, me] = bounds[k];
      if (s >= ms && s < me) rows[k].bookings++;
      const cs = Math.max(s, ms);
      const ce = Math.min(e, me);
      if (ce <= cs) continue;
      const len = ce - cs;
      rows[k].bookedMinutes += len;
      if (b.state === 'used') rows[k].usedMinutes += len;
      if (b.state === 'no_show') rows[k].noShowMinutes += len;
      booked[k].push([cs, ce]);
    }
  }
  months.forEach((m, k) => {
    const open = openIntervals(rules, m.from, m.to);
    const openMinutes = open.reduce((sum, [s, e]) => sum + (e - s), 0);
    rows[k].openMinutes = openMinutes;
    rows[k].idleMinutes = openMinutes - intersectionLength(open, mergeSorted(booked[k]));
  });
  return rows;
}

export function sumFigures(rows: readonly UtilizationFigures[]): UtilizationFigures {
  const t = zero();
  for (const r of rows) {
    t.openMinutes += r.openMinutes;
    t.bookedMinutes += r.bookedMinutes;
    t.usedMinutes += r.usedMinutes;
    t.noShowMinutes += r.noShowMinutes;
    t.idleMinutes += r.idleMinutes;
    t.bookings += r.bookings;
  }
  return t;
}

/** Booked share of open time, 0–1 (0 when the venue was never open). Booked time outside hours is not counted. */
export function occupancyRate(f: UtilizationFigures): number {
  return f.openMinutes > 0 ? (f.openMinutes - f.idleMinutes) / f.openMinutes : 0;
}

export interface OrganizationUtilization {
  organizationId: string;
  month: string;
  bookedMinutes: number;
  usedMinutes: number;
  noShowMinutes: number;
  bookings: number;
}

/** Per organization per month: booked, used and no-show minutes (clipped to the range, split at month ends). */
export function organizationUtilization(range: DateRange, bookings: readonly UtilizationBooking[]): OrganizationUtilization[] {
  const months = monthsOf(range);
  const bounds = months.map((m) => [dateToDay(m.from) * 1440, (dateToDay(m.to) + 1) * 1440] as const);
  const byOrg = new Map<string, (OrganizationUtilization | undefined)[]>();
  for (const b of bookings) {
    if (!OCCUPYING_STATES.includes(b.state)) continue;
    const s = minutesOf(b.start);
    const e = minutesOf(b.end);
    let rows = byOrg.get(b.organizationId);
    for (let k = firstMonthEndingAfter(bounds, s); k < months.length && (bounds[k][0] < e || bounds[k][0] <= s); k++) {
      const [ms, me] = bounds[k];
      const cs = Math.max(s, ms);
      const ce = Math.min(e, me);
      const starts = s >= ms && s < me;
      if (ce <= cs && !starts) continue;
      if (!rows) byOrg.set(b.organizationId, (rows = new Array(months.length)));
      let row = rows[k];
      if (!row) {
        row = { organizationId: b.organizationId, month: months[k].month, bookedMinutes: 0, usedMinutes: 0, noShowMinutes: 0, bookings: 0 };
        rows[k] = row;
      }
      if (starts) row.bookings++;
      const len = Math.max(0, ce - cs);
      row.bookedMinutes += len;
      if (b.state === 'used') row.usedMinutes += len;
      if (b.state === 'no_show') row.noShowMinutes += len;
    }
  }
  const out: OrganizationUtilization[] = [];
  const orgIds = [...byOrg.keys()].sort((a, b) => a.localeCompare(b));
  for (let k = 0; k < months.length; k++) {
    for (const id of orgIds) {
      const row = byOrg.get(id)![k];
      if (row) out.push(row);
    }
  }
  return out;
}

/** Minutes → hours with one decimal, for tables and charts. */
export const toHours = (minutes: number): number => Math.round(minutes / 6) / 10;
