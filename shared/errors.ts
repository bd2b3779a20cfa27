/**
 * Errors that cross the API boundary. `message` is Chinese and fit to show a user; `details` carries
 * machine-readable facts (field paths, row numbers) and never a stack trace.
 */
export const ERROR_CODES = [
  'VALIDATION', // input does not match the schema or a field rule
  'UNAUTHENTICATED', // no session, or the session expired
  'SESSION_LOCKED', // idle too long: re-enter the password
  'ACCOUNT_LOCKED', // too many wrong passwords
  'FORBIDDEN', // role does not allow this call
  'NOT_FOUND',
  'CONFLICT', // unique key, overlapping booking, concurrent change
  'RULE', // a business rule refuses the change
  'UNKNOWN_CALL',
  'PAYLOAD_TOO_LARGE',
  'READ_ONLY', // the data folder cannot be written (read-only, disk full): viewing works, saving does not
  'STARTING', // the host is up but the core is still in its start-up check (检查数据库 / 升级 / 备份): ask again shortly
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorIssue {
  /** Dotted field path, e.g. `items.3.amount`, or a column name for imported files. */
  path?: string;
  /** 1-based row number in an imported file. */
  row?: number;
  /** The field's Chinese label (from `shared/contract/labels.ts`), for showing the issue away from its field. */
  label?: string;
  message: string;
}

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  issues?: ErrorIssue[];
  details?: Record<string, unknown>;
}

export class AppError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly issues?: ErrorIssue[];
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, extra?: { issues?: ErrorIssue[]; details?: Record<string, unknown> }) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = extra?.issues;
    this.details = extra?.details;
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message, issues: this.issues, details: this.details };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Shortcuts used by services. */
export const fail = {
  validation: (message: string, issues?: ErrorIssue[]) => new AppError('VALIDATION', message, { issues }),
  notFound: (what: string) => new AppError('NOT_FOUND', `${what}不存在或已被删除`),
  conflict: (message: string, details?: Record<string, unknown>) => new AppError('CONFLICT', message, { details }),
  rule: (message: string, details?: Record<string, unknown>) => new AppError('RULE', message, { details }),
  forbidden: (message = '您的角色无权执行此操作') => new AppError('FORBIDDEN', message),
};

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiErrorShape };

/**
 * `details` of the CONFLICT sent when an update or a state change names a version that is no longer current:
 * who changed the record last and when, and the version to reload (the renderer's conflict dialog reads these).
 */
export interface StaleDetails {
  stale: true;
  entity: string;
  id: string;
  currentVersion: number;
  expectedVersion: number;
  changedBy: string | null;
  changedAt: string | null;
}

export const isStaleDetails = (d: unknown): d is StaleDetails =>
  !!d && typeof d === 'object' && (d as { stale?: unknown }).stale === true && typeof (d as { currentVersion?: unknown }).currentVersion === 'number';
