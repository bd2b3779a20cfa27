import { describe, expect, it } from 'vitest';
import {
  INCUBATION_STAGES,
  INCUBATION_TRANSITIONS,
  canTransition,
  findInvalidHistoryEntry,
  incubationTerm,
  parseIncubationStage,
  validateInitialStage,
  validateTransition,
  wholeMonthsBetween,
  type IncubationStage,
  type TransitionInput,
} from '@shared/organizations/incubation';

const today = '2026-03-05';
const base = { date: '2026-03-01', decidedBy: '王主任', reason: '评审通过' };

describe('incubation transitions', () => {
  it('allows exactly the forward path plus withdrawal from non-final stages', () => {
    const allowed: string[] = [];
    for (const from of INCUBATION_STAGES) for (const to of INCUBATION_STAGES) if (canTransition(from, to)) allowed.push(`${from}>${to}`);
    expect(allowed.sort()).toEqual(
      ['applied>admitted', 'applied>withdrawn', 'admitted>incubating', 'admitted>withdrawn', 'incubating>graduated', 'incubating>withdrawn'].sort(),
    );
    expect(INCUBATION_TRANSITIONS.graduated).toEqual([]);
    expect(INCUBATION_TRANSITIONS.withdrawn).toEqual([]);
  });

  it('accepts a complete transition', () => {
    expect(validateTransition({ from: 'applied', today }, { ...base, to: 'admitted', mode: 'physical', space: 'A-03 工位' })).toEqual([]);
    expect(
      validateTransition({ from: 'admitted', lastDate: '2025-03-01', today }, {
        ...base,
        to: 'incubating',
        mentor: '李老师',
        agreementStart: '2026-03-01',
        agreementEnd: '2028-02-29',
      }),
    ).toEqual([]);
    expect(validateTransition({ from: null, today }, { ...base, to: 'applied' })).toEqual([]);
  });

  it('refuses skipping stages, leaving final stages, and starting elsewhere than 申请', () => {
    const skip = validateTransition({ from: 'applied', today }, { ...base, to: 'graduated' });
    expect(skip).toEqual([{ field: 'to', message: '不能从"申请"变为"出壳",下一步只能是入驻或退出' }]);
    const final = validateTransition({ from: 'graduated', today }, { ...base, to: 'withdrawn' });
    expect(final[0].message).toBe('已出壳的组织不能再变更孵化阶段');
    const start = validateTransition({ from: null, today }, { ...base, to: 'incubating', mentor: 'x', agreementStart: '2026-01-01', agreementEnd: '2027-01-01' });
    expect(start[0].message).toContain('孵化记录应从"申请"开始');
  });

  it('allows withdrawal from every non-final stage but requires its reason', () => {
    for (const from of ['applied', 'admitted', 'incubating'] as IncubationStage[]) {
      expect(validateTransition({ from, today }, { ...base, to: 'withdrawn', reason: '组织解散' })).toEqual([]);
      expect(validateTransition({ from, today }, { ...base, to: 'withdrawn', reason: '  ' })).toEqual([{ field: 'reason', message: '请填写原因或说明' }]);
    }
  });

  it('requires date, decider and reason, and the stage-specific fields', () => {
    const issues = validateTransition({ from: 'admitted', today }, { to: 'incubating', date: '', decidedBy: '', reason: '' } as TransitionInput);
    expect(issues.map((i) => i.field)).toEqual(['date', 'decidedBy', 'reason', 'mentor', 'agreementStart', 'agreementEnd']);
    expect(issues.find((i) => i.field === 'mentor')!.message).toBe('进入"孵化中"需要填写孵化导师');
    const noMode = validateTransition({ from: 'applied', today }, { ...base, to: 'admitted' });
    expect(noMode).toEqual([{ field: 'mode', message: '进入"入驻"需要填写孵化方式' }]);
  });

  it('checks dates: real, not in the future, not before the previous transition, agreement in order', () => {
    expect(validateTransition({ from: 'applied', today }, { ...base, to: 'withdrawn', date: '2026-02-30' })[0].message).toContain('真实日期');
    expect(validateTransition({ from: 'applied', today }, { ...base, to: 'withdrawn', date: '2026-03-06' })[0].message).toBe('日期 2026-03-06 晚于今天(2026-03-05)');
    expect(validateTransition({ from: 'applied', lastDate: '2026-03-02', today }, { ...base, to: 'withdrawn' })[0].message).toBe('日期 2026-03-01 早于上一次阶段变更(2026-03-02)');
    const agreement = validateTransition({ from: 'admitted', today }, { ...base, to: 'incubating', mentor: '李', agreementStart: '2026-03-01', agreementEnd: '2026-03-01' });
    expect(agreement).toEqual([{ field: 'agreementEnd', message: '协议结束日期应晚于开始日期' }]);
  });

  it('validates imported historical stages', () => {
    expect(validateInitialStage('incubating', '2024-05-01', today)).toEqual([]);
    expect(validateInitialStage('incubating', null, today)[0].message).toContain('请填写阶段日期');
    expect(validateInitialStage('applied', null, today)).toEqual([]);
    expect(validateInitialStage('admitted', '2027-01-01', today)[0].message).toContain('晚于今天');
  });

  it('finds a broken history', () => {
    expect(
      findInvalidHistoryEntry([
        { from: null, to: 'applied', date: '2024-01-01' },
        { from: 'applied', to: 'admitted', date: '2024-02-01' },
        { from: 'admitted', to: 'incubating', date: '2024-03-01' },
        { from: 'incubating', to: 'graduated', date: '2026-03-01' },
      ]),
    ).toBeNull();
    expect(findInvalidHistoryEntry([{ from: null, to: 'applied', date: '2024-01-01' }, { from: 'applied', to: 'graduated', date: '2024-02-01' }])).toMatchObject({ index: 1 });
    expect(findInvalidHistoryEntry([{ from: null, to: 'applied', date: '2024-01-01' }, { from: 'admitted', to: 'incubating', date: '2024-02-01' }])).toMatchObject({ index: 1 });
    expect(findInvalidHistoryEntry([{ from: null, to: 'applied', date: '2024-01-02' }, { from: 'applied', to: 'admitted', date: '2024-01-01' }])!.message).toContain('早于上一条');
  });

  it('flags organizations past their term', () => {
    const args = { stage: 'incubating' as IncubationStage, admittedDate: '2024-03-01', termMonths: 24 };
    expect(incubationTerm({ ...args, today: '2026-03-01' })).toEqual({ dueDate: '2026-03-01', overdue: false, daysOverdue: 0, daysLeft: 0 });
    expect(incubationTerm({ ...args, today: '2026-03-05' })).toEqual({ dueDate: '2026-03-01', overdue: true, daysOverdue: 4, daysLeft: 0 });
    expect(incubationTerm({ ...args, today: '2026-02-20' })).toMatchObject({ overdue: false, daysLeft: 9 });
    // a hub with a 36-month term
    expect(incubationTerm({ ...args, termMonths: 36, today: '2026-03-05' }).overdue).toBe(false);
    // the agreement end wins over the default term
    expect(incubationTerm({ ...args, agreementEnd: '2026-06-30', today: '2026-03-05' })).toMatchObject({ dueDate: '2026-06-30', overdue: false });
    // finished or not yet admitted: never overdue
    expect(incubationTerm({ ...args, stage: 'graduated', today: '2030-01-01' }).overdue).toBe(false);
    expect(incubationTerm({ ...args, stage: 'applied', today: '2030-01-01' }).dueDate).toBeNull();
    expect(incubationTerm({ ...args, stage: 'admitted', today: '2030-01-01' }).overdue).toBe(true);
  });

  it('parses stage labels and counts months', () => {
    expect(parseIncubationStage(' 孵化中 ')).toBe('incubating');
    expect(parseIncubationStage('出壳')).toBe('graduated');
    expect(parseIncubationStage('withdrawn')).toBe('withdrawn');
    expect(parseIncubationStage('未知')).toBeNull();
    expect(wholeMonthsBetween('2024-03-05', '2026-03-04')).toBe(23);
    expect(wholeMonthsBetween('2024-03-05', '2026-03-05')).toBe(24);
  });
});
