import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVALUATION_CONFIG,
  checkEvaluationYear,
  evaluate,
  gradeFor,
  totalScore,
  validateEvaluationConfig,
  validateScores,
} from '@shared/organizations/evaluation';
import { checkFilingConditions, DEFAULT_FILING_CONDITIONS, validateFilingConditions } from '@shared/organizations/filing';

describe('evaluation', () => {
  it('totals the four parts exactly to one decimal', () => {
    expect(totalScore({ basic: 28.3, activities: 27.4, contribution: 18.2, influence: 16.1 })).toBe(90);
    expect(totalScore({ basic: 0.1, activities: 0.2, contribution: 0, influence: 0 })).toBe(0.3);
  });

  it('grades with the default bands at their edges', () => {
    expect(gradeFor(90)).toBe('5A');
    expect(gradeFor(89.9)).toBe('4A');
    expect(gradeFor(80)).toBe('4A');
    expect(gradeFor(50)).toBe('1A');
    expect(gradeFor(49.9)).toBe('不定级');
  });

  it('uses configured bands in any order', () => {
    const config = { ...DEFAULT_EVALUATION_CONFIG, bands: [{ grade: '合格', min: 60 }, { grade: '优秀', min: 85 }], belowAll: '不合格' };
    expect(gradeFor(86, config)).toBe('优秀');
    expect(gradeFor(70, config)).toBe('合格');
    expect(gradeFor(59.9, config)).toBe('不合格');
  });

  it('validates score ranges per part', () => {
    const issues = validateScores({ basic: 31, activities: -1, contribution: 10.25, influence: undefined });
    expect(issues).toEqual([
      { field: 'basic', message: '基本条件得分应在 0 到 30 之间,现为 31' },
      { field: 'activities', message: '活动情况得分应在 0 到 30 之间,现为 -1' },
      { field: 'contribution', message: '社会贡献得分最多保留一位小数' },
      { field: 'influence', message: '请填写社区影响力得分' },
    ]);
    expect(validateScores({ basic: '10' as unknown as number, activities: 1, contribution: 1, influence: 1 })[0].message).toBe('基本条件得分应为数字');
  });

  it('evaluates in one call', () => {
    expect(evaluate({ basic: 25, activities: 25, contribution: 15, influence: 10 })).toEqual({ ok: true, total: 75, grade: '3A' });
    expect(evaluate({ basic: 25 }).ok).toBe(false);
  });

  it('validates a hub configuration', () => {
    expect(validateEvaluationConfig(DEFAULT_EVALUATION_CONFIG)).toEqual([]);
    const bad = validateEvaluationConfig({
      maxScores: { basic: 0, activities: 30, contribution: 20, influence: 20 },
      bands: [{ grade: 'A', min: 60 }, { grade: 'A', min: 50 }, { grade: 'B', min: 50 }, { grade: 'C', min: 200 }],
      belowAll: '',
    });
    expect(bad.map((i) => i.message)).toEqual([
      '基本条件满分应为正数',
      '等级"A"重复',
      '等级"B"的最低分 50 与其他等级相同',
      '等级"C"的最低分应在 0 到 70 之间',
      '请填写未达最低等级时的名称',
    ]);
  });

  it('checks the evaluation year', () => {
    expect(checkEvaluationYear(2026, 2026)).toBeNull();
    expect(checkEvaluationYear(2027, 2026)).toBeNull();
    expect(checkEvaluationYear(2028, 2026)).toContain('2000 到 2027');
  });
});

describe('filing conditions', () => {
  it('warns about each unmet condition', () => {
    expect(checkFilingConditions({ memberCount: 12, leaderName: '张三', fixedActivityTime: '每周三晚', fixedActivityPlace: '社区活动室' })).toEqual([]);
    const w = checkFilingConditions({ memberCount: 8, leaderName: ' ', fixedActivityTime: null, fixedActivityPlace: '' });
    expect(w.map((x) => x.kind)).toEqual(['members', 'leader', 'time', 'place']);
    expect(w[0].message).toBe('固定成员 8 人,少于备案条件要求的 10 人');
    expect(checkFilingConditions({ memberCount: null, leaderName: 'a', fixedActivityTime: 'b', fixedActivityPlace: 'c' })[0].message).toContain('未填写成员人数');
  });

  it('follows the configuration', () => {
    const relaxed = { minFixedMembers: 0, requireFixedLeader: true, requireFixedTime: false, requireFixedPlace: false };
    expect(checkFilingConditions({ memberCount: 2, leaderName: '李', fixedActivityTime: null, fixedActivityPlace: null }, relaxed)).toEqual([]);
    expect(checkFilingConditions({ memberCount: 14, leaderName: 'x', fixedActivityTime: 'y', fixedActivityPlace: 'z' }, { ...DEFAULT_FILING_CONDITIONS, minFixedMembers: 15 })[0].kind).toBe('members');
    expect(validateFilingConditions({ ...DEFAULT_FILING_CONDITIONS, minFixedMembers: -1 })).toHaveLength(1);
  });
});
