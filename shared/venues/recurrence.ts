/**
 * Recurrence of a booking: once, weekly or every two weeks until a date (inclusive), with skipped dates.
 * Expansion works on day numbers, so month and year ends (and 29 February) need no special case, and
 * an occurrence that runs past midnight keeps its length.
 */
import { fail } from '../errors';
import {
  addDays,
  combine,
  daysBetween,
  datePart,
  durationMinutes,
  fromMinutes,
  isLocalDate,
  isLocalDateTime,
  toMinutes,
  type Interval,
  type LocalDate,
  type TimeOfDay,
} from './time';

export const RECURRENCE_KINDS = ['once', 'weekly', 'biweekly'] as const;
export type RecurrenceKind = (typeof RECURRENCE_KINDS)[number];

export const RECURRENCE_LABELS: Record<RecurrenceKind, string> = {
  once: '单次',
  weekly: '每周',
  biweekly: '每两周',
};

export type Recurrence =
  | { kind: 'once' }
  | { kind: 'weekly' | 'biweekly'; until: LocalDate; skip?: readonly LocalDate[] };

/** Upper bound of occurrences in one series: about four years weekly. */
export const MAX_OCCURRENCES = 200;

export interface Occurrence extends Interval {
  /** 0-based position in the series, counting skipped dates too, so it stays stable when dates are skipped. */
  index: number;
  /** Start date of this occurrence: the key used to skip it or to change the series from it on. */
  date: LocalDate;
}

export const stepDays = (kind: RecurrenceKind): number => (kind === 'weekly' ? 7 : kind === 'biweekly' ? 14 : 0);

/**
 * Expands the first occurrence `first` by `rule`. Throws a VALIDATION AppError with a Chinese message when
 * the input is malformed, when `until` is before the first date, when a skipped date is not a date of the
 * series, or when the series would have more than `max` occurrences.
 */
export function expandRecurrence(first: Interval, rule: Recurrence, max = MAX_OCCURRENCES): Occurrence[] {
  if (!isLocalDateTime(first.start)) throw fail.validation(`开始时间格式应为 YYYY-MM-DDTHH:mm:${first.start}`, [{ path: 'start', message: '开始时间格式错误' }]);
  if (!isLocalDateTime(first.end)) throw fail.validation(`结束时间格式应为 YYYY-MM-DDTHH:mm:${first.end}`, [{ path: 'end', message: '结束时间格式错误' }]);
  const length = durationMinutes(first);
  const firstDate = datePart(first.start);
  if (rule.kind === 'once') return [{ index: 0, date: firstDate, start: first.start, end: first.end }];

  const step = stepDays(rule.kind);
  if (!isLocalDate(rule.until)) {
    throw fail.validation(`重复截止日期格式应为 YYYY-MM-DD:${rule.until}`, [{ path: 'recurrence.until', message: '截止日期格式错误' }]);
  }
  const span = daysBetween(firstDate, rule.until);
  if (span < 0) {
    throw fail.validation(`重复截止日期 ${rule.until} 早于首次日期 ${firstDate}`, [
      { path: 'recurrence.until', message: '截止日期早于首次日期' },
    ]);
  }
  const total = Math.floor(span / step) + 1;
  const skip = new Set(rule.skip ?? []);
  for (const s of skip) {
    const d = isLocalDate(s) ? daysBetween(firstDate, s) : NaN;
    if (!(d >= 0 && d % step === 0 && d <= span)) {
      throw fail.validation(`跳过的日期 ${s} 不是该${RECURRENCE_LABELS[rule.kind]}重复预约中的日期`, [
        { path: 'recurrence.skip', message: `${s} 不在重复日期中` },
      ]);
    }
  }
  const count = total - skip.size;
  if (count > max) {
    throw fail.validation(
      `重复预约最多 ${max} 次,当前规则(${RECURRENCE_LABELS[rule.kind]},${firstDate} 至 ${rule.until})会产生 ${count} 次,请提前截止日期或分成几次预约`,
      [{ path: 'recurrence.until', message: `超过 ${max} 次上限` }],
    );
  }
  if (count === 0) {
    throw fail.validation('所有日期都被跳过,没有可预约的日期', [{ path: 'recurrence.skip', message: '没有剩余日期' }]);
  }
  const startMin = toMinutes(first.start);
  const out: Occurrence[] = [];
  for (let i = 0; i < total; i++) {
    const date = addDays(firstDate, i * step);
    if (skip.has(date)) continue;
    const s = startMin + i * step * 1440;
    out.push({ index: i, date, start: fromMinutes(s), end: fromMinutes(s + length) });
  }
  return out;
}

/** Dates a series rule would produce before skipping (for the UI's skip picker). */
export function seriesDates(firstDate: LocalDate, kind: 'weekly' | 'biweekly', until: LocalDate): LocalDate[] {
  const span = daysBetween(firstDate, until);
  if (span < 0) return [];
  const step = stepDays(kind);
  const n = Math.min(Math.floor(span / step) + 1, MAX_OCCURRENCES * 4);
  return Array.from({ length: n }, (_, i) => addDays(firstDate, i * step));
}

/** The same date at a new time of day (the series "change from one date on"); `24:00` ends at midnight. */
export function retime(occ: { date: LocalDate }, startTime: TimeOfDay, endTime: TimeOfDay): Interval {
  return { start: combine(occ.date, startTime), end: combine(occ.date, endTime) };
}
