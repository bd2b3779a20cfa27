import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, existsSync, mkdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { callDef, isCallName } from '@shared/contract';
import type { SessionUser } from '@shared/contract/admin';
import { AppError, type ApiErrorShape } from '@shared/errors';
import type { Role } from '@shared/roles';
import { DEFAULT_SETTINGS, zHubSettings, type HubSettings } from '@shared/admin/settings';
import {
  appliedMigrationCount,
  kyselyFor,
  migrateToLatest,
  openSqlite,
  pendingMigrationCount,
  quickCheck,
  type Db,
  type SqliteHandle,
} from './db/connection';
import { LATEST_SCHEMA_VERSION } from './db/migrations';
import { openPostgresCore, postgresCallPrelude, postgresTransactionWrote, postgresWrite, sqliteUnavailable } from './db/engine';
import type { AuditEntry, CallContext, Trx } from './api/context';
import { toApiError, validationError } from './api/errors';
import { SessionStore, type SessionClient } from './api/sessions';
import { ChangeFeed, type ChangeEvent } from './api/changes';
import { OFFICE_LOCK_SLOT, OfficeOperations, type OfficeLockRow } from './api/operations';
import { handlers } from './handlers';
import { BackupManager } from './admin/backups';
import { loadSessionUser, toSessionUser } from './admin/users';
import { seedDemo } from './seed';
import { faultPause, faultPoint } from './faults';
import { fullIntegrityCheck, indexOnlyDamage, quickCheckInWorker } from './db/integrity';

export { APP_VERSION } from './version';

/** The Chinese reason when an error means the disk is full or the data cannot be written, else null. */
export function storageProblem(e: unknown): string | null {
  const code = String((e as { code?: unknown })?.code ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return '磁盘空间已满';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return '数据目录或数据库文件为只读';
  return null;
}

/** sqlite's count of rows inserted, updated or deleted on this connection since it opened. */
async function totalChanges(conn: Trx): Promise<number> {
  const r = await sql<{ n: number }>`SELECT total_changes() AS n`.execute(conn);
  return Number(r.rows[0]?.n ?? 0);
}

/** A write call's transaction that changed rows without its audit row: a programming error, rolled back (both engines). */
function unauditedWriteError(call: { callName: string; title: string }): Error {
  return new Error(`调用「${call.title}」(${call.callName})的写入事务没有审计记录，已撤销：写入必须在同一事务中调用 ctx.audit`);
}

function readOnlyError(reason: string): AppError {
  return new AppError('READ_ONLY', `${reason}，目前只能查看，不能保存：请腾出磁盘空间或取消只读后重新启动程序`);
}

export type StartupStep = 'check' | 'upgrade' | 'backup';

export interface CoreOptions {
  /** Folder holding incubase.db, backups/, attachments/, logs/ and keys. */
  dataDir: string;
  /** What to put in a brand-new database: the demo hub (default) or nothing (first-run setup). */
  seed?: 'demo' | 'empty';
  /** Scale factor for the demo data (1 = a realistic small hub). */
  demoScale?: number;
  /** Clock, injectable in tests. */
  now?: () => Date;
  /** Take the daily backup at start (default true). */
  autoBackup?: boolean;
  /** Start-up steps as they begin (the window shows 检查数据库 / 升级 / 备份 while it waits). */
  onProgress?: (step: StartupStep) => void;
  /** The full integrity check after opening: in a worker thread (default) or not at all. */
  integrityCheck?: 'background' | 'off';
  /**
   * A `postgres://…` URL: the hub's data lives in that PostgreSQL database instead of `<dataDir>/incubase.db`
   * (the data folder keeps attachments, keys and logs). See electron/core/db/engine.ts.
   */
  database?: string;
}

export interface IntegrityOutcome {
  status: 'ok' | 'repaired' | 'failed' | 'skipped';
  problems: string[];
  indexes?: string[];
}

/** Whether the folder takes a small write; the reason (Chinese) when it does not. */
function probeWritable(dir: string): { reason: string } | null {
  const probe = join(dir, `.incubase-write-test-${process.pid}`);
  try {
    faultPoint('start.writeProbe');
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
  } catch (e) {
    return { reason: storageProblem(e) ?? `数据目录无法写入(${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const free = freeBytes(dir);
  if (free !== null && free < MIN_FREE_BYTES) return { reason: `磁盘空间已满(剩余 ${mb(free)} MB)` };
  return null;
}

/** Below this the app starts read-only: a write could fail half-way through a call. */
const MIN_FREE_BYTES = 8 * 1024 * 1024;

function freeBytes(dir: string): number | null {
  try {
    faultPoint('start.freeSpace');
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') return 0;
    return null;
  }
}

const mb = (bytes: number) => Math.max(0, Math.floor(bytes / 1024 / 1024));

export interface InvokeResult {
  ok: boolean;
  data?: unknown;
  error?: ApiErrorShape;
  /** Set by a `session: 'create'` call; the transport keeps it (cookie or per-window map), never the page. */
  sessionToken?: string;
  endSession?: boolean;
}

interface CallState {
  trx: Trx | null;
  /** A call declared `write: false`: it reads on the read-only connection and may not open a write. */
  readCall?: { callName: string };
  /** A call declared `write: true`: each transaction it commits must carry an audit row, unless it is `unaudited`. */
  writeCall?: { callName: string; title: string; unaudited: boolean };
  newSessionToken?: string;
  /** Where the call comes from (address, program), recorded on the session a login creates. */
  client?: SessionClient;
  /** Audit rows of the open write transaction: the change feed tells them after COMMIT. */
  changes?: ChangeEvent[];
  /** The call being served (its writes are checked against a running office-wide operation). */
  call?: { name: string; def: { title: string; write: boolean } };
  /** Set while the call is itself an office-wide operation: its own writes pass the lock. */
  officeOpId?: string;
  /**
   * PostgreSQL: the committed settings the dispatcher read with the session (one round trip, db/engine.ts), which
   * `settings()` hands out for the rest of the call; dropped when the call commits a write.
   */
  settings?: HubSettings;
}

/**
 * The headless application: database, services and the dispatcher every transport calls. Runs under plain
 * Node; the Electron main process, the HTTP host, the CLI and the tests all drive this same object.
 */
export class Core {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly backups: BackupManager;
  readonly sessions = new SessionStore();
  /** Committed changes (from the audit rows of each write), for live screens. */
  readonly changes = new ChangeFeed();
  readonly now: () => Date;
  /** The office-wide operation running now (结账, 恢复 …): it shuts out the calls it would invalidate. */
  readonly operations: OfficeOperations;
  sqlite!: SqliteHandle;
  private _db!: Db;
  /**
   * A second connection opened `readonly`: every call declared `write: false` reads through it, so a wrongly
   * declared call fails instead of writing, and reads never queue behind a write transaction on `_db`.
   */
  private readSqlite: SqliteHandle | null = null;
  private _readDb: Db | null = null;
  /** Set when the start-up check failed: only status and recovery calls are served. */
  recovery: { reason: string } | null = null;
  /** Set when the data folder or file cannot be written (read-only, disk full): reads work, writes are refused. */
  readOnly: { reason: string } | null = null;
  /** Failed-login counts while nothing can be written (see users.ts). */
  readonly memoryLoginAttempts = new Map<string, { failed: number; lockedUntil: string | null }>();
  /** What the start-up did that the user should know (a skipped backup, a repaired index, a finished restore). */
  readonly notices: { at: string; message: string }[] = [];
  /** The background full integrity check of the last open (resolves when it is done). */
  integrity: Promise<IntegrityOutcome> | null = null;
  private integrityCancel: (() => void) | null = null;
  private readonly als = new AsyncLocalStorage<CallState>();
  private maintenanceTimer: NodeJS.Timeout | null = null;

  private constructor(private readonly opts: CoreOptions) {
    this.dataDir = opts.dataDir;
    mkdirSync(this.dataDir, { recursive: true });
    try {
      mkdirSync(join(this.dataDir, 'logs'), { recursive: true });
    } catch {
      // a read-only folder: the start-up finds out and opens read-only
    }
    this.dbPath = join(this.dataDir, 'incubase.db');
    this.now = opts.now ?? (() => new Date());
    this.operations = new OfficeOperations({
      now: () => this.now(),
      // In recovery the connections are closed: there is no lock to read, and system.recover must go ahead.
      readDb: () => (this.recovery ? null : (this._readDb ?? this._db ?? null)),
      writeLock: (fn) => this.write(fn, { officeLock: true }),
      log: (level, message, err) => this.log(level, message, err),
    });
    this.backups = new BackupManager(this);
  }

  /** Opens (creating, checking, backing up and migrating as needed) the database in `dataDir`. */
  static async open(opts: CoreOptions): Promise<Core> {
    const core = new Core(opts);
    await core.openDatabase();
    return core;
  }

  /** Which engine holds the data: the embedded SQLite file (default) or a PostgreSQL server. */
  get engine(): 'sqlite' | 'postgres' {
    return this.opts.database ? 'postgres' : 'sqlite';
  }

  /** The PostgreSQL URL the hub lives in (PostgreSQL mode), else null. */
  get databaseUrl(): string | null {
    return this.opts.database ?? null;
  }

  /** Reads go through the current transaction when one is open, so services never deadlock on the connection. */
  get db(): Db {
    const state = this.als.getStore();
    if (state?.trx) return state.trx;
    if (state?.readCall && this._readDb) return this._readDb;
    return this._db;
  }

  /** The read-only connection (long reports and consolidations read here, so other calls keep answering). */
  get readDb(): Db {
    return this._readDb ?? this._db;
  }

  private readonly readCache = new Map<string, { version: number; value: unknown }>();

  /**
   * A read that depends only on the committed data and `key` (the 工作台 figures of a day): computed once per
   * committed state of the file. `PRAGMA data_version` on the read connection changes with every commit made by
   * any other connection — this process's write connection, the CLI, a second server — so a cached value never
   * outlives a change, wherever it was made. Without the read connection nothing is cached.
   */
  async cachedRead<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const read = this.readSqlite;
    if (!read?.open) return fn();
    const version = read.pragma('data_version', { simple: true }) as number;
    const hit = this.readCache.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = await fn();
    if (this.readSqlite === read) {
      if (this.readCache.size > 64) this.readCache.clear();
      this.readCache.set(key, { version, value });
    }
    return value;
  }

  private openReadConnection(): void {
    this.readCache.clear();
    try {
      this.readSqlite = openSqlite(this.dbPath, { readonly: true });
      this._readDb = kyselyFor(this.readSqlite);
    } catch (e) {
      // e.g. a read-only folder without the WAL index: reads share the main connection; ctx.write stays refused.
      this.log('warn', '只读连接无法打开，读取改走主连接', e);
      this.readSqlite = null;
      this._readDb = null;
    }
  }

  /**
   * The start-up sequence. In order: can the folder be written (else read-only); a restore interrupted by a
   * crash is completed or rolled back (its journal); a missing or empty database in a folder that has held a hub
   * goes to recovery (never a new hub); open and `quick_check`; migrate (with a backup first); mark the folder
   * as holding a hub; clean leftovers; the daily backup (skipped with a warning when it does not fit); then the
   * full integrity check in the background (`this.integrity`).
   */
  private async openDatabase(): Promise<void> {
    this.opts.onProgress?.('check');
    this.recovery = null;
    if (this.opts.database) {
      this.sqlite = sqliteUnavailable();
      const opened = await openPostgresCore(this, this.opts.database, this.opts);
      if ('recovery' in opened) return this.enterRecovery(opened.recovery);
      this._db = opened.db;
      // Read calls run on a pool whose transactions are READ ONLY: a read handler that writes is refused there.
      this._readDb = opened.readDb;
      // the daily backup is a pg_dump into the data folder's backups (admin/backups.ts)
      if ((this.opts.autoBackup ?? true) && (await this.isInitialized())) await this.dailyBackup();
      return;
    }
    this.readOnly = probeWritable(this.dataDir);
    if (this.readOnly) this.log('warn', `数据目录不可写，以只读方式打开：${this.readOnly.reason}`);
    try {
      const resumed = this.readOnly ? null : this.backups.resumeInterruptedRestore();
      if (resumed) this.notice(resumed);
    } catch (e) {
      this.enterRecovery(`上次从备份恢复时程序中断，本次启动未能自动完成：${(e as Error).message}`);
      return;
    }
    if (this.readOnly && existsSync(this.backups.journalPath)) {
      this.enterRecovery('上次从备份恢复时程序中断，但数据目录不可写，无法完成恢复：请取消只读或腾出磁盘空间后重新启动');
      return;
    }
    const size = existsSync(this.dbPath) ? statSync(this.dbPath).size : -1;
    if (size <= 0 && this.backups.folderHeldHub()) {
      this.enterRecovery(
        size < 0
          ? '数据库文件 incubase.db 不见了(可能被删除、移走或恢复中断)。这个数据目录曾经保存过基地数据，系统不会新建空的基地。'
          : '数据库文件 incubase.db 是空的(0 字节)。这个数据目录曾经保存过基地数据，系统不会把它当作新安装。',
      );
      return;
    }
    const isNew = size <= 0;
    if (isNew && this.readOnly) {
      this.enterRecovery(`无法新建数据库：${this.readOnly.reason}`);
      return;
    }
    let sqlite: SqliteHandle;
    try {
      sqlite = this.openFile(isNew);
    } catch (e) {
      this.enterRecovery(`无法打开数据库文件：${(e as Error).message}`);
      return;
    }
    const problem = isNew ? null : await this.startupQuickCheck(sqlite);
    if (problem) {
      sqlite.close();
      this.enterRecovery(`数据库完整性检查未通过：${problem}`);
      return;
    }
    this.sqlite = sqlite;
    this._db = kyselyFor(sqlite);
    const applied = isNew ? 0 : appliedMigrationCount(sqlite);
    if (applied > LATEST_SCHEMA_VERSION) {
      this.enterRecovery('数据库由更新版本的程序创建，请升级本程序后再打开');
      return;
    }
    if (pendingMigrationCount(sqlite) > 0) {
      this.opts.onProgress?.('upgrade');
      if (this.readOnly) {
        this.enterRecovery(`数据库需要升级到本程序的版本，但${this.readOnly.reason}，无法升级：请腾出空间或取消只读后重新启动`);
        return;
      }
      try {
        const upgrade = async () => {
          if (applied > 0) await this.backups.create(`pre-migrate-v${applied}`);
          await migrateToLatest(this._db, sqlite);
        };
        // From 0021 on the upgrade holds the office-wide lock: other processes on the file wait it out.
        if (sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'office_lock'").get())
          await this.operations.run('system.migrate', { label: '数据库升级', excludes: 'everything' }, {}, null, upgrade);
        else await upgrade();
      } catch (e) {
        if (!storageProblem(e)) throw e;
        this.enterRecovery(`数据库需要升级，但${storageProblem(e)}，升级前的备份或升级本身无法写入：请腾出空间后重新启动`);
        return;
      }
    }
    if (isNew && (this.opts.seed ?? 'demo') === 'demo') {
      await seedDemo(this, { scale: this.opts.demoScale ?? 1 });
    }
    if (!this.readOnly) {
      const hub = await this._db.selectFrom('hub').select('hub_id').executeTakeFirst();
      try {
        if (hub) this.backups.markHubPresent(hub.hub_id);
        for (const f of this.backups.cleanLeftovers()) this.log('info', `启动时清理残留文件：${f}`);
      } catch (e) {
        if (!this.storageFailed(e)) throw e;
      }
    }
    this.opts.onProgress?.('backup');
    if ((this.opts.autoBackup ?? true) && (await this.isInitialized())) await this.dailyBackup();
    this.openReadConnection();
    if (!isNew && (this.opts.integrityCheck ?? 'background') === 'background') this.startIntegrityCheck();
  }

  /**
   * `quick_check` of the start-up, in a worker thread so the event loop stays free (the host serves the page and
   * answers 正在启动 meanwhile). A verdict of "damaged" or a worker that could not run is checked again on the
   * app's own connection, so only that connection's answer ever sends a file to recovery.
   */
  private async startupQuickCheck(sqlite: SqliteHandle): Promise<string | null> {
    await faultPause('start.check');
    const inWorker = await quickCheckInWorker(this.dbPath).catch(() => 'worker');
    return inWorker === null ? null : quickCheck(sqlite);
  }

  /** Opens the file for writing, or read-only when the file or folder cannot be written. */
  private openFile(isNew: boolean): SqliteHandle {
    if (this.readOnly) return openSqlite(this.dbPath, { readonly: true });
    try {
      return openSqlite(this.dbPath);
    } catch (e) {
      const reason = storageProblem(e) ?? (!isNew && (e as { code?: string }).code === 'SQLITE_CANTOPEN' ? '数据库文件无法以写入方式打开' : null);
      if (!reason) throw e;
      this.readOnly = { reason };
      this.log('warn', `数据库文件不可写，以只读方式打开：${reason}`, e);
      return openSqlite(this.dbPath, { readonly: true });
    }
  }

  /** The daily backup at start: skipped with a warning when read-only or when it would not fit, never fatal. */
  private async dailyBackup(): Promise<void> {
    if (this.readOnly) {
      this.notice(`今天的自动备份没有做：${this.readOnly.reason}`);
      return;
    }
    const free = freeBytes(this.dataDir);
    // (PostgreSQL: the dump is compressed and far smaller than the server's files; only the margin is asked)
    const need = (this.engine === 'sqlite' ? statSync(this.dbPath).size : 0) + 32 * 1024 * 1024;
    if (free !== null && free < need && this.backups.dailyDue()) {
      this.notice(`今天的自动备份已跳过：磁盘剩余空间 ${mb(free)} MB，备份约需 ${mb(need)} MB。请尽快腾出空间。`);
      this.log('warn', '磁盘空间不足，跳过每日备份', { free, need });
      return;
    }
    try {
      await this.backups.dailyIfDue();
    } catch (e) {
      const reason = storageProblem(e);
      if (!reason) throw e;
      this.backups.cleanLeftovers();
      this.notice(`今天的自动备份没有做成：${reason}。请尽快腾出空间。`);
      this.log('warn', '每日备份失败，已跳过', e);
    }
  }

  /**
   * The full integrity check after opening (in a worker thread, see db/integrity.ts). Damage only in indexes is
   * repaired with REINDEX, checked again, logged, audited and reported; anything else sends the app to the
   * recovery screen, as a failed start-up check does.
   */
  private startIntegrityCheck(): void {
    const check = fullIntegrityCheck(this.dbPath);
    this.integrityCancel = check.cancel;
    this.integrity = check.done
      .then(async (problems): Promise<IntegrityOutcome> => {
        if (!problems.length) return { status: 'ok', problems };
        const indexes = this.readOnly ? null : indexOnlyDamage(this.sqlite, problems);
        if (indexes) {
          let again: string[];
          try {
            faultPoint('integrity.reindex');
            for (const name of indexes) this.sqlite.exec(`REINDEX "${name.replace(/"/g, '""')}"`);
            again = await fullIntegrityCheck(this.dbPath).done;
          } catch (e) {
            // The repair itself failed: the damage stands, so the file is not served.
            this.log('error', '重建索引失败', e);
            again = problems;
          }
          if (!again.length) {
            // A changed byte in a table's indexed column looks the same as one in the index: name the rows, so
            // someone checks them (or restores a backup) rather than trusting the rebuilt index blindly.
            const tableOf = (index: string) =>
              (this.sqlite.prepare('SELECT tbl_name FROM sqlite_master WHERE name = ?').get(index) as { tbl_name: string } | undefined)?.tbl_name ?? index;
            const rows = [
              ...new Set(
                problems.map((p) => /^row (\d+) missing from index (\S+)/.exec(p)).flatMap((m) => (m ? [`${tableOf(m[2])} 第 ${m[1]} 行`] : [])),
              ),
            ];
            const summary =
              `完整性检查发现索引损坏，已自动重建索引：${indexes.join('、')}` +
              (rows.length ? `；涉及的记录(${rows.slice(0, 10).join('、')}${rows.length > 10 ? ' 等' : ''})请核对，如有异常请从备份恢复` : '');
            this.log('warn', summary, problems);
            await this.write((trx) => this.audit(trx, null, 'system.integrity', { entity: 'database', summary, before: problems.slice(0, 20) }));
            this.notice(summary);
            return { status: 'repaired', problems, indexes };
          }
          problems = again;
        }
        await this.failIntegrity(problems);
        return { status: 'failed', problems };
      })
      .catch((e: unknown): IntegrityOutcome => {
        this.log('warn', '后台完整性检查未能完成', e);
        return { status: 'skipped', problems: [] };
      })
      .finally(() => (this.integrityCancel = null));
  }

  private async failIntegrity(problems: string[]): Promise<void> {
    this.sessions.clear();
    const reason = `数据库完整性检查(完整检查)未通过：${problems.slice(0, 5).join('; ')}`;
    this.enterRecovery(reason);
    if (this._readDb) await this._readDb.destroy().catch(() => undefined);
    if (this.readSqlite?.open) this.readSqlite.close();
    this._readDb = null;
    this.readSqlite = null;
    if (this._db) await this._db.destroy().catch(() => undefined);
    if (this.sqlite?.open) this.sqlite.close();
  }

  private enterRecovery(reason: string): void {
    this.recovery = { reason };
    this.log('error', reason);
  }

  /** A sentence shown once to whoever opens the app (system.status), e.g. a skipped backup or a repair. */
  notice(message: string): void {
    this.notices.push({ at: this.now().toISOString(), message });
    if (this.notices.length > 20) this.notices.shift();
  }

  /** Closes the file so a restore can swap it; `reopen` follows. */
  async closeForRestore(): Promise<void> {
    this.sessions.clear();
    await this.closeDatabase();
  }

  /** Re-opens the database file after a restore. Sessions end: everyone logs in again. */
  async reopen(): Promise<void> {
    this.sessions.clear();
    await this.closeDatabase();
    await this.openDatabase();
  }

  private async closeDatabase(): Promise<void> {
    this.integrityCancel?.();
    await this.integrity?.catch(() => undefined);
    if (this._readDb) await this._readDb.destroy().catch(() => undefined);
    if (this.readSqlite?.open) this.readSqlite.close();
    this._readDb = null;
    this.readSqlite = null;
    if (this.sqlite?.open && !this.readOnly && !this.recovery) {
      try {
        // Fold the WAL back into the file so the .db alone is complete, and leave it in rollback-journal mode:
        // a WAL file without its -shm cannot be opened from a read-only folder (a CD, a read-only share).
        this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
        this.sqlite.pragma('journal_mode = DELETE');
      } catch (e) {
        this.log('warn', '关闭数据库时未能合并日志', e);
      }
    }
    if (this._db) await this._db.destroy().catch(() => undefined);
    if (this.sqlite?.open) this.sqlite.close();
  }

  async close(): Promise<void> {
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    this.sessions.clear();
    await this.closeDatabase();
  }

  /** Hourly: the daily backup for apps left running for days. */
  startMaintenance(): void {
    this.maintenanceTimer = setInterval(() => {
      if (!this.recovery) void this.dailyBackup().catch((e) => this.log('error', '自动备份失败', e));
    }, 60 * 60 * 1000);
    this.maintenanceTimer.unref();
  }

  async isInitialized(): Promise<boolean> {
    const row = await this._db.selectFrom('hub').select('id').executeTakeFirst();
    return !!row;
  }

  /**
   * The hub's settings. Every authenticated call needs them (the idle lock), so outside a write transaction they
   * are read once per committed state of the file ({@link cachedRead}: any commit, from any connection or process,
   * reads them again) and each caller gets its own copy; inside one, from the transaction (it may just have changed them).
   */
  async settings(): Promise<HubSettings> {
    const state = this.als.getStore();
    if (state?.trx) return this.readSettings();
    if (state?.settings) return structuredClone(state.settings);
    return structuredClone(await this.cachedRead('core.settings', () => this.readSettings()));
  }

  private async readSettings(): Promise<HubSettings> {
    return settingsFromRows(await this.db.selectFrom('settings').selectAll().execute());
  }

  log(level: 'info' | 'warn' | 'error', message: string, err?: unknown): void {
    const line = JSON.stringify({
      at: new Date().toISOString(),
      level,
      message,
      error: err instanceof Error ? { message: err.message, stack: err.stack } : err,
    });
    try {
      appendFileSync(join(this.dataDir, 'logs', 'incubase.log'), line + '\n');
    } catch {
      // logging must never break a call
    }
    if (level === 'error' && process.env.INCUBASE_LOG_STDERR) process.stderr.write(line + '\n');
  }

  /**
   * Runs `fn` in one BEGIN IMMEDIATE transaction: the write lock is taken up front, so two writers (another
   * process included) queue instead of failing half-way. Nested calls join the open transaction. Inside the
   * transaction a running office-wide operation (any process) refuses the calls it shuts out; `officeLock` is
   * for the lock's own bookkeeping.
   */
  async write<T>(fn: (trx: Trx) => Promise<T>, opts?: { officeLock?: boolean }): Promise<T> {
    const state = this.als.getStore();
    if (state?.trx) return fn(state.trx);
    if (state?.readCall) {
      // A programming error, not a user's: the contract must declare the call `write: true` (and audit it).
      throw new Error(`调用「${state.readCall.callName}」在契约中声明为只读(write: false)，却试图写入数据库`);
    }
    if (this.readOnly) throw readOnlyError(this.readOnly.reason);
    if (this.opts.database) {
      return postgresWrite(this._db, (conn) => {
        const inner: CallState = { ...(state ?? {}), trx: conn, changes: [] };
        const call = inner.writeCall && !inner.writeCall.unaudited && !opts?.officeLock ? inner.writeCall : null;
        return {
          run: async () => {
            if (!opts?.officeLock) await this.operations.guard(conn, state?.call, state?.officeOpId);
            const result = await this.als.run(inner, () => fn(conn));
            // The same rule as on SQLite (below): changed rows need an audit row; only a call that wrote none is checked.
            if (call && inner.changes!.length === 0 && (await postgresTransactionWrote(conn))) throw unauditedWriteError(call);
            return result;
          },
          committed: () => {
            if (state) {
              state.newSessionToken = inner.newSessionToken ?? state.newSessionToken;
              state.settings = undefined; // the write may have changed them
            }
            this.changes.emit(inner.changes!);
          },
        };
      });
    }
    return this._db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      const inner: CallState = { ...(state ?? {}), trx: conn, changes: [] };
      // The office lock's own bookkeeping (taking, beating, releasing the lock) is not the call's change.
      const call = inner.writeCall && !inner.writeCall.unaudited && !opts?.officeLock ? inner.writeCall : null;
      try {
        if (!opts?.officeLock) await this.operations.guard(conn, state?.call, state?.officeOpId);
        // Rows changed by this transaction (triggers included): a write call's transaction that changed any
        // must carry an audit row; one that only read (a lookup that found its row) commits as it is.
        const changedBefore = call ? await totalChanges(conn) : 0;
        const result = await this.als.run(inner, () => fn(conn));
        if (call && inner.changes!.length === 0 && (await totalChanges(conn)) !== changedBefore) {
          // A programming error: the handler changed data without saying so in the audit log. Nothing is kept.
          throw unauditedWriteError(call);
        }
        await sql`COMMIT`.execute(conn);
        if (state) state.newSessionToken = inner.newSessionToken ?? state.newSessionToken;
        this.changes.emit(inner.changes!);
        return result;
      } catch (e) {
        await sql`ROLLBACK`.execute(conn).catch(() => undefined);
        if (this.storageFailed(e)) throw readOnlyError(this.readOnly!.reason);
        throw e;
      }
    });
  }

  /**
   * True when `e` says the disk is full or the file/folder cannot be written; the core then turns read-only
   * (the banner shows, later writes are refused at once) rather than failing call after call.
   */
  storageFailed(e: unknown): boolean {
    const reason = storageProblem(e);
    if (!reason) return false;
    if (!this.readOnly) {
      this.readOnly = { reason };
      this.log('error', `转为只读：${reason}`, e);
    }
    return true;
  }

  async audit(trx: Trx, user: SessionUser | null, callName: string, entry: AuditEntry): Promise<void> {
    const at = this.now().toISOString();
    const username = entry.actor?.username ?? user?.username ?? null;
    this.als.getStore()?.changes?.push({ entity: entry.entity, id: entry.entityId ?? null, action: entry.action ?? callName, who: username, at });
    await trx
      .insertInto('audit_log')
      .values({
        at,
        user_id: entry.actor?.id ?? user?.id ?? null,
        username,
        action: entry.action ?? callName,
        entity: entry.entity,
        entity_id: entry.entityId ?? null,
        summary: entry.summary,
        before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
        after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
      })
      .execute();
  }

  /** Called by the login handler: the token travels back to the transport, not to the page. */
  startSession(userId: string): void {
    const state = this.als.getStore();
    if (!state) throw new Error('startSession outside a call');
    state.newSessionToken = this.sessions.create(userId, this.now().getTime(), state.client);
  }

  /** The dispatcher for transports: authenticate the session token, then dispatch. */
  async invoke(name: string, rawInput: unknown, token?: string | null, client?: SessionClient): Promise<InvokeResult> {
    return this.dispatch(name, rawInput, { token: token ?? null, client });
  }

  /**
   * Runs a call as a given user without a session (the CLI, which acts for the operator at the machine).
   * Role checks, validation and audit apply as for any call.
   */
  async invokeAs(user: SessionUser, name: string, rawInput: unknown): Promise<InvokeResult> {
    return this.dispatch(name, rawInput, { token: null, user });
  }

  /** Validate, authenticate, authorize, run, validate the output, map errors. */
  private async dispatch(name: string, rawInput: unknown, who: { token: string | null; user?: SessionUser; client?: SessionClient }): Promise<InvokeResult> {
    const state: CallState = { trx: null, client: who.client };
    const token = who.token;
    return this.als.run(state, async () => {
      try {
        if (!isCallName(name)) throw new AppError('UNKNOWN_CALL', `未知的调用：${String(name).slice(0, 64)}`);
        const def = callDef(name);
        state.call = { name, def };
        // A read call reads (its session check included) on the read-only connection and may not open ctx.write.
        if (!def.write) state.readCall = { callName: name };
        else state.writeCall = { callName: name, title: def.title, unaudited: def.unaudited !== undefined };
        if (this.recovery && name !== 'system.status' && name !== 'system.recover')
          throw new AppError('RULE', '数据库检查未通过，请先从备份恢复');
        let user: SessionUser | null = who.user ?? null;
        let lockRead: { lock: OfficeLockRow | null } | undefined;
        if (def.access !== 'public' && !who.user) {
          const allowLocked = name === 'auth.unlock' || name === 'auth.logout';
          if (this.opts.database) {
            // PostgreSQL: settings, the session's user and the office lock in one round trip (db/engine.ts)
            const pre = await postgresCallPrelude<OfficeLockRow>(this.db, this.sessions.peek(token)?.userId ?? null, OFFICE_LOCK_SLOT);
            state.settings = settingsFromRows(pre.settings);
            lockRead = { lock: pre.lock };
            const session = this.sessions.touch(token, this.now().getTime(), state.settings.idleLockMinutes * 60_000, allowLocked);
            user = pre.user && pre.user.id === session.userId && !pre.user.disabled ? toSessionUser(pre.user) : null;
          } else {
            const settings = await this.settings();
            const session = this.sessions.touch(token, this.now().getTime(), settings.idleLockMinutes * 60_000, allowLocked);
            user = await loadSessionUser(this.db, session.userId);
          }
          if (!user) {
            this.sessions.end(token);
            throw new AppError('UNAUTHENTICATED', '账户已停用或不存在，请联系管理员');
          }
        }
        if (Array.isArray(def.access) && !user?.roles.some((r) => (def.access as readonly Role[]).includes(r)))
          throw new AppError('FORBIDDEN', `您的角色无权执行「${def.title}」`);
        const parsed = def.input.safeParse(rawInput ?? {});
        if (!parsed.success) throw validationError(parsed.error, name);
        const busy = await this.operations.refusal(name, def, lockRead);
        if (busy) throw busy;
        const ctx = this.context(name, user, token);
        const handler = handlers[name] as (c: CallContext, i: unknown) => unknown;
        const out = def.office
          ? await this.operations.run(name, def.office, parsed.data, user, async (opId) => {
              state.officeOpId = opId;
              return handler(ctx, parsed.data);
            })
          : await handler(ctx, parsed.data);
        const checked = def.output.safeParse(out);
        if (!checked.success) {
          this.log('error', `输出不符合契约：${name}`, checked.error.issues.slice(0, 5));
          throw new AppError('INTERNAL', '系统内部错误：返回数据不符合约定，详情已写入日志');
        }
        return {
          ok: true,
          data: checked.data,
          sessionToken: def.session === 'create' ? state.newSessionToken : undefined,
          endSession: def.session === 'destroy' ? true : undefined,
        };
      } catch (e) {
        return { ok: false, error: toApiError(e, (err) => this.log('error', `调用失败：${name}`, err)) };
      }
    });
  }

  private context(callName: string, user: SessionUser | null, token: string | null): CallContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const core = this;
    return {
      core,
      get db() {
        return core.db;
      },
      user,
      callName,
      token,
      now: () => core.now(),
      write: (fn) => core.write(fn),
      audit: (trx, entry) => core.audit(trx, user, callName, entry),
      requireUser: () => {
        if (!user) throw new AppError('UNAUTHENTICATED', '尚未登录');
        return user;
      },
      hasRole: (...roles) => !!user && user.roles.some((r) => roles.includes(r)),
    };
  }
}

/** The hub's settings from the `settings` rows (key, JSON text): the defaults where a key has no row. */
function settingsFromRows(rows: { key: string; value: string }[]): HubSettings {
  const raw: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) raw[r.key] = JSON.parse(r.value);
  return zHubSettings.parse(raw);
}
