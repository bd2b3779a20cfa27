/**
 * Reporting periods: a year (`2026`) or a quarter (`2026-Q3`). Dates are business dates 'YYYY-MM-DD'.
 */

export type PeriodKind = 'year' | 'quarter';
export interface Period {
  text: string;
  kind: PeriodKind;
  year: number;
  /** 1–4 for a quarter, absent for a year. */
  quarter?: number;
  /** First and last business day, inclusive. */
  start: string;
  end: string;
}

const PERIOD_RE = /^(\d{4})(?:-Q([1-4]))?$/;
export const PERIOD_FORMAT_HINT = '报送期应为年度(如 2026)或季度(如 2026-Q3)';

export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && parsePeriod(value) !== null;
}

export function parsePeriod(text: string): Period | null {
  const m = PERIOD_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2999) return null;
  if (m[2] === undefined) return { text, kind: 'year', year, start: `${year}-01-01`, end: `${year}-12-31` };
  const quarter = Number(m[2]);
  const firstMonth = (quarter - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lastDay = [31, 30, 30, 31][quarter - 1];
  const mm = (n: number) => String(n).padStart(2, '0');
  return {
    text,
    kind: 'quarter',
    year,
    quarter,
    start: `${year}-${mm(firstMonth)}-01`,
    end: `${year}-${mm(lastMonth)}-${lastDay}`,
  };
}

/** Throws a Chinese message when the text is not a period. */
export function requirePeriod(text: string): Period {
  const p = parsePeriod(text);
  if (!p) throw new Error(`报送期“${text}”格式错误：${PERIOD_FORMAT_HINT}`);
  return p;
}

/** Chinese label: 2026年 / 2026年第3季度. */
export function periodLabel(text: string): string {
  const p = parsePeriod(text);
  if (!p) return text;
  return p.kind === 'year' ? `${p.year}年` : `${p.year}年第${p.quarter}季度`;
}

/** The period of the given kind containing a business date. */
export function periodOfDate(date: string, kind: PeriodKind): string {
  const year = date.slice(0, 4);
  if (kind === 'year') return year;
  const month = Number(date.slice(5, 7));
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

export function dateInPeriod(date: string, period: Period): boolean {
  return date >= period.start && date <= period.end;
}

/** Orders periods by start date, a year before its first quarter. */
export function comparePeriods(a: string, b: string): number {
  const pa = requirePeriod(a);
  const pb = requirePeriod(b);
  if (pa.start !== pb.start) return pa.start < pb.start ? -1 : 1;
  if (pa.kind === pb.kind) return 0;
  return pa.kind === 'year' ? -1 : 1;
}

/** True when a package for `period` could have been made at `createdAtDate` (the period has begun). */
export function periodHasBegun(period: Period, createdAtDate: string): boolean {
  return createdAtDate >= period.start;
}
