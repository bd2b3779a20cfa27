/**
 * Office-wide operations (结账, 反结账, 从备份恢复, 数据库升级): one at a time per server core, and while one runs
 * the calls it would invalidate are refused at once with a message naming the operation and who started it,
 * instead of queueing behind it or slipping in between its steps (用友 T3: 结账 shuts out every entry).
 *
 * A call declares itself an operation in the contract (`office` in `shared/contract/define.ts`); the dispatcher
 * runs it through `run` and asks `refusal` before every other call. The server core is the one every desk talks
 * to, so the lock lives in it; the database's own write lock (BEGIN IMMEDIATE) still orders everything else.
 */
import type { CallDef, OfficeOperationDef } from '@shared/contract/define';
import type { SessionUser } from '@shared/contract/admin';
import { AppError } from '@shared/errors';
import { chinaMinute } from './versions';

export interface RunningOperation {
  /** 「结账 2026-11」 */
  label: string;
  excludes: OfficeOperationDef['excludes'];
  /** Display name of whoever started it (系统 for the core's own, e.g. a migration at start). */
  by: string;
  startedAt: string;
  callName: string;
}

/** Calls every operation lets through: reading one's own session and status, logging in and out. */
const ALWAYS_ALLOWED = new Set(['system.status', 'auth.me', 'auth.logout', 'auth.login', 'auth.unlock']);

export class OfficeOperations {
  private running: RunningOperation | null = null;

  constructor(private readonly now: () => Date) {}

  current(): RunningOperation | null {
    return this.running;
  }

  /** Runs `fn` as the operation, or refuses when another one is running. */
  async run<T>(
    callName: string,
    def: OfficeOperationDef,
    input: unknown,
    user: Pick<SessionUser, 'displayName' | 'username'> | null,
    fn: () => Promise<T>,
  ): Promise<T> {
    const period = input && typeof input === 'object' && typeof (input as { period?: unknown }).period === 'string' ? (input as { period: string }).period : null;
    const label = period ? `${def.label} ${period}` : def.label;
    if (this.running) throw this.busy(this.running, `「${label}」`);
    const op: RunningOperation = { label, excludes: def.excludes, by: user?.displayName ?? user?.username ?? '系统', startedAt: this.now().toISOString(), callName };
    this.running = op;
    try {
      return await fn();
    } finally {
      if (this.running === op) this.running = null;
    }
  }

  /** The refusal for `callName` while an operation runs, or null when it may go ahead. */
  refusal(callName: string, def: Pick<CallDef, 'title' | 'write'>): AppError | null {
    const op = this.running;
    if (!op || ALWAYS_ALLOWED.has(callName)) return null;
    const ex = op.excludes;
    const blocked =
      ex === 'everything' ? true : ex === 'writes' ? def.write : def.write && ex.areas.some((a) => callName.startsWith(`${a}.`));
    return blocked ? this.busy(op, `「${def.title}」`) : null;
  }

  private busy(op: RunningOperation, what: string): AppError {
    return new AppError('CONFLICT', `${op.by} 正在进行「${op.label}」（${chinaMinute(op.startedAt)} 开始），${what}暂不能执行，请稍后再试`, {
      details: { operation: { label: op.label, by: op.by, startedAt: op.startedAt } },
    });
  }
}
