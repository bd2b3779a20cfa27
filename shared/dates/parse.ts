/**
 * Business dates: calendar days in China time written 'YYYY-MM-DD'. Parsing accepts what Chinese offices type
 * into spreadsheets and what exceljs hands back; impossible dates are refused with a Chinese reason rather than
 * rolled over (JavaScript's Date turns 2021-02-30 into March 2nd — never use it to validate).
 */
import { collapseSpaces, toHalfWidth } from '../text/normalize';

export type DateParseResult = { ok: true; date: string } | { ok: false; reason: string };

export interface DateParseOptions {
  /** Earliest accepted year (default 1900). */
  minYear?: number;
  /** Latest accepted year (default 2100). */
  maxYear?: number;
  /**
   * Accept a 5-digit text such as "44261" as an Excel serial number (default true): CSV files saved from a
   * workbook whose date column was formatted as a number contain exactly that.
   */
  serialText?: boolean;
  /** Numbers are serials of the 1904 date system (a workbook saved by old Mac Excel; `Table.date1904`). */
  date1904?: boolean;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** 'YYYY-MM-DD' from parts (no validation; see `checkYmd`). */
export function formatYmd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Null when year/month/day form a real calendar date within the range, else a Chinese reason. */
export function checkYmd(year: number, month: number, day: number, options: DateParseOptions = {}): string | null {
  const minYear = options.minYear ?? 1900;
  const maxYear = options.maxYear ?? 2100;
  if (!Number.isInteger(year) || year < minYear || year > maxYear) return `年份 ${year} 超出范围(${minYear}–${maxYear})`;
  if (!Number.isInteger(month) || month < 1 || month > 12) return `月份 ${month} 不存在`;
  const max = daysInMonth(year, month);
  if (!Number.isInteger(day) || day < 1 || day > max) return `${year}年${month}月没有${day}日(该月只有 ${max} 天)`;
  return null;
}

const ok = (date: string): DateParseResult => ({ ok: true, date });
const bad = (reason: string): DateParseResult => ({ ok: false, reason });

function fromParts(y: number, m: number, d: number, options: DateParseOptions): DateParseResult {
  const reason = checkYmd(y, m, d, options);
  return reason ? bad(reason) : ok(formatYmd(y, m, d));
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian), and back. Integer arithmetic, no Date objects,
// so no time zone can shift the day.
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const EXCEL_EPOCH_DAYS = daysFromCivil(1899, 12, 31); // serial 1 = 1900-01-01

/**
 * An Excel serial number in the 1900 date system → date. Excel counts a 1900-02-29 that never existed (serial 60,
 * kept for Lotus 1-2-3 compatibility), so serials after it are one day ahead; serial 60 itself is refused.
 * A fractional part is a time of day and is dropped.
 */
export function fromExcelSerial(serial: number, options: DateParseOptions = {}): DateParseResult {
  if (!Number.isFinite(serial)) return bad('不是有效的 Excel 日期序号');
  const whole = Math.floor(serial);
  if (whole < 1) return bad(`Excel 日期序号 ${serial} 无效(应从 1 开始)`);
  if (whole === 60) return bad('Excel 日期序号 60 对应不存在的 1900年2月29日');
  const { year, month, day } = civilFromDays(EXCEL_EPOCH_DAYS + (whole > 60 ? whole - 1 : whole));
  return fromParts(year, month, day, options);
}

const EXCEL_1904_EPOCH_DAYS = daysFromCivil(1904, 1, 1); // serial 0 = 1904-01-01

/** An Excel serial number in the 1904 date system (no phantom leap day) → date. */
export function fromExcelSerial1904(serial: number, options: DateParseOptions = {}): DateParseResult {
  if (!Number.isFinite(serial) || serial < 0) return bad('不是有效的 Excel 日期序号');
  const { year, month, day } = civilFromDays(EXCEL_1904_EPOCH_DAYS + Math.floor(serial));
  return fromParts(year, month, day, options);
}

/** Date → Excel serial (1900 system), for writing workbooks that Excel shows as dates. */
export function toExcelSerial(date: string): number {
  const { year, month, day } = splitDate(date);
  const n = daysFromCivil(year, month, day) - EXCEL_EPOCH_DAYS;
  return n >= 60 ? n + 1 : n;
}

const PATTERNS: RegExp[] = [
  // 2021-03-05, 2021/3/5, 2021.3.5, 2021-3-5 (same separator both times), optionally followed by a local
  // time ("2021-03-05 00:00:00" from CSV exports); a time zone is refused because that is an instant, not a day
  /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
  // 2021年3月5日, 2021 年 3 月 5 日 (blanks collapsed to one), with or without the trailing 日/号
  /^(\d{4}) ?(年) ?(\d{1,2}) ?月 ?(\d{1,2}) ?[日号]?$/,
  // 20210305
  /^(\d{4})()(\d{2})(\d{2})$/,
];

/**
 * Parses one business date from a cell or a form: a string in one of the accepted forms, an Excel serial number,
 * or a Date from exceljs. exceljs builds date cells as UTC midnight of the day shown in Excel, so a Date is read
 * by its UTC calendar day (use `chinaDateOf` for real instants such as `new Date()`).
 */
export function parseBusinessDate(input: unknown, options: DateParseOptions = {}): DateParseResult {
  if (input == null) return bad('日期为空');
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return bad('日期无效');
    return fromParts(input.getUTCFullYear(), input.getUTCMonth() + 1, input.getUTCDate(), options);
  }
  if (typeof input === 'number') {
    // 20260415: a bank's or platform's yyyymmdd written as a number, never an Excel serial (that would be the
    // year 57,000-something)
    if (Number.isInteger(input) && input >= 10_000_000 && input <= 99_999_999) {
      return fromParts(Math.floor(input / 10_000), Math.floor(input / 100) % 100, input % 100, options);
    }
    return options.date1904 ? fromExcelSerial1904(input, options) : fromExcelSerial(input, options);
  }
  if (typeof input !== 'string') return bad('无法识别的日期');
  const text = collapseSpaces(toHalfWidth(input));
  if (text === '') return bad('日期为空');
  for (const pattern of PATTERNS) {
    const m = pattern.exec(text);
    if (m) return fromParts(Number(m[1]), Number(m[3]), Number(m[4]), options);
  }
  if ((options.serialText ?? true) && /^\d{5}(\.\d+)?$/.test(text)) return options.date1904 ? fromExcelSerial1904(Number(text), options) : fromExcelSerial(Number(text), options);
  return bad(`无法识别的日期"${input.trim()}",请写成 2021-03-05、2021/3/5 或 2021年3月5日`);
}

/** Like `parseBusinessDate` but throws an Error whose message is the Chinese reason. */
export function parseBusinessDateOrThrow(input: unknown, options?: DateParseOptions): string {
  const r = parseBusinessDate(input, options);
  if (!r.ok) throw new Error(r.reason);
  return r.date;
}

/** True when the string is exactly 'YYYY-MM-DD' and a real date. */
export function isBusinessDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const { year, month, day } = splitDate(value);
  return checkYmd(year, month, day, { minYear: 1, maxYear: 9999 }) === null;
}

export function splitDate(date: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`日期格式应为 YYYY-MM-DD:${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** date + n days. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = splitDate(date);
  const c = civilFromDays(daysFromCivil(year, month, day) + days);
  return formatYmd(c.year, c.month, c.day);
}

/** date + n months; a day past the end of the target month is clamped (2021-01-31 + 1 month = 2021-02-28). */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = splitDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatYmd(y, m, Math.min(day, daysInMonth(y, m)));
}

/** Whole days from a to b (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  const x = splitDate(a);
  const y = splitDate(b);
  return daysFromCivil(y.year, y.month, y.day) - daysFromCivil(x.year, x.month, x.day);
}

/** 'YYYY-MM-DD' strings compare correctly as text; this names the intent. */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// China has used UTC+8 all year since 1991 (no daylight saving), so a fixed offset is exact for any date the
// app handles and needs no time-zone database.
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The calendar day in Asia/Shanghai of an instant (a Date, an ISO string or epoch milliseconds). */
export function chinaDateOf(instant: Date | string | number): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  if (!Number.isFinite(ms)) throw new Error('时间无效');
  const d = new Date(ms + CHINA_OFFSET_MS);
  return formatYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Today in Asia/Shanghai. Pass `now` in tests. */
export function todayInChina(now: Date = new Date()): string {
  return chinaDateOf(now);
}

/** The year in Asia/Shanghai now (for yearly records such as evaluations). */
export function currentChinaYear(now: Date = new Date()): number {
  return Number(todayInChina(now).slice(0, 4));
}

/** Display form of an instant in China time: '2026-03-05 14:07'. */
export function formatChinaDateTime(instant: Date | string | number): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  const d = new Date(ms + CHINA_OFFSET_MS);
  return `${formatYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}
