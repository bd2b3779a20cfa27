/**
 * Person-time statistics (人次统计). Definitions, shared by the SQL reports and the tests that check
 * them against a brute-force computation:
 * - a person-time is one attendance with status present or late;
 * - persons (人数) are distinct trainees with at least one person-time in the group — they do not add
 *   up across groups (one person attends several categories), so totals are computed, never summed;
 * - hours are the credited minutes of those attendances.
 * A trainee's role and organization are those at the time of the training (copied onto the attendance
 * row when it is written), so last year's figures do not change when someone changes role.
 */
import { countsAsAttended, type AttendanceStatus } from './attendance';

export const STAT_DIMENSIONS = ['role', 'category', 'format', 'month', 'organization'] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

export const STAT_DIMENSION_LABELS: Record<StatDimension, string> = {
  role: '学员类别',
  category: '培训类别',
  format: '培训形式',
  month: '月份',
  organization: '所属组织',
};

export interface AttendanceFact {
  traineeId: string;
  role: string;
  category: string;
  format: string;
  /** Session date, YYYY-MM-DD. */
  date: string;
  organizationId: string | null;
  status: AttendanceStatus;
  creditedMinutes: number;
}

export interface StatCell {
  /** Dictionary code, 'YYYY-MM', organization id, or '' for "none" (a trainee without organization). */
  key: string;
  personTimes: number;
  persons: number;
  creditedMinutes: number;
}

export const monthOf = (date: string): string => date.slice(0, 7);

export function factKey(f: AttendanceFact, dim: StatDimension): string {
  switch (dim) {
    case 'role':
      return f.role;
    case 'category':
      return f.category;
    case 'format':
      return f.format;
    case 'month':
      return monthOf(f.date);
    case 'organization':
      return f.organizationId ?? '';
  }
}

/** Cells of one dimension, sorted by key. Facts that are not person-times are ignored. */
export function aggregateFacts(facts: readonly AttendanceFact[], dim: StatDimension): StatCell[] {
  const acc = new Map<string, { personTimes: number; persons: Set<string>; creditedMinutes: number }>();
  for (const f of facts) {
    if (!countsAsAttended(f.status)) continue;
    const k = factKey(f, dim);
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { personTimes: 0, persons: new Set(), creditedMinutes: 0 }));
    a.personTimes += 1;
    a.persons.add(f.traineeId);
    a.creditedMinutes += f.creditedMinutes;
  }
  return [...acc.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, a]) => ({ key, personTimes: a.personTimes, persons: a.persons.size, creditedMinutes: a.creditedMinutes }));
}

export function totalOfFacts(facts: readonly AttendanceFact[]): Omit<StatCell, 'key'> {
  const persons = new Set<string>();
  let personTimes = 0;
  let creditedMinutes = 0;
  for (const f of facts) {
    if (!countsAsAttended(f.status)) continue;
    personTimes += 1;
    persons.add(f.traineeId);
    creditedMinutes += f.creditedMinutes;
  }
  return { personTimes, persons: persons.size, creditedMinutes };
}

/** Twelve months of a year, zero where nothing happened (charts need the gaps). */
export function fillMonths(year: number, cells: readonly StatCell[]): StatCell[] {
  const byKey = new Map(cells.map((c) => [c.key, c]));
  return Array.from({ length: 12 }, (_, i) => {
    const key = `${year}-${String(i + 1).padStart(2, '0')}`;
    return byKey.get(key) ?? { key, personTimes: 0, persons: 0, creditedMinutes: 0 };
  });
}

/** Running total of person-times month by month. */
export function cumulative(cells: readonly StatCell[]): number[] {
  let sum = 0;
  return cells.map((c) => (sum += c.personTimes));
}

/** A plan target: the whole year (dimension 'total', key '') or one code of a dimension. */
export interface PlanTarget {
  dimension: 'total' | 'role' | 'category';
  key: string;
  personTimes: number;
}

export interface PlanComparison {
  dimension: PlanTarget['dimension'];
  key: string;
  target: number;
  actual: number;
  /** target − actual, never negative. */
  remaining: number;
  /** floor(actual / target × 1000); null when the target is 0. */
  ratePermille: number | null;
  achieved: boolean;
}

export function compareWithPlan(
  targets: readonly PlanTarget[],
  actual: { total: number; role: readonly StatCell[]; category: readonly StatCell[] },
): PlanComparison[] {
  const lookup = (dim: PlanTarget['dimension'], key: string): number =>
    dim === 'total' ? actual.total : (actual[dim].find((c) => c.key === key)?.personTimes ?? 0);
  return targets.map((t) => {
    const a = lookup(t.dimension, t.key);
    return {
      dimension: t.dimension,
      key: t.key,
      target: t.personTimes,
      actual: a,
      remaining: Math.max(0, t.personTimes - a),
      ratePermille: t.personTimes > 0 ? Math.floor((a * 1000) / t.personTimes) : null,
      achieved: a >= t.personTimes,
    };
  });
}

/** 853 → "85.3%"; null → "—". */
export function formatPermille(p: number | null): string {
  if (p == null) return '—';
  return `${Math.floor(p / 10)}.${p % 10}%`;
}

function dayOfYear(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
}

/**
 * Where the plan should be by `asOf` if the target were spread evenly over the year (floor), used for
 * the "on track" line of the chart. Before the year: 0; after it: the whole target.
 */
export function expectedByDate(targetPersonTimes: number, year: number, asOf: string): number {
  if (asOf < `${year}-01-01`) return 0;
  if (asOf > `${year}-12-31`) return targetPersonTimes;
  const days = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
  return Math.floor((targetPersonTimes * dayOfYear(asOf)) / days);
}

/** One trainee's history: sessions attended, person-times, credited minutes, completed sessions. */
export function traineeTotals(facts: readonly (AttendanceFact & { completed: boolean })[]): {
  personTimes: number;
  creditedMinutes: number;
  completed: number;
  absences: number;
} {
  let personTimes = 0;
  let creditedMinutes = 0;
  let completed = 0;
  let absences = 0;
  for (const f of facts) {
    if (countsAsAttended(f.status)) {
      personTimes++;
      creditedMinutes += f.creditedMinutes;
      if (f.completed) completed++;
    } else if (f.status === 'absent') absences++;
  }
  return { personTimes, creditedMinutes, completed, absences };
}
