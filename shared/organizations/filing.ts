/**
 * Filing conditions for 街道(乡镇)备案 organizations. Local rules differ (e.g. at least 10 fixed members, one fixed
 * leader, a fixed time and place of activity), so the checks are configurable and only ever warn: a filed
 * organization that does not meet them stays on the books with the warnings shown.
 */

export interface FilingConditions {
  /** Minimum fixed members (0 disables the check). */
  minFixedMembers: number;
  requireFixedLeader: boolean;
  requireFixedTime: boolean;
  requireFixedPlace: boolean;
}

export const DEFAULT_FILING_CONDITIONS: FilingConditions = {
  minFixedMembers: 10,
  requireFixedLeader: true,
  requireFixedTime: true,
  requireFixedPlace: true,
};

export interface FilingFacts {
  memberCount: number | null;
  leaderName: string | null;
  /** Fixed time of activity, e.g. 每周三 19:00. */
  fixedActivityTime: string | null;
  /** Fixed place of activity. */
  fixedActivityPlace: string | null;
}

export type FilingWarningKind = 'members' | 'leader' | 'time' | 'place';

export interface FilingWarning {
  kind: FilingWarningKind;
  message: string;
}

const missing = (s: string | null | undefined) => s == null || s.trim() === '';

/** Warnings for a filed organization (empty when every enabled condition is met). */
export function checkFilingConditions(facts: FilingFacts, conditions: FilingConditions = DEFAULT_FILING_CONDITIONS): FilingWarning[] {
  const warnings: FilingWarning[] = [];
  if (conditions.minFixedMembers > 0 && (facts.memberCount ?? 0) < conditions.minFixedMembers) {
    warnings.push({
      kind: 'members',
      message:
        facts.memberCount == null
          ? `未填写成员人数(备案条件:固定成员不少于 ${conditions.minFixedMembers} 人)`
          : `固定成员 ${facts.memberCount} 人,少于备案条件要求的 ${conditions.minFixedMembers} 人`,
    });
  }
  if (conditions.requireFixedLeader && missing(facts.leaderName)) {
    warnings.push({ kind: 'leader', message: '没有固定负责人(备案条件要求有一名固定负责人)' });
  }
  if (conditions.requireFixedTime && missing(facts.fixedActivityTime)) {
    warnings.push({ kind: 'time', message: '没有固定活动时间' });
  }
  if (conditions.requireFixedPlace && missing(facts.fixedActivityPlace)) {
    warnings.push({ kind: 'place', message: '没有固定活动场所' });
  }
  return warnings;
}

/** Checks a hub's edited conditions. */
export function validateFilingConditions(c: FilingConditions): string[] {
  const issues: string[] = [];
  if (!Number.isInteger(c.minFixedMembers) || c.minFixedMembers < 0 || c.minFixedMembers > 10000) {
    issues.push('固定成员最少人数应为 0 到 10000 之间的整数(0 表示不检查)');
  }
  return issues;
}
