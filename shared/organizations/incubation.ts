/**
 * Incubation record of one organization: applied (申请) → admitted (入驻) → incubating (孵化中) → graduated (出壳),
 * or withdrawn (退出) from any stage that is not final. Every transition is dated, says who decided it and why;
 * entering 孵化中 also names the mentor and the agreement dates. History is kept: a transition is appended, never
 * edited. Pure rules here; the core writes the rows.
 */
import { addMonths, daysBetween, isBusinessDate, splitDate } from '../dates/parse';
import { collapseSpaces } from '../text/normalize';

export const INCUBATION_STAGES = ['applied', 'admitted', 'incubating', 'graduated', 'withdrawn'] as const;
export type IncubationStage = (typeof INCUBATION_STAGES)[number];

export const INCUBATION_STAGE_LABELS: Record<IncubationStage, string> = {
  applied: '申请',
  admitted: '入驻',
  incubating: '孵化中',
  graduated: '出壳',
  withdrawn: '退出',
};

/** Alternative labels accepted on import. */
export const INCUBATION_STAGE_ALIASES: Record<string, IncubationStage> = {
  申请: 'applied',
  申请中: 'applied',
  已申请: 'applied',
  入驻: 'admitted',
  已入驻: 'admitted',
  孵化中: 'incubating',
  孵化: 'incubating',
  在孵: 'incubating',
  出壳: 'graduated',
  已出壳: 'graduated',
  毕业: 'graduated',
  退出: 'withdrawn',
  已退出: 'withdrawn',
};

/** Physical incubation uses a desk or room in the hub; virtual incubation gives services only. */
export const INCUBATION_MODES = ['physical', 'virtual'] as const;
export type IncubationMode = (typeof INCUBATION_MODES)[number];
export const INCUBATION_MODE_LABELS: Record<IncubationMode, string> = { physical: '实体入驻', virtual: '虚拟孵化' };

export const FINAL_STAGES: readonly IncubationStage[] = ['graduated', 'withdrawn'];
export const isFinalStage = (stage: IncubationStage) => FINAL_STAGES.includes(stage);
/** Stages during which the incubation term runs. */
export const ACTIVE_STAGES: readonly IncubationStage[] = ['admitted', 'incubating'];

/** The stage a new incubation record starts in. */
export const INITIAL_STAGE: IncubationStage = 'applied';

/** Allowed next stages. Withdrawal is allowed from every non-final stage. */
export const INCUBATION_TRANSITIONS: Record<IncubationStage, readonly IncubationStage[]> = {
  applied: ['admitted', 'withdrawn'],
  admitted: ['incubating', 'withdrawn'],
  incubating: ['graduated', 'withdrawn'],
  graduated: [],
  withdrawn: [],
};

export function canTransition(from: IncubationStage, to: IncubationStage): boolean {
  return INCUBATION_TRANSITIONS[from].includes(to);
}

/** What the user gives for one transition. */
export interface TransitionInput {
  to: IncubationStage;
  /** Business date of the decision, 'YYYY-MM-DD'. */
  date: string;
  /** Who decided it (a person's name, e.g. the hub director), not necessarily the logged-in user. */
  decidedBy: string;
  reason: string;
  /** Entering 入驻: physical or virtual incubation, and for physical the desk/room. */
  mode?: IncubationMode | null;
  space?: string | null;
  /** Entering 孵化中. */
  mentor?: string | null;
  agreementStart?: string | null;
  agreementEnd?: string | null;
}

/** Fields each target stage requires beyond date, decidedBy and reason. */
export const TRANSITION_REQUIRED_FIELDS: Record<IncubationStage, readonly (keyof TransitionInput)[]> = {
  applied: [],
  admitted: ['mode'],
  incubating: ['mentor', 'agreementStart', 'agreementEnd'],
  graduated: [],
  withdrawn: [],
};

export const TRANSITION_FIELD_LABELS: Record<keyof TransitionInput, string> = {
  to: '目标阶段',
  date: '日期',
  decidedBy: '决定人',
  reason: '原因/说明',
  mode: '孵化方式',
  space: '入驻工位/房间',
  mentor: '孵化导师',
  agreementStart: '协议开始日期',
  agreementEnd: '协议结束日期',
};

export interface TransitionIssue {
  field: keyof TransitionInput;
  message: string;
}

export interface TransitionContext {
  /** Current stage, or null when the organization has no incubation record yet. */
  from: IncubationStage | null;
  /** Date of the latest transition: a new one may not be dated before it. */
  lastDate?: string | null;
  /** Today in China time: a transition may not be dated in the future. */
  today: string;
}

const blank = (v: unknown) => v == null || (typeof v === 'string' && collapseSpaces(v) === '');

/**
 * Checks one transition. Returns every problem at once (empty array = allowed), each naming its field in Chinese.
 * A new record must start with 申请 (`from` null → `to` applied); imports that bring a historical stage use
 * `validateInitialStage` instead.
 */
export function validateTransition(ctx: TransitionContext, input: TransitionInput): TransitionIssue[] {
  const issues: TransitionIssue[] = [];
  const label = (s: IncubationStage) => INCUBATION_STAGE_LABELS[s];
  if (ctx.from === null) {
    if (input.to !== INITIAL_STAGE) {
      issues.push({ field: 'to', message: `孵化记录应从"${label(INITIAL_STAGE)}"开始,不能直接进入"${label(input.to)}"` });
    }
  } else if (isFinalStage(ctx.from)) {
    issues.push({ field: 'to', message: `已${label(ctx.from)}的组织不能再变更孵化阶段` });
  } else if (!canTransition(ctx.from, input.to)) {
    const next = INCUBATION_TRANSITIONS[ctx.from].map(label).join('或');
    issues.push({ field: 'to', message: `不能从"${label(ctx.from)}"变为"${label(input.to)}",下一步只能是${next}` });
  }

  if (blank(input.date)) issues.push({ field: 'date', message: '请填写日期' });
  else if (!isBusinessDate(input.date)) issues.push({ field: 'date', message: '日期格式应为 YYYY-MM-DD 且为真实日期' });
  else {
    if (input.date > ctx.today) issues.push({ field: 'date', message: `日期 ${input.date} 晚于今天(${ctx.today})` });
    if (ctx.lastDate && input.date < ctx.lastDate) {
      issues.push({ field: 'date', message: `日期 ${input.date} 早于上一次阶段变更(${ctx.lastDate})` });
    }
  }
  if (blank(input.decidedBy)) issues.push({ field: 'decidedBy', message: '请填写决定人' });
  if (blank(input.reason)) issues.push({ field: 'reason', message: '请填写原因或说明' });

  for (const field of TRANSITION_REQUIRED_FIELDS[input.to]) {
    if (blank(input[field])) issues.push({ field, message: `进入"${label(input.to)}"需要填写${TRANSITION_FIELD_LABELS[field]}` });
  }
  if (input.to === 'admitted' && input.mode != null && !INCUBATION_MODES.includes(input.mode)) {
    issues.push({ field: 'mode', message: '孵化方式应为实体入驻或虚拟孵化' });
  }
  if (input.to === 'incubating') issues.push(...checkAgreement(input.agreementStart, input.agreementEnd));
  return issues;
}

function checkAgreement(start?: string | null, end?: string | null): TransitionIssue[] {
  const issues: TransitionIssue[] = [];
  if (!blank(start) && !isBusinessDate(start)) issues.push({ field: 'agreementStart', message: '协议开始日期无效' });
  if (!blank(end) && !isBusinessDate(end)) issues.push({ field: 'agreementEnd', message: '协议结束日期无效' });
  if (isBusinessDate(start) && isBusinessDate(end) && end <= start) {
    issues.push({ field: 'agreementEnd', message: '协议结束日期应晚于开始日期' });
  }
  return issues;
}

/**
 * For imports and historical data: an organization may arrive already in a later stage (e.g. 孵化中 since 2023).
 * The stage is recorded as one history entry dated with the given date; fields that entering that stage needs
 * are still checked where the import provides them (agreement dates must be in order).
 */
export function validateInitialStage(stage: IncubationStage, date: string | null, today: string): TransitionIssue[] {
  const issues: TransitionIssue[] = [];
  if (date == null || date === '') {
    if (stage !== INITIAL_STAGE) issues.push({ field: 'date', message: `孵化阶段为"${INCUBATION_STAGE_LABELS[stage]}"时请填写阶段日期` });
    return issues;
  }
  if (!isBusinessDate(date)) issues.push({ field: 'date', message: '阶段日期无效' });
  else if (date > today) issues.push({ field: 'date', message: `阶段日期 ${date} 晚于今天(${today})` });
  return issues;
}

/** One stored history entry, as the core keeps it. */
export interface IncubationHistoryEntry {
  from: IncubationStage | null;
  to: IncubationStage;
  date: string;
}

/**
 * Replays a history (oldest first) and returns the first entry that breaks the transition table, or null.
 * Used by database checks and by tests.
 */
export function findInvalidHistoryEntry(history: readonly IncubationHistoryEntry[]): { index: number; message: string } | null {
  let current: IncubationStage | null = null;
  let lastDate: string | null = null;
  for (let i = 0; i < history.length; i++) {
    const h = history[i];
    if (h.from !== current) return { index: i, message: `第${i + 1}条记录的起始阶段与上一条不一致` };
    if (current !== null && !canTransition(current, h.to)) {
      return { index: i, message: `第${i + 1}条记录从"${INCUBATION_STAGE_LABELS[current]}"变为"${INCUBATION_STAGE_LABELS[h.to]}"不被允许` };
    }
    if (lastDate && h.date < lastDate) return { index: i, message: `第${i + 1}条记录的日期早于上一条` };
    current = h.to;
    lastDate = h.date;
  }
  return null;
}

export interface TermStatus {
  /** The date the term ends: the agreement end when known, else the start + term months. */
  dueDate: string | null;
  overdue: boolean;
  /** Days past the due date (0 when not overdue). */
  daysOverdue: number;
  /** Days left until the due date (0 when overdue or not running). */
  daysLeft: number;
}

/**
 * Term check (hub setting `incubationTermMonths`, default 24). The term runs from 入驻 (admission) while the
 * organization is admitted or incubating; an agreement end date, when recorded, takes precedence. Finished
 * incubations are never overdue.
 */
export function incubationTerm(args: {
  stage: IncubationStage | null;
  admittedDate: string | null;
  agreementEnd?: string | null;
  termMonths: number;
  today: string;
}): TermStatus {
  const none: TermStatus = { dueDate: null, overdue: false, daysOverdue: 0, daysLeft: 0 };
  if (!args.stage || !ACTIVE_STAGES.includes(args.stage)) return none;
  let dueDate: string | null = null;
  if (args.agreementEnd && isBusinessDate(args.agreementEnd)) dueDate = args.agreementEnd;
  else if (args.admittedDate && isBusinessDate(args.admittedDate)) dueDate = addMonths(args.admittedDate, args.termMonths);
  if (!dueDate) return none;
  const diff = daysBetween(dueDate, args.today);
  return diff > 0
    ? { dueDate, overdue: true, daysOverdue: diff, daysLeft: 0 }
    : { dueDate, overdue: false, daysOverdue: 0, daysLeft: Math.max(0, -diff) };
}

/** Parses a stage from an import cell: code or Chinese label. */
export function parseIncubationStage(value: string): IncubationStage | null {
  const v = collapseSpaces(value);
  if ((INCUBATION_STAGES as readonly string[]).includes(v)) return v as IncubationStage;
  return INCUBATION_STAGE_ALIASES[v] ?? null;
}

/** Months between two dates, rounded down (for "孵化 14 个月" displays). */
export function wholeMonthsBetween(from: string, to: string): number {
  const a = splitDate(from);
  const b = splitDate(to);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (b.day < a.day) months -= 1;
  return Math.max(0, months);
}
