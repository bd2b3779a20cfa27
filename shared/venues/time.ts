/**
 * Time model of the venues area.
 *
 * A booking is a venue plus a start and an end, both **local China datetimes** written
 * `YYYY-MM-DDTHH:mm` (e.g. `2026-03-05T19:00`): no seconds, no offset, no `Z`. China (Asia/Shanghai) has
 * kept UTC+8 without daylight saving since 1991, so local wall-clock minutes are a plain linear scale and
 * all arithmetic here is done on "minutes since 1970-01-01T00:00 local" without any time-zone library.
 * The fixed-width text form sorts lexicographically in the same order as time, which the database uses.
 *
 * Intervals are half-open: `[start, end)`. A booking that ends at 10:00 and one that starts at 10:00 touch
 * but do not overlap. Times of day (`HH:mm`) are used for opening hours; `24:00` is allowed as an end of day.
 */

export type LocalDate = string; // 'YYYY-MM-DD'
export type LocalDateTime = string; // 'YYYY-MM-DDTHH:mm'
export type TimeOfDay = string; // 'HH:mm', '24:00' allowed as an end

export interface Interval {
  start: LocalDateTime;
  end: LocalDateTime;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MINUTES_PER_DAY = 1440;
const MS_PER_DAY = 86_400_000;

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  1: '周一',
  2: '周二',
  3: '周三',
  4: '周四',
  5: '周五',
  6: '周六',
  7: '周日',
};

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');

function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

export function isLocalDate(s: unknown): s is LocalDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  return !!m && validYmd(+m[1], +m[2], +m[3]);
}

export function isLocalDateTime(s: unknown): s is LocalDateTime {
  if (typeof s !== 'string') return false;
  const m = DATETIME_RE.exec(s);
  return !!m && validYmd(+m[1], +m[2], +m[3]) && +m[4] <= 23 && +m[5] <= 59;
}

/** `HH:mm` with 00:00–23:59, or `24:00` when `allowEndOfDay`. */
export function isTimeOfDay(s: unknown, allowEndOfDay = false): s is TimeOfDay {
  if (typeof s !== 'string') return false;
  const m = TIME_RE.exec(s);
  if (!m) return false;
  const h = +m[1];
  const min = +m[2];
  if (h === 24 && min === 0) return allowEndOfDay;
  return h <= 23 && min <= 59;
}

/** Day number: days since 1970-01-01. */
export function dateToDay(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m || !validYmd(+m[1], +m[2], +m[3])) throw new RangeError(`日期格式应为 YYYY-MM-DD:${date}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3]) / MS_PER_DAY;
}

export function dayToDate(day: number): LocalDate {
  const d = new Date(day * MS_PER_DAY);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return dayToDate(dateToDay(date) + days);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dateToDay(b) - dateToDay(a);
}

export function weekdayOf(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday (ISO 4).
  const day = dateToDay(date);
  return ((((day + 3) % 7) + 7) % 7 + 1) as Weekday;
}

/** Monday of the ISO week containing `date`. */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

/** 'YYYY-MM' of a date or datetime. */
export function monthOf(dateOrDateTime: string): string {
  return dateOrDateTime.slice(0, 7);
}

export function monthStart(date: LocalDate): LocalDate {
  return `${date.slice(0, 7)}-01`;
}

/** First day of the following month. */
export function nextMonthStart(date: LocalDate): LocalDate {
  const y = +date.slice(0, 4);
  const m = +date.slice(5, 7);
  return m === 12 ? `${pad4(y + 1)}-01-01` : `${pad4(y)}-${pad2(m + 1)}-01`;
}

export function timeToMinutes(t: TimeOfDay): number {
  const m = TIME_RE.exec(t);
  if (!m || !isTimeOfDay(t, true)) throw new RangeError(`时间格式应为 HH:mm:${t}`);
  return +m[1] * 60 + +m[2];
}

export function minutesToTime(min: number): TimeOfDay {
  return `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;
}

/** Minutes since 1970-01-01T00:00 local time. */
export function toMinutes(dt: LocalDateTime): number {
  const m = DATETIME_RE.exec(dt);
  if (!m || !isLocalDateTime(dt)) throw new RangeError(`时间格式应为 YYYY-MM-DDTHH:mm:${dt}`);
  return (Date.UTC(+m[1], +m[2] - 1, +m[3]) / MS_PER_DAY) * MINUTES_PER_DAY + +m[4] * 60 + +m[5];
}

export function fromMinutes(min: number): LocalDateTime {
  const day = Math.floor(min / MINUTES_PER_DAY);
  const rest = min - day * MINUTES_PER_DAY;
  return `${dayToDate(day)}T${minutesToTime(rest)}`;
}

export function datePart(dt: LocalDateTime): LocalDate {
  return dt.slice(0, 10);
}

export function timePart(dt: LocalDateTime): TimeOfDay {
  return dt.slice(11, 16);
}

export function combine(date: LocalDate, time: TimeOfDay): LocalDateTime {
  // '24:00' rolls over to the next day so the result is always a valid datetime.
  if (time === '24:00') return `${addDays(date, 1)}T00:00`;
  return `${date}T${time}`;
}

export function addMinutes(dt: LocalDateTime, minutes: number): LocalDateTime {
  return fromMinutes(toMinutes(dt) + minutes);
}

export function durationMinutes(iv: Interval): number {
  return toMinutes(iv.end) - toMinutes(iv.start);
}

/**
 * Half-open overlap: [a.start, a.end) and [b.start, b.end) share at least one minute.
 * Touching ends (a.end === b.start) do not overlap. Works on the text form because it sorts like time.
 */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Existing intervals that overlap `iv`, in their original order. */
export function findOverlaps<T extends Interval>(iv: Interval, existing: readonly T[]): T[] {
  return existing.filter((e) => overlaps(iv, e));
}

/** '2026-03-05 19:00–21:00' or '2026-03-05 22:00–2026-03-06 01:00' for messages. */
export function formatInterval(iv: Interval): string {
  const sd = datePart(iv.start);
  const ed = datePart(iv.end);
  const et = timePart(iv.end);
  if (sd === ed) return `${sd} ${timePart(iv.start)}–${et}`;
  // An end at midnight reads better as 24:00 of the start day.
  if (et === '00:00' && addDays(sd, 1) === ed) return `${sd} ${timePart(iv.start)}–24:00`;
  return `${sd} ${timePart(iv.start)}–${ed} ${et}`;
}

/** Minutes as '2小时30分钟' for messages. */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h && m) return `${h}小时${m}分钟`;
  if (h) return `${h}小时`;
  return `${m}分钟`;
}

/** An instant as a China local datetime (UTC+8, no daylight saving): `ctx.now()` → 'YYYY-MM-DDTHH:mm'. */
export function chinaDateTime(instant: Date): LocalDateTime {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** The China business date of an instant. */
export function chinaDate(instant: Date): LocalDate {
  return chinaDateTime(instant).slice(0, 10);
}
