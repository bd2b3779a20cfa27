/**
 * Venue rules and the validation of one requested occurrence against them.
 *
 * `validateOccurrence` never stops at the first problem: it returns every refusal, each a typed code plus a
 * Chinese message, so a form can show them all and a recurring request can say exactly which dates fail.
 * The rule "two approved bookings of one venue never overlap" is checked here against the list the caller
 * passes and enforced again by the database (see electron/core/venues).
 */
import {
  WEEKDAY_LABELS,
  addDays,
  addMinutes,
  dateToDay,
  datePart,
  durationMinutes,
  findOverlaps,
  formatDuration,
  formatInterval,
  isLocalDate,
  isLocalDateTime,
  isTimeOfDay,
  monthOf,
  monthStart,
  timeToMinutes,
  toMinutes,
  weekStart,
  weekdayOf,
  type Interval,
  type LocalDate,
  type LocalDateTime,
  type TimeOfDay,
  type Weekday,
} from './time';
import type { Occurrence } from './recurrence';

export interface TimeRange {
  start: TimeOfDay;
  /** May be '24:00'. */
  end: TimeOfDay;
}

/** Seven entries, Monday first; an empty list means closed that weekday. Several ranges per day allowed. */
export type WeeklyHours = TimeRange[][];

export interface ClosedPeriod {
  from: LocalDate;
  /** Inclusive. */
  to: LocalDate;
  /** 节假日, 维修 … shown to the user. */
  reason: string;
}

export const QUOTA_PERIODS = ['week', 'month'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];
export const QUOTA_UNITS = ['bookings', 'hours'] as const;
export type QuotaUnit = (typeof QUOTA_UNITS)[number];

export interface Quota {
  period: QuotaPeriod;
  unit: QuotaUnit;
  /** Number of bookings, or hours, per organization per period at this venue. */
  limit: number;
}

export interface VenueRules {
  bookable: boolean;
  capacity: number;
  openingHours: WeeklyHours;
  closed: readonly ClosedPeriod[];
  minLengthMinutes: number | null;
  maxLengthMinutes: number | null;
  /** The start must be at least this many minutes after now. */
  minNoticeMinutes: number | null;
  /** The start must be at most this many days after today. */
  maxNoticeDays: number | null;
  approvalRequired: boolean;
  quotas: readonly Quota[];
}

export const REFUSAL_CODES = [
  'INVALID_TIME',
  'END_BEFORE_START',
  'NOT_BOOKABLE',
  'OUTSIDE_OPENING_HOURS',
  'CLOSED_DATE',
  'INVALID_ATTENDANCE',
  'OVER_CAPACITY',
  'IN_THE_PAST',
  'TOO_SHORT',
  'TOO_LONG',
  'TOO_LITTLE_NOTICE',
  'TOO_MUCH_NOTICE',
  'QUOTA_EXCEEDED',
  'MAJOR_ACTIVITY_REPORT_MISSING',
  'CONFLICT',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export const REFUSAL_LABELS: Record<RefusalCode, string> = {
  INVALID_TIME: '时间格式错误',
  END_BEFORE_START: '结束早于开始',
  NOT_BOOKABLE: '场地暂停预约',
  OUTSIDE_OPENING_HOURS: '超出开放时间',
  CLOSED_DATE: '闭馆日',
  INVALID_ATTENDANCE: '人数无效',
  OVER_CAPACITY: '超过容量',
  IN_THE_PAST: '时间已过',
  TOO_SHORT: '时长过短',
  TOO_LONG: '时长过长',
  TOO_LITTLE_NOTICE: '提前量不足',
  TOO_MUCH_NOTICE: '提前过早',
  QUOTA_EXCEEDED: '超出配额',
  MAJOR_ACTIVITY_REPORT_MISSING: '重大活动未报告',
  CONFLICT: '时间冲突',
};

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** Start date of the occurrence concerned. */
  date?: LocalDate;
  /** For CONFLICT: ids of the approved bookings in the way. */
  conflictIds?: string[];
}

export interface ExistingBooking extends Interval {
  id: string;
  /** Shown in the conflict message, e.g. the organization's name. */
  label?: string;
}

export interface OccurrenceRequest extends Interval {
  /** The booking's own id when re-validating it (approval, move): it never conflicts with itself. */
  id?: string;
  attendance: number;
}

export interface ValidationContext {
  now: LocalDateTime;
  /** 'request' checks notice; 'approval' (and moves by an approver) does not. */
  stage: 'request' | 'approval';
  /** From the organizations area: is this a major activity, and has its report been filed? */
  majorActivity?: { isMajor: boolean; reportFiled: boolean };
  /** Bookings of this venue that occupy it (approved, used, no-show). */
  occupying: readonly ExistingBooking[];
  /** Bookings of the same organization at this venue that count for quotas (all but cancelled). */
  organizationBookings: readonly ExistingBooking[];
}

export const emptyWeek = (): WeeklyHours => [[], [], [], [], [], [], []];

/** Mon–Fri 08:30–12:00 and 14:00–21:00, Sat 09:00–17:00, Sun closed: a typical 党群服务中心. */
export const DEFAULT_OPENING_HOURS: WeeklyHours = [
  ...Array.from({ length: 5 }, () => [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '21:00' },
  ]),
  [{ start: '09:00', end: '17:00' }],
  [],
];

export const DEFAULT_RULES: VenueRules = {
  bookable: true,
  capacity: 30,
  openingHours: DEFAULT_OPENING_HOURS,
  closed: [],
  minLengthMinutes: 30,
  maxLengthMinutes: 8 * 60,
  minNoticeMinutes: 60,
  maxNoticeDays: 180,
  approvalRequired: true,
  quotas: [],
};

/** Problems in a rules record (for the venue form), each with a field path and a Chinese message. */
export function checkRules(rules: VenueRules): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (!Number.isInteger(rules.capacity) || rules.capacity < 1) issues.push({ path: 'capacity', message: '容量应为正整数' });
  if (rules.openingHours.length !== 7) issues.push({ path: 'openingHours', message: '开放时间应包含周一至周日七天' });
  rules.openingHours.forEach((ranges, i) => {
    const label = WEEKDAY_LABELS[(i + 1) as Weekday];
    const sorted: [number, number][] = [];
    ranges.forEach((r, j) => {
      const path = `openingHours.${i}.${j}`;
      if (!isTimeOfDay(r.start) || !isTimeOfDay(r.end, true)) {
        issues.push({ path, message: `${label}第 ${j + 1} 段时间格式应为 HH:mm` });
        return;
      }
      const s = timeToMinutes(r.start);
      const e = timeToMinutes(r.end);
      if (e <= s) issues.push({ path, message: `${label}第 ${j + 1} 段结束时间 ${r.end} 应晚于开始时间 ${r.start}` });
      else sorted.push([s, e]);
    });
    sorted.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k][0] < sorted[k - 1][1]) issues.push({ path: `openingHours.${i}`, message: `${label}的开放时间段有重叠` });
    }
  });
  rules.closed.forEach((c, i) => {
    const path = `closed.${i}`;
    if (!isLocalDate(c.from) || !isLocalDate(c.to)) issues.push({ path, message: `闭馆日期第 ${i + 1} 行日期格式应为 YYYY-MM-DD` });
    else if (c.to < c.from) issues.push({ path, message: `闭馆日期第 ${i + 1} 行结束日期 ${c.to} 早于开始日期 ${c.from}` });
    if (!c.reason.trim()) issues.push({ path: `${path}.reason`, message: `闭馆日期第 ${i + 1} 行需填写原因` });
  });
  const nonNeg = (v: number | null, path: string, label: string) => {
    if (v !== null && (!Number.isInteger(v) || v < 0)) issues.push({ path, message: `${label}应为非负整数` });
  };
  nonNeg(rules.minLengthMinutes, 'minLengthMinutes', '最短时长');
  nonNeg(rules.maxLengthMinutes, 'maxLengthMinutes', '最长时长');
  nonNeg(rules.minNoticeMinutes, 'minNoticeMinutes', '最少提前量');
  nonNeg(rules.maxNoticeDays, 'maxNoticeDays', '最多提前天数');
  if (rules.maxLengthMinutes !== null && rules.maxLengthMinutes > MAX_BOOKING_MINUTES) {
    issues.push({ path: 'maxLengthMinutes', message: `单次预约最长不能超过 ${formatDuration(MAX_BOOKING_MINUTES)}` });
  }
  if (rules.minLengthMinutes !== null && rules.maxLengthMinutes !== null && rules.minLengthMinutes > rules.maxLengthMinutes) {
    issues.push({ path: 'minLengthMinutes', message: '最短时长不能大于最长时长' });
  }
  rules.quotas.forEach((q, i) => {
    if (!Number.isInteger(q.limit) || q.limit < 1) issues.push({ path: `quotas.${i}.limit`, message: `配额第 ${i + 1} 行限额应为正整数` });
  });
  return issues;
}

/**
 * Hard upper bound of one occurrence, whatever the venue says: the database's overlap guard only looks back
 * this far for bookings that started earlier, which keeps the check an index range scan.
 */
export const MAX_BOOKING_MINUTES = 24 * 60;

/** The closed period covering `date`, if any. */
export function closedPeriodOn(rules: Pick<VenueRules, 'closed'>, date: LocalDate): ClosedPeriod | undefined {
  return rules.closed.find((c) => c.from <= date && date <= c.to);
}

/** Opening ranges of a date in minutes of that day, sorted and merged; [] when closed that day. */
export function openingMinutesOfDate(rules: Pick<VenueRules, 'openingHours' | 'closed'>, date: LocalDate): [number, number][] {
  if (closedPeriodOn(rules, date)) return [];
  return mergedMinutes(rules.openingHours[weekdayOf(date) - 1] ?? []);
}

/** Opening ranges of one day as sorted, non-overlapping [start, end) minutes (empty ranges dropped). */
function mergedMinutes(ranges: readonly { start: string; end: string }[]): [number, number][] {
  const list = ranges.map((r) => [timeToMinutes(r.start), timeToMinutes(r.end)] as [number, number]).filter(([s, e]) => e > s);
  list.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of list) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Merged opening ranges (minutes of the day) for each ISO weekday, index 0 = Monday. */
function weeklyMinutes(hours: WeeklyHours): [number, number][][] {
  return Array.from({ length: 7 }, (_, i) => mergedMinutes(hours[i] ?? []));
}

/**
 * Open intervals in absolute minutes over [fromDate, toDate] inclusive, merged across midnight. Works on day
 * numbers (weekday and closed periods precomputed), since a year's report asks it for every venue and month.
 */
export function openIntervals(rules: Pick<VenueRules, 'openingHours' | 'closed'>, fromDate: LocalDate, toDate: LocalDate): [number, number][] {
  const out: [number, number][] = [];
  const week = weeklyMinutes(rules.openingHours);
  const first = dateToDay(fromDate);
  const last = dateToDay(toDate);
  const closed = rules.closed
    .filter((c) => c.to >= fromDate && c.from <= toDate)
    .map((c) => [dateToDay(c.from), dateToDay(c.to)] as const);
  for (let day = first; day <= last; day++) {
    if (closed.some(([a, b]) => a <= day && day <= b)) continue;
    const base = day * 1440;
    // 1970-01-01 (day 0) was a Thursday: ISO weekday 4, index 3.
    for (const [s, e] of week[(((day + 3) % 7) + 7) % 7]) {
      const prev = out[out.length - 1];
      if (prev && prev[1] >= base + s) prev[1] = Math.max(prev[1], base + e);
      else out.push([base + s, base + e]);
    }
  }
  return out;
}

/** The interval lies entirely within one stretch of opening hours (a stretch may run past midnight). */
export function withinOpeningHours(rules: Pick<VenueRules, 'openingHours' | 'closed'>, iv: Interval): boolean {
  const s = toMinutes(iv.start);
  const e = toMinutes(iv.end);
  const lastDate = datePart(addMinutes(iv.end, -1));
  return openIntervals(rules, datePart(iv.start), lastDate).some(([os, oe]) => os <= s && e <= oe);
}

/** '08:30–12:00、14:00–21:00' or '不开放'. */
export function describeDayHours(rules: Pick<VenueRules, 'openingHours'>, weekday: Weekday): string {
  const ranges = rules.openingHours[weekday - 1] ?? [];
  return ranges.length ? ranges.map((r) => `${r.start}–${r.end}`).join('、') : '不开放';
}

/** First day of the quota period that contains `date`, and its Chinese name for messages. */
export function quotaPeriodOf(period: QuotaPeriod, date: LocalDate): { key: LocalDate; label: string } {
  if (period === 'week') {
    const ws = weekStart(date);
    return { key: ws, label: `${ws} 所在的一周` };
  }
  return { key: monthStart(date), label: `${monthOf(date).replace('-', ' 年 ')} 月` };
}

/**
 * Every reason to refuse `req` at a venue with `rules`. An empty list means the occurrence may be booked
 * (and, at the approval stage, approved).
 */
export function validateOccurrence(rules: VenueRules, req: OccurrenceRequest, ctx: ValidationContext): Refusal[] {
  const out: Refusal[] = [];
  if (!isLocalDateTime(req.start) || !isLocalDateTime(req.end)) {
    const bad = !isLocalDateTime(req.start) ? req.start : req.end;
    return [{ code: 'INVALID_TIME', message: `时间格式应为 YYYY-MM-DDTHH:mm(如 2026-03-05T19:00):${bad}` }];
  }
  const date = datePart(req.start);
  const add = (code: RefusalCode, message: string, extra?: Partial<Refusal>) => out.push({ code, message, date, ...extra });
  const label = formatInterval(req);
  const validInterval = req.end > req.start;

  if (!validInterval) add('END_BEFORE_START', `结束时间 ${req.end.replace('T', ' ')} 应晚于开始时间 ${req.start.replace('T', ' ')}`);
  if (!rules.bookable) add('NOT_BOOKABLE', '该场地当前不接受预约');

  if (!Number.isInteger(req.attendance) || req.attendance < 1) add('INVALID_ATTENDANCE', '预计人数应为正整数');
  else if (req.attendance > rules.capacity) add('OVER_CAPACITY', `预计人数 ${req.attendance} 人超过场地容量 ${rules.capacity} 人`);

  if (ctx.majorActivity?.isMajor && !ctx.majorActivity.reportFiled) {
    add('MAJOR_ACTIVITY_REPORT_MISSING', '该活动属于重大活动,须先提交重大活动报告,再预约场地');
  }

  const inPast = req.start < ctx.now;
  if (inPast) add('IN_THE_PAST', `开始时间 ${req.start.replace('T', ' ')} 已经过去,不能预约过去的时间`);

  if (validInterval) {
    // Closed dates first: on a closed date "outside opening hours" would only repeat the same fact.
    const lastDate = datePart(addMinutes(req.end, -1));
    const closedHits: ClosedPeriod[] = [];
    for (let d = date; d <= lastDate; d = addDays(d, 1)) {
      const c = closedPeriodOn(rules, d);
      if (c) {
        closedHits.push(c);
        add('CLOSED_DATE', `${d} 场地闭馆:${c.reason}`);
      }
    }
    if (!closedHits.length && !withinOpeningHours(rules, req)) {
      const wd = weekdayOf(date);
      add('OUTSIDE_OPENING_HOURS', `${label} 超出场地开放时间(${WEEKDAY_LABELS[wd]} ${describeDayHours(rules, wd)})`);
    }

    const len = durationMinutes(req);
    if (len > MAX_BOOKING_MINUTES || (rules.maxLengthMinutes !== null && len > rules.maxLengthMinutes)) {
      const max = Math.min(MAX_BOOKING_MINUTES, rules.maxLengthMinutes ?? MAX_BOOKING_MINUTES);
      add('TOO_LONG', `预约时长 ${formatDuration(len)} 超过最长 ${formatDuration(max)}`);
    }
    if (rules.minLengthMinutes !== null && len < rules.minLengthMinutes) {
      add('TOO_SHORT', `预约时长 ${formatDuration(len)} 短于最短 ${formatDuration(rules.minLengthMinutes)}`);
    }

    const conflicts = findOverlaps(req, ctx.occupying.filter((b) => b.id !== req.id));
    if (conflicts.length) {
      const what = conflicts
        .slice(0, 3)
        .map((c) => `${formatInterval(c)}${c.label ? `(${c.label})` : ''}`)
        .join('、');
      add('CONFLICT', `${label} 与已批准的预约冲突:${what}${conflicts.length > 3 ? ` 等 ${conflicts.length} 条` : ''}`, {
        conflictIds: conflicts.map((c) => c.id),
      });
    }

    for (const q of rules.quotas) {
      const p = quotaPeriodOf(q.period, date);
      const same = ctx.organizationBookings.filter((b) => b.id !== req.id && quotaPeriodOf(q.period, datePart(b.start)).key === p.key);
      if (q.unit === 'bookings') {
        if (same.length + 1 > q.limit) {
          add('QUOTA_EXCEEDED', `本组织在${p.label}已有 ${same.length} 次预约,超过每${q.period === 'week' ? '周' : '月'} ${q.limit} 次的配额`);
        }
      } else {
        const used = same.reduce((sum, b) => sum + durationMinutes(b), 0);
        if (used + len > q.limit * 60) {
          add(
            'QUOTA_EXCEEDED',
            `本组织在${p.label}已预约 ${formatDuration(used)},加上本次 ${formatDuration(len)} 超过每${q.period === 'week' ? '周' : '月'} ${q.limit} 小时的配额`,
          );
        }
      }
    }
  }

  if (ctx.stage === 'request' && !inPast) {
    const lead = toMinutes(req.start) - toMinutes(ctx.now);
    if (rules.minNoticeMinutes !== null && lead < rules.minNoticeMinutes) {
      add('TOO_LITTLE_NOTICE', `需至少提前 ${formatDuration(rules.minNoticeMinutes)} 预约`);
    }
    if (rules.maxNoticeDays !== null && dateToDay(date) - dateToDay(datePart(ctx.now)) > rules.maxNoticeDays) {
      add('TOO_MUCH_NOTICE', `最多只能提前 ${rules.maxNoticeDays} 天预约`);
    }
  }
  return out;
}

export interface SeriesCheck {
  occurrence: Occurrence;
  refusals: Refusal[];
}

export interface SeriesValidation {
  checks: SeriesCheck[];
  /** Occurrences with no refusal: what "book the free dates" books. */
  free: Occurrence[];
  /** Occurrences refused, with why. */
  refused: SeriesCheck[];
  /** One Chinese sentence for the whole series. */
  summary: string;
}

/**
 * Validates every occurrence of a series. Quotas count the earlier free occurrences of the same series, so
 * a weekly request cannot slip past a monthly quota by being checked one date at a time.
 */
export function validateSeries(
  rules: VenueRules,
  occurrences: readonly Occurrence[],
  base: { attendance: number },
  ctx: ValidationContext & {
    /** Per date, when the major-activity report's timeliness depends on the date. Overrides `majorActivity`. */
    majorActivityOn?: (date: LocalDate) => { isMajor: boolean; reportFiled: boolean };
  },
): SeriesValidation {
  const orgBookings: ExistingBooking[] = [...ctx.organizationBookings];
  const checks: SeriesCheck[] = [];
  for (const occ of occurrences) {
    const majorActivity = ctx.majorActivityOn ? ctx.majorActivityOn(occ.date) : ctx.majorActivity;
    const refusals = validateOccurrence(
      rules,
      { start: occ.start, end: occ.end, attendance: base.attendance },
      { ...ctx, majorActivity, organizationBookings: orgBookings },
    );
    checks.push({ occurrence: occ, refusals });
    if (!refusals.length) orgBookings.push({ id: `series-${occ.index}`, start: occ.start, end: occ.end });
  }
  const free = checks.filter((c) => !c.refusals.length).map((c) => c.occurrence);
  const refused = checks.filter((c) => c.refusals.length);
  return { checks, free, refused, summary: summarizeSeries(checks) };
}

export function summarizeSeries(checks: readonly SeriesCheck[]): string {
  const refused = checks.filter((c) => c.refusals.length);
  if (!refused.length) return `共 ${checks.length} 次,全部可以预约`;
  const conflictDates = refused.filter((c) => c.refusals.some((r) => r.code === 'CONFLICT')).map((c) => c.occurrence.date);
  const parts = [`共 ${checks.length} 次,其中 ${refused.length} 次不能预约`];
  if (conflictDates.length) parts.push(`时间冲突的日期:${conflictDates.join('、')}`);
  const other = refused.filter((c) => !c.refusals.some((r) => r.code === 'CONFLICT'));
  if (other.length) parts.push(`其他原因:${other.map((c) => `${c.occurrence.date}(${c.refusals.map((r) => REFUSAL_LABELS[r.code]).join('、')})`).join(';')}`);
  parts.push(checks.length - refused.length > 0 ? `其余 ${checks.length - refused.length} 次可以预约` : '没有可预约的日期');
  return parts.join(';');
}

/** Refusals that come from the venue record itself (not from other bookings, quotas or the clock). */
const VENUE_RULE_CODES: readonly RefusalCode[] = ['NOT_BOOKABLE', 'OUTSIDE_OPENING_HOURS', 'CLOSED_DATE', 'OVER_CAPACITY', 'TOO_SHORT', 'TOO_LONG'];

export interface AffectedBooking<T> {
  booking: T;
  refusals: Refusal[];
}

/**
 * Live bookings (requested or approved, not yet started) that a venue's new rules would refuse: a closed date
 * laid over them, opening hours cut, capacity lowered, the venue no longer bookable, a changed length limit.
 * Like LibreBooking's blackouts, saving the venue does not cancel them: the list is shown so staff can talk to
 * the organizations and cancel or move what must go. An approver cannot approve such a request afterwards.
 */
export function bookingsAffectedByRules<T extends Interval & { attendance: number; state: string }>(
  rules: VenueRules,
  bookings: readonly T[],
  now: LocalDateTime,
): AffectedBooking<T>[] {
  const out: AffectedBooking<T>[] = [];
  for (const b of bookings) {
    if ((b.state !== 'requested' && b.state !== 'approved') || b.start <= now) continue;
    const refusals = validateOccurrence(rules, { start: b.start, end: b.end, attendance: b.attendance }, {
      now,
      stage: 'approval',
      occupying: [],
      organizationBookings: [],
    }).filter((r) => VENUE_RULE_CODES.includes(r.code));
    if (refusals.length) out.push({ booking: b, refusals });
  }
  return out;
}
