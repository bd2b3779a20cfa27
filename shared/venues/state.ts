/**
 * Booking states and the transitions between them.
 *
 *   requested ──approve──▶ approved ──markUsed──▶ used
 *       │                     │ └────markNoShow──▶ no_show
 *       ├──────cancel─────────┴──▶ cancelled (reason required)
 *       └──────reject (驳回, by an approver)──▶ cancelled, marked rejected (reason required, shown to the booker)
 *
 * A recurring booking is a series of occurrences, each with its own state. An action on a series applies to
 * the whole series or to the occurrences from one date on; occurrences whose state does not allow the action
 * (already used, already cancelled …) are left alone and listed with the reason, never silently changed.
 */
import { datePart, type LocalDate, type LocalDateTime } from './time';

export const BOOKING_STATES = ['requested', 'approved', 'used', 'no_show', 'cancelled'] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export const BOOKING_STATE_LABELS: Record<BookingState, string> = {
  requested: '待审批',
  approved: '已批准',
  used: '已使用',
  no_show: '未到场',
  cancelled: '已取消',
};

/** A cancelled booking that an approver refused (驳回) rather than one the booker withdrew. */
export const REJECTED_LABEL = '已驳回';
export const stateLabel = (state: BookingState, rejected?: boolean): string => (state === 'cancelled' && rejected ? REJECTED_LABEL : BOOKING_STATE_LABELS[state]);

/** Calendar colours by state (antd palette). */
export const BOOKING_STATE_COLORS: Record<BookingState, string> = {
  requested: '#faad14',
  approved: '#1677ff',
  used: '#52c41a',
  no_show: '#ff4d4f',
  cancelled: '#bfbfbf',
};

/** States that hold the venue: two bookings in these states never overlap. */
export const OCCUPYING_STATES: readonly BookingState[] = ['approved', 'used', 'no_show'];
/** States that can still change (be approved, moved or cancelled). */
export const LIVE_STATES: readonly BookingState[] = ['requested', 'approved'];
/** States that count against an organization's quota: everything but cancelled. */
export const QUOTA_STATES: readonly BookingState[] = ['requested', 'approved', 'used', 'no_show'];

export const BOOKING_ACTIONS = ['approve', 'reject', 'cancel', 'markUsed', 'markNoShow'] as const;
export type BookingAction = (typeof BOOKING_ACTIONS)[number];

export const BOOKING_ACTION_LABELS: Record<BookingAction, string> = {
  approve: '批准',
  reject: '驳回',
  cancel: '取消',
  markUsed: '登记已使用',
  markNoShow: '登记未到场',
};

const TARGET: Record<BookingAction, BookingState> = {
  approve: 'approved',
  reject: 'cancelled',
  cancel: 'cancelled',
  markUsed: 'used',
  markNoShow: 'no_show',
};

const FROM: Record<BookingAction, readonly BookingState[]> = {
  approve: ['requested'],
  reject: ['requested'],
  cancel: ['requested', 'approved'],
  markUsed: ['approved'],
  markNoShow: ['approved'],
};

export interface TransitionSubject {
  state: BookingState;
  start: LocalDateTime;
  end: LocalDateTime;
}

export type TransitionResult = { ok: true; to: BookingState } | { ok: false; message: string };

/**
 * Whether `action` may be applied to a booking now. Approving a request whose start has passed is refused
 * (it would approve history); used / no-show are recorded only once the booking has started; an approved
 * booking that has started can no longer be cancelled (record it as used or no-show instead).
 */
export function transition(b: TransitionSubject, action: BookingAction, now: LocalDateTime, reason?: string): TransitionResult {
  if (!FROM[action].includes(b.state)) {
    return { ok: false, message: `${BOOKING_STATE_LABELS[b.state]}的预约不能${BOOKING_ACTION_LABELS[action]}` };
  }
  switch (action) {
    case 'approve':
      if (b.start < now) return { ok: false, message: '开始时间已过的预约不能再批准' };
      break;
    case 'reject':
      if (!reason || !reason.trim()) return { ok: false, message: '驳回预约须填写理由' };
      break;
    case 'cancel':
      if (!reason || !reason.trim()) return { ok: false, message: '取消预约须填写原因' };
      if (b.state === 'approved' && b.start <= now) return { ok: false, message: '已开始的预约不能取消,请登记为已使用或未到场' };
      break;
    case 'markUsed':
    case 'markNoShow':
      if (b.start > now) return { ok: false, message: `预约尚未开始,不能${BOOKING_ACTION_LABELS[action]}` };
      break;
  }
  return { ok: true, to: TARGET[action] };
}

export type SeriesScope = { kind: 'one'; date: LocalDate } | { kind: 'all' } | { kind: 'from'; date: LocalDate };

export const SERIES_SCOPE_LABELS = { one: '仅此一次', all: '整个系列', from: '从此日期起' } as const;

export interface SeriesMember extends TransitionSubject {
  id: string;
}

/** Occurrences of a series that a scope covers (by start date, inclusive for 'from'). */
export function inScope<T extends { start: LocalDateTime }>(members: readonly T[], scope: SeriesScope): T[] {
  if (scope.kind === 'all') return [...members];
  if (scope.kind === 'one') return members.filter((m) => datePart(m.start) === scope.date);
  return members.filter((m) => datePart(m.start) >= scope.date);
}

export interface SeriesPlan<T> {
  /** Occurrences the action applies to, with their new state. */
  apply: { member: T; to: BookingState }[];
  /** Occurrences in scope that stay as they are, with the reason. */
  skipped: { member: T; message: string }[];
}

/** What an action on a series (in a scope) would do: the service applies it in one transaction. */
export function planSeriesAction<T extends SeriesMember>(
  members: readonly T[],
  action: BookingAction,
  scope: SeriesScope,
  now: LocalDateTime,
  reason?: string,
): SeriesPlan<T> {
  const plan: SeriesPlan<T> = { apply: [], skipped: [] };
  for (const m of inScope(members, scope)) {
    const r = transition(m, action, now, reason);
    if (r.ok) plan.apply.push({ member: m, to: r.to });
    else plan.skipped.push({ member: m, message: r.message });
  }
  return plan;
}

/**
 * Occurrences a change of time/attendance (scope "from one date on" or "all") may touch: only those still
 * requested or approved and not yet started. A changed approved occurrence needs approval again when the
 * venue requires approval.
 */
export function changeableMembers<T extends SeriesMember>(members: readonly T[], scope: SeriesScope, now: LocalDateTime): { change: T[]; keep: { member: T; message: string }[] } {
  const change: T[] = [];
  const keep: { member: T; message: string }[] = [];
  for (const m of inScope(members, scope)) {
    if (!LIVE_STATES.includes(m.state)) keep.push({ member: m, message: `${BOOKING_STATE_LABELS[m.state]}的预约不能修改` });
    else if (m.start <= now) keep.push({ member: m, message: '已开始的预约不能修改' });
    else change.push(m);
  }
  return { change, keep };
}

/** State of a booking after its time is changed: an approver's own change keeps the approval. */
export function stateAfterChange(current: BookingState, approvalRequired: boolean, byApprover: boolean): BookingState {
  if (current === 'approved' && approvalRequired && !byApprover) return 'requested';
  return current;
}

/** State a new booking starts in. Without required approval it is approved at once (still conflict-checked). */
export function initialState(approvalRequired: boolean): BookingState {
  return approvalRequired ? 'requested' : 'approved';
}
