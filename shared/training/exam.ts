/**
 * 社会工作者职业资格考试: candidates the hub prepares and their results. Each level has its subjects;
 * a candidate passes a level when every subject reaches the pass mark within a rolling window of
 * exam years (初级: one sitting; 中级: two consecutive years since the 2020 reform). Subjects, marks
 * and windows are settings, because the annual notice may change them.
 */

export const EXAM_LEVELS = ['assistant', 'intermediate', 'senior'] as const;
export type ExamLevel = (typeof EXAM_LEVELS)[number];

export const EXAM_LEVEL_LABELS: Record<ExamLevel, string> = {
  assistant: '助理社会工作师（初级）',
  intermediate: '社会工作师（中级）',
  senior: '高级社会工作师',
};

export interface ExamLevelRule {
  subjects: readonly { code: string; label: string }[];
  passMark: number;
  fullMark: number;
  /** Number of consecutive exam years in which all subjects must be passed. */
  windowYears: number;
}

export const DEFAULT_EXAM_RULES: Record<ExamLevel, ExamLevelRule> = {
  assistant: {
    subjects: [
      { code: 'comprehensive', label: '社会工作综合能力' },
      { code: 'practice', label: '社会工作实务' },
    ],
    passMark: 60,
    fullMark: 100,
    windowYears: 1,
  },
  intermediate: {
    subjects: [
      { code: 'comprehensive', label: '社会工作综合能力' },
      { code: 'practice', label: '社会工作实务' },
      { code: 'law', label: '社会工作法规与政策' },
    ],
    passMark: 60,
    fullMark: 100,
    windowYears: 2,
  },
  senior: {
    subjects: [{ code: 'practice', label: '社会工作实务（高级）' }],
    passMark: 60,
    fullMark: 100,
    windowYears: 1,
  },
};

export interface SubjectScore {
  subject: string;
  year: number;
  /** null: registered but absent (缺考). */
  score: number | null;
}

export function scoreProblem(rule: ExamLevelRule, s: SubjectScore): string | null {
  const subject = rule.subjects.find((x) => x.code === s.subject);
  if (!subject) return `科目“${s.subject}”不属于该级别`;
  if (s.score == null) return null;
  if (!Number.isInteger(s.score) || s.score < 0 || s.score > rule.fullMark) return `“${subject.label}”成绩应为0–${rule.fullMark}的整数`;
  return null;
}

export interface ExamOutcome {
  passed: boolean;
  /** The exam year in which the last missing subject was passed. */
  passedYear: number | null;
  /** Subjects still to pass within the window ending at the latest year with scores. */
  missing: string[];
}

/**
 * Whether the scores pass the level: the earliest window of `windowYears` consecutive years in which
 * every subject has a passing score. Without a pass, `missing` lists what the latest window still lacks.
 */
export function examOutcome(rule: ExamLevelRule, scores: readonly SubjectScore[]): ExamOutcome {
  const passing = scores.filter((s) => s.score != null && s.score >= rule.passMark);
  const years = [...new Set(scores.map((s) => s.year))].sort((a, b) => a - b);
  for (const end of years) {
    const start = end - rule.windowYears + 1;
    const inWindow = passing.filter((s) => s.year >= start && s.year <= end);
    if (rule.subjects.every((sub) => inWindow.some((s) => s.subject === sub.code))) {
      return { passed: true, passedYear: end, missing: [] };
    }
  }
  const last = years.length ? years[years.length - 1] : null;
  const inLast = last == null ? [] : passing.filter((s) => s.year > last - rule.windowYears && s.year <= last);
  return {
    passed: false,
    passedYear: null,
    missing: rule.subjects.filter((sub) => !inLast.some((s) => s.subject === sub.code)).map((s) => s.code),
  };
}
