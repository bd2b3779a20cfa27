/**
 * Office-wide operations (结账, 反结账, 从备份恢复, 数据库升级): one at a time on a data file, and while one runs
 * the calls it would invalidate are refused at once with a message naming the operation and who started it,
 * instead of queueing behind it or slipping in between its steps (用友 T3: 结账 shuts out every entry).
 *
 * A call declares itself an operation in the contract (`office` in `shared/contract/define.ts`); the dispatcher
 * runs it through `run` and asks `refusal` before every other call, and `core.write` asks `guard` inside every
 * write transaction. The lock is a row of `office_lock` (0021), taken and released in write transactions, so
 * every process on the file sees it — the office server, a second server, the CLI, the desktop app — and a write
 * that commits after the operation began has seen it (BEGIN IMMEDIATE orders the two). Within this process the
 * running operation is also kept in memory, so the calls arriving while the row is being taken are refused too.
 *
 * A lock whose process died (a crash, a kill, a power cut) must not shut the office out: the row names its
 * owner (a per-process id), host, pid, the host's boot time and a heartbeat, and `lockIsStale` decides.
 * The lock row is bookkeeping like a session, not business data: it has no audit row (the operation audits itself).
 */
import { randomUUID } from 'node:crypto';
import { hostname, uptime } from 'node:os';
import type { CallDef, OfficeOperationDef } from '@shared/contract/define';
import type { SessionUser } from '@shared/contract/admin';
import { AppError } from '@shared/errors';
import type { Db } from '../db/connection';
import type { OfficeLockTable } from '../db/schema';
import type { Trx } from './context';
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

/** How often the running operation's process refreshes `heartbeat_at`. */
export const HEARTBEAT_MS = 15_000;
/** A lock from another host whose heartbeat is older than this is taken as left by a dead process. */
export const HEARTBEAT_STALE_MS = 90_000;
/** Two boot times computed from uptime differ by rounding and clock steps; more than this means a reboot. */
const BOOT_SLACK_MS = 120_000;

/** Who holds a lock: this process, on this host since this boot. */
export interface ProcessIdentity {
  owner: string;
  host: string;
  pid: number;
  bootAt: string;
}

export function thisProcess(): ProcessIdentity {
  return { owner: randomUUID(), host: hostname(), pid: process.pid, bootAt: new Date(Date.now() - uptime() * 1000).toISOString() };
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockRow = Pick<OfficeLockTable, 'op_id' | 'owner' | 'host' | 'pid' | 'boot_at' | 'heartbeat_at'>;

/**
 * Whether the lock row was left by a process that no longer runs it:
 * - ours (same process id) but not the operation we run now: left by an operation of ours that ended without
 *   releasing it, or carried in by a restored backup;
 * - same host: the host rebooted since (boot time moved), or no process has that pid. A live pid counts as alive
 *   however old its heartbeat: a long transaction of the operation itself delays the heartbeat;
 * - another host (a data file on a share): its heartbeat stopped more than `HEARTBEAT_STALE_MS` ago.
 */
export function lockIsStale(row: LockRow, me: ProcessIdentity & { runningOpId: string | null }, nowMs: number, alive: (pid: number) => boolean = pidAlive): boolean {
  if (row.owner === me.owner) return row.op_id !== me.runningOpId;
  if (row.host === me.host) {
    if (Math.abs(Date.parse(row.boot_at) - Date.parse(me.bootAt)) > BOOT_SLACK_MS) return true;
    return !alive(row.pid);
  }
  return !(nowMs - Date.parse(row.heartbeat_at) <= HEARTBEAT_STALE_MS);
}

/** What the lock needs from the core. */
export interface OperationsHost {
  now: () => Date;
  /** The connection that sees committed data (the read connection), null while the file is closed. */
  readDb: () => Db | null;
  /** A write transaction the lock does not guard (taking, refreshing and releasing the lock itself). */
  writeLock: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>;
  log: (level: 'info' | 'warn' | 'error', message: string, err?: unknown) => void;
}

type CallInfo = Pick<CallDef, 'title' | 'write'>;
type Running = RunningOperation & { id: string };
type FullRow = OfficeLockTable;
/** The office lock's row as the dispatcher may have read it already (PostgreSQL's call prelude, db/engine.ts). */
export type OfficeLockRow = FullRow;

const SLOT = 'office';
/** The office lock's one row (`office_lock.slot`). */
export const OFFICE_LOCK_SLOT = SLOT;

export class OfficeOperations {
  private running: Running | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  readonly me: ProcessIdentity;

  constructor(
    private readonly host: OperationsHost,
    me: ProcessIdentity = thisProcess(),
  ) {
    this.me = me;
  }

  /** The operation this process runs now. */
  current(): RunningOperation | null {
    return this.running;
  }

  /**
   * Runs `fn` as the operation, or refuses when another one is running here or in any process on the file.
   * `fn` gets the operation's id: the calls made for it pass the guard (`guard(..., ownOpId)`).
   */
  async run<T>(
    callName: string,
    def: OfficeOperationDef,
    input: unknown,
    user: Pick<SessionUser, 'displayName' | 'username'> | null,
    fn: (opId: string) => Promise<T>,
  ): Promise<T> {
    const period = input && typeof input === 'object' && typeof (input as { period?: unknown }).period === 'string' ? (input as { period: string }).period : null;
    const label = period ? `${def.label} ${period}` : def.label;
    if (this.running) throw this.busy(this.running, `「${label}」`);
    const op: Running = { id: randomUUID(), label, excludes: def.excludes, by: user?.displayName ?? user?.username ?? '系统', startedAt: this.host.now().toISOString(), callName };
    this.running = op;
    try {
      await this.take(op, `「${label}」`);
    } catch (e) {
      if (this.running === op) this.running = null;
      throw e;
    }
    this.heartbeat = setInterval(() => void this.beat(op), HEARTBEAT_MS);
    this.heartbeat.unref();
    try {
      return await fn(op.id);
    } finally {
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      if (this.running === op) this.running = null;
      await this.release(op);
    }
  }

  /**
   * The refusal for `callName` while an operation runs (here or elsewhere), or null when it may go ahead.
   * `prefetched`: the lock row the dispatcher read in the same round trip as the session (PostgreSQL).
   */
  async refusal(callName: string, def: CallInfo, prefetched?: { lock: FullRow | null }): Promise<AppError | null> {
    if (ALWAYS_ALLOWED.has(callName)) return null;
    if (this.running) return this.refusalFor(this.running, callName, def);
    const db = this.host.readDb();
    if (!db) return null;
    const row = prefetched ? prefetched.lock : await readLock(db);
    return row && !this.stale(row) ? this.refusalFor(rowOperation(row), callName, def) : null;
  }

  /**
   * Inside a write transaction of the call `call` (none: the core's own writes): refuses when an operation that
   * is not this call's own shuts it out. Reading the row inside the transaction closes the gap between the
   * dispatcher's check and the commit.
   */
  async guard(trx: Trx, call: { name: string; def: CallInfo } | undefined, ownOpId: string | undefined): Promise<void> {
    if (!call || ALWAYS_ALLOWED.has(call.name)) return;
    if (this.running && this.running.id !== ownOpId) {
      const e = this.refusalFor(this.running, call.name, call.def);
      if (e) throw e;
    }
    const row = await readLock(trx);
    if (!row || row.op_id === ownOpId || this.stale(row)) return;
    const e = this.refusalFor(rowOperation(row), call.name, call.def);
    if (e) throw e;
  }

  private stale(row: LockRow): boolean {
    return lockIsStale(row, { ...this.me, runningOpId: this.running?.id ?? null }, Date.now());
  }

  private async take(op: Running, what: string): Promise<void> {
    await this.host.writeLock(async (trx) => {
      const row = await readLock(trx);
      if (row && !this.stale(row)) throw this.busy(rowOperation(row), what);
      if (row) {
        this.host.log('warn', `「${row.label}」的锁由已不在运行的进程留下(${row.host} pid ${row.pid})，已清除`, row);
        await trx.deleteFrom('office_lock').where('slot', '=', SLOT).execute();
      }
      const at = new Date().toISOString();
      await trx
        .insertInto('office_lock')
        .values({
          slot: SLOT,
          op_id: op.id,
          call_name: op.callName,
          label: op.label,
          excludes_json: JSON.stringify(op.excludes),
          by_name: op.by,
          started_at: op.startedAt,
          owner: this.me.owner,
          host: this.me.host,
          pid: this.me.pid,
          boot_at: this.me.bootAt,
          heartbeat_at: at,
        })
        .execute();
    });
  }

  private async beat(op: Running): Promise<void> {
    try {
      await this.host.writeLock((trx) => trx.updateTable('office_lock').set({ heartbeat_at: new Date().toISOString() }).where('op_id', '=', op.id).execute());
    } catch (e) {
      // e.g. the file is closed for a restore: the next beat, or the release, follows
      this.host.log('warn', `「${op.label}」的锁未能刷新`, e);
    }
  }

  private async release(op: Running): Promise<void> {
    try {
      // Ours, and any row older than ours: none can be a live operation (ours excluded them while it ran), so it
      // came in with the file a restore brought back (a backup taken while an operation held the lock).
      await this.host.writeLock((trx) =>
        trx
          .deleteFrom('office_lock')
          .where((eb) => eb.or([eb('op_id', '=', op.id), eb('started_at', '<', op.startedAt)]))
          .execute(),
      );
    } catch (e) {
      // A row left behind is ours and no longer running: lockIsStale clears it.
      this.host.log('warn', `「${op.label}」结束时未能释放锁`, e);
    }
  }

  private refusalFor(op: RunningOperation, callName: string, def: CallInfo): AppError | null {
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

function rowOperation(row: FullRow): RunningOperation {
  return { label: row.label, excludes: JSON.parse(row.excludes_json) as RunningOperation['excludes'], by: row.by_name, startedAt: row.started_at, callName: row.call_name };
}

/** The lock row, or null (also before migration 0021 has run on this file). */
async function readLock(db: Db | Trx): Promise<FullRow | null> {
  try {
    return (await db.selectFrom('office_lock').selectAll().where('slot', '=', SLOT).executeTakeFirst()) ?? null;
  } catch (e) {
    if (/no such table/i.test(String((e as Error).message))) return null;
    throw e;
  }
}
