/**
 * Yearly evaluation (评估评议) on four parts — 基本条件, 活动情况, 社会贡献, 社区影响力 — whose total gives a grade
 * from configurable bands. Scores may carry one decimal; totals are computed in tenths so 33.3 + 33.3 + 33.4
 * is exactly 100.
 */

export const EVALUATION_PARTS = ['basic', 'activities', 'contribution', 'influence'] as const;
export type EvaluationPart = (typeof EVALUATION_PARTS)[number];

export const EVALUATION_PART_LABELS: Record<EvaluationPart, string> = {
  basic: '基本条件',
  activities: '活动情况',
  contribution: '社会贡献',
  influence: '社区影响力',
};

export type EvaluationScores = Record<EvaluationPart, number>;

export interface GradeBand {
  /** Grade label, e.g. '5A'. */
  grade: string;
  /** Lowest total that earns it (inclusive). */
  min: number;
}

export interface EvaluationConfig {
  /** Maximum score of each part; the parts add up to the full mark. */
  maxScores: EvaluationScores;
  /** Bands from highest to lowest; a total below every band gets `belowAll`. */
  bands: GradeBand[];
  belowAll: string;
}

export const DEFAULT_EVALUATION_CONFIG: EvaluationConfig = {
  maxScores: { basic: 30, activities: 30, contribution: 20, influence: 20 },
  bands: [
    { grade: '5A', min: 90 },
    { grade: '4A', min: 80 },
    { grade: '3A', min: 70 },
    { grade: '2A', min: 60 },
    { grade: '1A', min: 50 },
  ],
  belowAll: '不定级',
};

const toTenths = (n: number) => Math.round(n * 10);
const hasAtMostOneDecimal = (n: number) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9;

export interface EvaluationIssue {
  field: EvaluationPart | 'year' | 'config';
  message: string;
}

/** Checks each score: a number from 0 to the part's maximum with at most one decimal. */
export function validateScores(scores: Partial<Record<EvaluationPart, unknown>>, config: EvaluationConfig = DEFAULT_EVALUATION_CONFIG): EvaluationIssue[] {
  const issues: EvaluationIssue[] = [];
  for (const part of EVALUATION_PARTS) {
    const v = scores[part];
    const label = EVALUATION_PART_LABELS[part];
    const max = config.maxScores[part];
    if (v == null || v === '') issues.push({ field: part, message: `请填写${label}得分` });
    else if (typeof v !== 'number' || !Number.isFinite(v)) issues.push({ field: part, message: `${label}得分应为数字` });
    else if (v < 0 || v > max) issues.push({ field: part, message: `${label}得分应在 0 到 ${max} 之间,现为 ${v}` });
    else if (!hasAtMostOneDecimal(v)) issues.push({ field: part, message: `${label}得分最多保留一位小数` });
  }
  return issues;
}

/** Total of the four parts, exact to one decimal. */
export function totalScore(scores: EvaluationScores): number {
  return EVALUATION_PARTS.reduce((sum, p) => sum + toTenths(scores[p]), 0) / 10;
}

/** Grade for a total from the bands (highest band whose minimum the total reaches). */
export function gradeFor(total: number, config: EvaluationConfig = DEFAULT_EVALUATION_CONFIG): string {
  const sorted = [...config.bands].sort((a, b) => b.min - a.min);
  const t = toTenths(total);
  return sorted.find((b) => t >= toTenths(b.min))?.grade ?? config.belowAll;
}

/** Total and grade together, after validation; throws nothing — check `issues` first. */
export function evaluate(
  scores: Partial<Record<EvaluationPart, unknown>>,
  config: EvaluationConfig = DEFAULT_EVALUATION_CONFIG,
): { ok: true; total: number; grade: string } | { ok: false; issues: EvaluationIssue[] } {
  const issues = validateScores(scores, config);
  if (issues.length) return { ok: false, issues };
  const total = totalScore(scores as EvaluationScores);
  return { ok: true, total, grade: gradeFor(total, config) };
}

/** Checks a configuration a hub edits: positive maxima, unique grades, distinct minima within the full mark. */
export function validateEvaluationConfig(config: EvaluationConfig): EvaluationIssue[] {
  const issues: EvaluationIssue[] = [];
  for (const part of EVALUATION_PARTS) {
    const m = config.maxScores[part];
    if (!(typeof m === 'number' && Number.isFinite(m) && m > 0 && hasAtMostOneDecimal(m))) {
      issues.push({ field: 'config', message: `${EVALUATION_PART_LABELS[part]}满分应为正数` });
    }
  }
  const full = EVALUATION_PARTS.reduce((s, p) => s + (Number(config.maxScores[p]) || 0), 0);
  if (config.bands.length === 0) issues.push({ field: 'config', message: '至少需要一个等级' });
  const grades = new Set<string>();
  const minima = new Set<number>();
  for (const b of config.bands) {
    if (!b.grade || b.grade.trim() === '') issues.push({ field: 'config', message: '等级名称不能为空' });
    else if (grades.has(b.grade)) issues.push({ field: 'config', message: `等级"${b.grade}"重复` });
    grades.add(b.grade);
    if (!(Number.isFinite(b.min) && b.min >= 0 && b.min <= full)) {
      issues.push({ field: 'config', message: `等级"${b.grade}"的最低分应在 0 到 ${full} 之间` });
    } else if (minima.has(b.min)) issues.push({ field: 'config', message: `等级"${b.grade}"的最低分 ${b.min} 与其他等级相同` });
    minima.add(b.min);
  }
  if (!config.belowAll || config.belowAll.trim() === '') issues.push({ field: 'config', message: '请填写未达最低等级时的名称' });
  return issues;
}

/** Evaluation year: from 2000 to next year (an evaluation can be prepared at the end of a year for the next). */
export function checkEvaluationYear(year: number, currentYear: number): string | null {
  if (!Number.isInteger(year) || year < 2000 || year > currentYear + 1) return `评估年度应在 2000 到 ${currentYear + 1} 之间`;
  return null;
}
