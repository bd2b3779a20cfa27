import { describe, expect, it } from 'vitest';
import { DEFAULT_EXAM_RULES, examOutcome, scoreProblem } from '@shared/training/exam';
import { DEFAULT_SESSION_CATEGORIES, DEFAULT_TRAINEE_ROLES, dictLabel, resolveDictValue } from '@shared/training/dictionaries';

const A = DEFAULT_EXAM_RULES.assistant;
const M = DEFAULT_EXAM_RULES.intermediate;

describe('examOutcome', () => {
  it('初级: both subjects in the same year', () => {
    expect(examOutcome(A, [{ subject: 'comprehensive', year: 2025, score: 61 }, { subject: 'practice', year: 2025, score: 60 }])).toEqual({ passed: true, passedYear: 2025, missing: [] });
    expect(examOutcome(A, [{ subject: 'comprehensive', year: 2025, score: 61 }, { subject: 'practice', year: 2026, score: 70 }])).toEqual({ passed: false, passedYear: null, missing: ['comprehensive'] });
    expect(examOutcome(A, [{ subject: 'comprehensive', year: 2025, score: 59 }, { subject: 'practice', year: 2025, score: null }])).toEqual({ passed: false, passedYear: null, missing: ['comprehensive', 'practice'] });
  });

  it('中级: a two-year rolling window', () => {
    const s = [
      { subject: 'comprehensive', year: 2024, score: 65 },
      { subject: 'practice', year: 2024, score: 50 },
      { subject: 'law', year: 2025, score: 70 },
      { subject: 'practice', year: 2025, score: 62 },
    ];
    expect(examOutcome(M, s)).toEqual({ passed: true, passedYear: 2025, missing: [] });
    // the 2024 pass of comprehensive has expired by 2026
    const late = s.map((x) => (x.year === 2025 ? { ...x, year: 2026 } : x));
    expect(examOutcome(M, late)).toEqual({ passed: false, passedYear: null, missing: ['comprehensive'] });
    expect(examOutcome(M, [])).toEqual({ passed: false, passedYear: null, missing: ['comprehensive', 'practice', 'law'] });
  });

  it('checks scores', () => {
    expect(scoreProblem(A, { subject: 'law', year: 2025, score: 70 })).toBe('科目“law”不属于该级别');
    expect(scoreProblem(A, { subject: 'practice', year: 2025, score: 101 })).toBe('“社会工作实务”成绩应为0–100的整数');
    expect(scoreProblem(A, { subject: 'practice', year: 2025, score: 60.5 })).toBe('“社会工作实务”成绩应为0–100的整数');
    expect(scoreProblem(A, { subject: 'practice', year: 2025, score: null })).toBeNull();
  });
});

describe('dictionaries', () => {
  it('resolves labels or codes, tolerant of bracket widths', () => {
    expect(resolveDictValue(DEFAULT_TRAINEE_ROLES, '街道（乡镇）民政助理')?.code).toBe('R01');
    expect(resolveDictValue(DEFAULT_TRAINEE_ROLES, 'r06')?.label).toBe('社区志愿者');
    expect(resolveDictValue(DEFAULT_SESSION_CATEGORIES, '党的建设')?.code).toBe('C01');
    expect(resolveDictValue(DEFAULT_SESSION_CATEGORIES, '未知')).toBeNull();
    expect(dictLabel(DEFAULT_SESSION_CATEGORIES, 'C06')).toBe('应急与安全');
    expect(dictLabel(DEFAULT_SESSION_CATEGORIES, 'gone')).toBe('gone');
  });
});
