import type { z } from 'zod';
import { AppError, type ApiErrorShape, type ErrorIssue } from '@shared/errors';
import { issuesMessage, zodIssues } from '@shared/contract/labels';
import { dbErrorInfo } from '../db/errors';

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

/**
 * Maps anything thrown by a handler to the typed error sent to the UI. Constraint messages raised by our own
 * triggers are Chinese and shown as they are; everything unexpected becomes INTERNAL without a stack trace.
 * Both engines' errors are read through `dbErrorInfo` (electron/core/db/errors.ts).
 */
export function toApiError(e: unknown, log: (err: unknown) => void): ApiErrorShape {
  if (e instanceof AppError) return e.toJSON();
  const info = dbErrorInfo(e);
  if (info) {
    if (info.kind === 'rule') return { code: 'RULE', message: info.message };
    if (info.kind === 'overlap') return { code: 'RULE', message: info.message };
    if (info.kind === 'unique') return { code: 'CONFLICT', message: '记录重复：已存在相同的记录', details: { constraint: info.constraint ?? info.message } };
    if (info.kind === 'foreign_key') return { code: 'CONFLICT', message: '关联的记录不存在，或仍被其他记录引用' };
    if (info.kind === 'busy') return { code: 'CONFLICT', message: '数据库正忙(其他程序正在写入)，请稍后重试' };
    if (info.kind === 'full') return { code: 'INTERNAL', message: '磁盘空间不足，数据未保存' };
    if (info.kind === 'readonly') return { code: 'INTERNAL', message: '数据文件为只读，数据未保存' };
  }
  log(e);
  return { code: 'INTERNAL', message: '系统内部错误，操作未完成，详情已写入日志' };
}
