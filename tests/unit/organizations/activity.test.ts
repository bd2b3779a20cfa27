import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAJOR_ACTIVITY_RULE,
  DEFAULT_MAJOR_KIND_CODES,
  checkMarkHeld,
  checkReportFiling,
  isMajorActivity,
  majorReportStatus,
  reportFiledInTime,
  validateActivityFields,
  type ActivityFacts,
} from '@shared/organizations/activity';
import { DEFAULT_DICTIONARIES } from '@shared/admin/dictionaries';

const codeOf = (label: string) => DEFAULT_DICTIONARIES.activity_kind.find((e) => e.label === label)!.code;
const facts = (over: Partial<ActivityFacts>): ActivityFacts => ({
  kindCode: codeOf('志愿服务'),
  expectedAttendance: 30,
  date: '2026-03-10',
  status: 'planned',
  reportFiledDate: null,
  ...over,
});

describe('major activity rule', () => {
  it('takes the four major kinds from the default dictionary by code', () => {
    expect(DEFAULT_MAJOR_KIND_CODES.map((c) => DEFAULT_DICTIONARIES.activity_kind.find((e) => e.code === c)!.label)).toEqual([
      '节庆活动',
      '文化演出',
      '体育竞赛',
      '人员集会',
    ]);
  });

  it('is major by kind whatever the size, or by attendance strictly above the threshold', () => {
    expect(isMajorActivity(facts({ kindCode: codeOf('文化演出'), expectedAttendance: 5 }), DEFAULT_MAJOR_ACTIVITY_RULE, '文化演出')).toEqual({
      major: true,
      reasons: ['活动类型为文化演出'],
    });
    expect(isMajorActivity(facts({ expectedAttendance: 100 })).major).toBe(false);
    expect(isMajorActivity(facts({ expectedAttendance: 101 }))).toEqual({ major: true, reasons: ['预计参与人数 101 人,超过 100 人'] });
    expect(isMajorActivity(facts({ expectedAttendance: 60 }), { ...DEFAULT_MAJOR_ACTIVITY_RULE, threshold: 50 }).major).toBe(true);
    expect(isMajorActivity(facts({ expectedAttendance: null })).major).toBe(false);
  });

  it('counts a report only when filed before the day', () => {
    expect(reportFiledInTime('2026-03-09', '2026-03-10')).toBe(true);
    expect(reportFiledInTime('2026-03-10', '2026-03-10')).toBe(false);
    expect(reportFiledInTime(null, '2026-03-10')).toBe(false);
  });

  it('reports the status for the attention list', () => {
    const major = { kindCode: codeOf('人员集会') };
    expect(majorReportStatus(facts({}), '2026-03-01')).toBe('not_required');
    expect(majorReportStatus(facts(major), '2026-03-01')).toBe('missing');
    expect(majorReportStatus(facts(major), '2026-03-10')).toBe('overdue');
    expect(majorReportStatus(facts({ ...major, reportFiledDate: '2026-03-02' }), '2026-03-20')).toBe('filed');
    expect(majorReportStatus(facts({ ...major, reportFiledDate: '2026-03-11' }), '2026-03-20')).toBe('filed_late');
    expect(majorReportStatus(facts({ ...major, status: 'cancelled' }), '2026-03-20')).toBe('not_required');
  });

  it('refuses to mark a major activity held without a timely report', () => {
    const major = facts({ expectedAttendance: 300 });
    expect(checkMarkHeld(major, '2026-03-10')).toBe('这是重大活动(预计参与人数 300 人,超过 100 人),没有重大活动报告,不能标记为已举办');
    expect(checkMarkHeld({ ...major, reportFiledDate: '2026-03-10' }, '2026-03-10')).toContain('应在活动日期 2026-03-10 之前提交');
    expect(checkMarkHeld({ ...major, reportFiledDate: '2026-03-01' }, '2026-03-10')).toBeNull();
    expect(checkMarkHeld(facts({}), '2026-03-10')).toBeNull();
    expect(checkMarkHeld(facts({}), '2026-03-09')).toContain('还没到');
    expect(checkMarkHeld(facts({ status: 'cancelled' }), '2026-03-20')).toBe('已取消的活动不能标记为已举办');
  });

  it('checks report dates and activity fields', () => {
    expect(checkReportFiling('2026-03-06', '2026-03-05')).toContain('晚于今天');
    expect(checkReportFiling('2026-02-30', '2026-03-05')).toBe('报告日期无效');
    expect(checkReportFiling('2026-03-01', '2026-03-05')).toBeNull();
    const issues = validateActivityFields({ title: ' ', date: '2026-02-30', seriesCode: null, expectedAttendance: -1, actualAttendance: 2.5, volunteerCount: 3 });
    expect(issues.map((i) => i.field)).toEqual(['title', 'date', 'seriesCode', 'expectedAttendance', 'actualAttendance']);
  });
});
