/**
 * Activities (作用发挥) and the major-activity rule (重大活动报告): an activity whose kind is 节庆活动, 文化演出,
 * 体育竞赛 or 人员集会, or whose expected attendance is above the hub's threshold (setting
 * `majorActivityThreshold`, default 100), is a major activity. Its report must be filed before the activity's date,
 * and it cannot be marked held without one.
 */
import { DEFAULT_DICTIONARIES } from '../admin/dictionaries';
import { isBusinessDate } from '../dates/parse';

/** Kinds that make an activity major whatever its size (labels of the default `activity_kind` dictionary). */
export const MAJOR_ACTIVITY_KIND_LABELS = ['节庆活动', '文化演出', '体育竞赛', '人员集会'] as const;

/**
 * Codes of those kinds in the default dictionary. Records store codes, and codes stay stable when a hub renames a
 * label, so the rule follows codes; a hub that adds its own major kind passes its codes in `MajorActivityRule`.
 */
export const DEFAULT_MAJOR_KIND_CODES: readonly string[] = DEFAULT_DICTIONARIES.activity_kind
  .filter((e) => (MAJOR_ACTIVITY_KIND_LABELS as readonly string[]).includes(e.label))
  .map((e) => e.code);

/** The four activity series of the national plan (codes in the `activity_series` dictionary). */
export const ACTIVITY_SERIES_LABELS = ['邻里守望', '共建共治共享', '共创平安', '文化铸魂'] as const;

export const ACTIVITY_STATUSES = ['planned', 'held', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = { planned: '计划中', held: '已举办', cancelled: '已取消' };

export interface MajorActivityRule {
  /** Attendance strictly above this makes an activity major (hub setting, default 100). */
  threshold: number;
  /** Kind codes that are major whatever the size. */
  majorKindCodes: readonly string[];
}

export const DEFAULT_MAJOR_ACTIVITY_RULE: MajorActivityRule = { threshold: 100, majorKindCodes: DEFAULT_MAJOR_KIND_CODES };

export interface ActivityFacts {
  kindCode: string | null;
  /** Expected attendance (预计参与人数); null when unknown. */
  expectedAttendance: number | null;
  /** Activity date 'YYYY-MM-DD'. */
  date: string;
  status: ActivityStatus;
  /** Date the major-activity report was filed, or null when none. */
  reportFiledDate: string | null;
}

export interface MajorActivityVerdict {
  major: boolean;
  /** Why it is major, in Chinese (empty when it is not). */
  reasons: string[];
}

export function isMajorActivity(
  facts: Pick<ActivityFacts, 'kindCode' | 'expectedAttendance'>,
  rule: MajorActivityRule = DEFAULT_MAJOR_ACTIVITY_RULE,
  kindLabel?: string,
): MajorActivityVerdict {
  const reasons: string[] = [];
  if (facts.kindCode && rule.majorKindCodes.includes(facts.kindCode)) {
    reasons.push(`活动类型为${kindLabel ?? '重大活动类型'}`);
  }
  if (facts.expectedAttendance != null && facts.expectedAttendance > rule.threshold) {
    reasons.push(`预计参与人数 ${facts.expectedAttendance} 人,超过 ${rule.threshold} 人`);
  }
  return { major: reasons.length > 0, reasons };
}

/** A report counts only when filed strictly before the day of the activity. */
export function reportFiledInTime(reportFiledDate: string | null, activityDate: string): boolean {
  return reportFiledDate != null && isBusinessDate(reportFiledDate) && reportFiledDate < activityDate;
}

export type MajorReportStatus =
  | 'not_required' // not a major activity, or cancelled
  | 'filed' // filed before the date
  | 'filed_late' // filed, but on or after the date
  | 'missing' // none yet, the date is still ahead: file it before the date
  | 'overdue'; // none, and the date has come: it can no longer be filed in time

export const MAJOR_REPORT_STATUS_LABELS: Record<MajorReportStatus, string> = {
  not_required: '无需报告',
  filed: '已报告',
  filed_late: '报告晚于活动',
  missing: '待报告',
  overdue: '未按时报告',
};

export function majorReportStatus(
  facts: ActivityFacts,
  today: string,
  rule: MajorActivityRule = DEFAULT_MAJOR_ACTIVITY_RULE,
): MajorReportStatus {
  if (facts.status === 'cancelled' || !isMajorActivity(facts, rule).major) return 'not_required';
  if (facts.reportFiledDate) return reportFiledInTime(facts.reportFiledDate, facts.date) ? 'filed' : 'filed_late';
  return today < facts.date ? 'missing' : 'overdue';
}

/** Statuses the list of "major activities needing attention" shows. */
export const MAJOR_REPORT_ATTENTION: readonly MajorReportStatus[] = ['missing', 'overdue', 'filed_late'];

/**
 * Null when the activity may be marked held, else the Chinese reason: a major activity needs its report filed
 * before its date, and an activity cannot be held before its date.
 */
export function checkMarkHeld(
  facts: ActivityFacts,
  today: string,
  rule: MajorActivityRule = DEFAULT_MAJOR_ACTIVITY_RULE,
  kindLabel?: string,
): string | null {
  if (facts.status === 'cancelled') return '已取消的活动不能标记为已举办';
  if (facts.date > today) return `活动日期 ${facts.date} 还没到,不能标记为已举办`;
  const verdict = isMajorActivity(facts, rule, kindLabel);
  if (!verdict.major) return null;
  if (!facts.reportFiledDate) return `这是重大活动(${verdict.reasons.join(';')}),没有重大活动报告,不能标记为已举办`;
  if (!reportFiledInTime(facts.reportFiledDate, facts.date)) {
    return `重大活动报告应在活动日期 ${facts.date} 之前提交(实际提交于 ${facts.reportFiledDate}),不能标记为已举办`;
  }
  return null;
}

/**
 * Null when a report dated `filedDate` may be recorded for the activity, else the reason. A report cannot be
 * dated in the future; a late report may be recorded (so the record is complete) but stays `filed_late`.
 */
export function checkReportFiling(filedDate: string, today: string): string | null {
  if (!isBusinessDate(filedDate)) return '报告日期无效';
  if (filedDate > today) return `报告日期 ${filedDate} 晚于今天(${today})`;
  return null;
}

/** Basic field checks for an activity record, returning Chinese issues per field. */
export function validateActivityFields(a: {
  title: string;
  date: string;
  seriesCode: string | null;
  expectedAttendance: number | null;
  actualAttendance: number | null;
  volunteerCount: number | null;
}): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (!a.title || a.title.trim() === '') issues.push({ field: 'title', message: '请填写活动名称' });
  if (!isBusinessDate(a.date)) issues.push({ field: 'date', message: '活动日期无效' });
  if (!a.seriesCode) issues.push({ field: 'seriesCode', message: '请选择活动品牌系列' });
  const counts: [keyof typeof a, string][] = [
    ['expectedAttendance', '预计参与人数'],
    ['actualAttendance', '实际参与人数'],
    ['volunteerCount', '志愿者人数'],
  ];
  for (const [field, label] of counts) {
    const v = a[field];
    if (v != null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1_000_000)) {
      issues.push({ field, message: `${label}应为 0 到 1000000 之间的整数` });
    }
  }
  return issues;
}
