import type { z } from 'zod';
import { AppError, type ApiErrorShape, type ErrorIssue } from '@shared/errors';
import { issuesMessage, zodIssues } from '@shared/contract/labels';

/**
 * Turns zod issues into one Chinese message listing every problem by the field's Chinese label, plus the full
 * list (path for the form to place each one beside its field, label for anything that shows it elsewhere).
 */
export function validationError(error: z.ZodError, callName: string): AppError {
  const issues: ErrorIssue[] = zodIssues(callName, error);
  // facts a custom check attached (`params`), e.g. that a confirmation would make a credit code acceptable
  const details: Record<string, unknown> = {};
  for (const i of error.issues) if (i.code === 'custom' && i.params) Object.assign(details, i.params);
  return new AppError('VALIDATION', issuesMessage(callName, issues), { issues, details: Object.keys(details).length ? details : undefined });
}

interface SqliteLikeError {
  code?: string;
  message: string;
}

/**
 * Maps anything thrown by a handler to the typed error sent to the UI. Constraint messages raised by our own
 * triggers are Chinese and shown as they are; everything unexpected becomes INTERNAL without a stack trace.
 */
export function toApiError(e: unknown, log: (err: unknown) => void): ApiErrorShape {
  if (e instanceof AppError) return e.toJSON();
  const err = e as SqliteLikeError;
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_')) {
    if (err.code === 'SQLITE_CONSTRAINT_TRIGGER') return { code: 'RULE', message: err.message };
    if (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
      return { code: 'CONFLICT', message: '记录重复：已存在相同的记录', details: { constraint: err.message } };
    if (err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
      return { code: 'CONFLICT', message: '关联的记录不存在，或仍被其他记录引用' };
    if (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED')
      return { code: 'CONFLICT', message: '数据库正忙(其他程序正在写入)，请稍后重试' };
    if (err.code === 'SQLITE_FULL') return { code: 'INTERNAL', message: '磁盘空间不足，数据未保存' };
    if (err.code === 'SQLITE_READONLY') return { code: 'INTERNAL', message: '数据文件为只读，数据未保存' };
  }
  log(e);
  return { code: 'INTERNAL', message: '系统内部错误，操作未完成，详情已写入日志' };
}
