import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BackupInfo } from '@shared/contract/admin';
import { fail } from '@shared/errors';
import { openSqlite, quickCheck } from '../db/connection';
import type { Core } from '../core';
import { faultPoint } from '../faults';
import { checkPgDump, pgDump, pgRestore } from './pgBackups';

const NAME = /^incubase-(\d{8})-(\d{6})(\d{3})?-([a-z0-9-]+)\.(db|pgdump)$/;

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(
    d.getUTCSeconds(),
  )}${p(d.getUTCMilliseconds(), 3)}`;
}

/**
 * Online backups with better-sqlite3's backup API into `<dataDir>/backups`, named by UTC time and reason.
 * Restores keep the replaced file beside the database, so a wrong restore can be undone by hand.
 * PostgreSQL mode (the core on a `postgres://` URL): the same list, names and keep rule, but each backup is a
 * `pg_dump --format=custom` file (`….pgdump`) and a restore is `pg_restore --clean` in one transaction into the
 * same database; what it replaced is the pre-restore dump (see `./pgBackups.ts`).
 */
export class BackupManager {
  constructor(private readonly core: Core) {}

  private get pg(): string | null {
    return this.core.engine === 'postgres' ? this.core.databaseUrl! : null;
  }

  /** This engine's backup files: SQLite copies on SQLite, dumps on PostgreSQL. */
  private get ext(): string {
    return this.pg ? '.pgdump' : '.db';
  }

  get dir(): string {
    return join(this.core.dataDir, 'backups');
  }

  list(): BackupInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((fileName) => ({ fileName, m: NAME.exec(fileName) }))
      .filter((x): x is { fileName: string; m: RegExpExecArray } => !!x.m && x.fileName.endsWith(this.ext))
      .map(({ fileName, m }) => {
        const [, d, t, ms, reason] = m;
        const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.${ms ?? '000'}Z`;
        return { fileName, sizeBytes: statSync(join(this.dir, fileName)).size, createdAt: iso, reason };
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async create(reason: string): Promise<BackupInfo> {
    mkdirSync(this.dir, { recursive: true });
    const fileName = `incubase-${stamp(this.core.now())}-${reason}${this.ext}`;
    const target = join(this.dir, fileName);
    const partial = `${target}.partial`;
    // Written under a temporary name first: a half-written backup must never look like a good one.
    // 2,048 pages (8 MB) per step: a 1 GB file copies quickly, and calls still get served between steps.
    try {
      faultPoint('backup.copy');
      const pg = this.pg;
      if (pg) await pgDump(pg, partial);
      else await this.core.sqlite.backup(partial, { progress: () => 2048 });
      faultPoint('backup.rename');
      renameSync(partial, target);
    } catch (e) {
      rmSync(partial, { force: true });
      throw e;
    }
    await this.prune();
    return { fileName, sizeBytes: statSync(target).size, createdAt: this.core.now().toISOString(), reason };
  }

  /** The start-up rule: a new backup when the newest is older than 24 hours. */
  async dailyIfDue(): Promise<BackupInfo | null> {
    if (!this.dailyDue()) return null;
    return this.create('daily');
  }

  dailyDue(): boolean {
    const newest = this.list()[0];
    return !newest || this.core.now().getTime() - new Date(newest.createdAt).getTime() >= 24 * 3600 * 1000;
  }

  private async prune(): Promise<void> {
    let keep = 30;
    try {
      const row = await this.core.db.selectFrom('settings').select('value').where('key', '=', 'backupKeep').executeTakeFirst();
      if (row) keep = Number(JSON.parse(row.value)) || keep;
    } catch {
      // settings unreadable: keep the default
    }
    for (const b of this.list().slice(keep)) rmSync(join(this.dir, b.fileName), { force: true });
  }

  /** Resolves a file name from the list, refusing anything that is not one of our backups (no paths). */
  private resolve(fileName: string): string {
    if (basename(fileName) !== fileName || !NAME.test(fileName)) throw fail.validation(`备份文件名无效：${fileName}`);
    const full = join(this.dir, fileName);
    if (!existsSync(full)) throw fail.notFound(`备份「${fileName}」`);
    return full;
  }

  /** Sound backups, newest first (each opened read-only and checked). */
  goodBackups(): BackupInfo[] {
    return this.list().filter((b) => this.check(join(this.dir, b.fileName)) === null);
  }

  private check(file: string): string | null {
    if (this.pg) return checkPgDump(file);
    try {
      const db = openSqlite(file, { readonly: true });
      try {
        return quickCheck(db);
      } finally {
        db.close();
      }
    } catch (e) {
      return (e as Error).message;
    }
  }

  get journalPath(): string {
    return `${this.core.dbPath}.restore-journal.json`;
  }

  /**
   * Replaces the database with a backup, crash-safe at every step:
   * 1. the backup is checked and copied to `incubase.db.restoring` (fsynced);
   * 2. a journal (`incubase.db.restore-journal.json`, written to a temporary name, fsynced, renamed) records the
   *    swap about to happen: from which backup, the staging file, the name the current file will keep;
   * 3. the database is closed, `incubase.db` (and any -wal/-shm) renamed to `incubase.db.replaced-<time>`,
   *    the staging file renamed to `incubase.db`, the folder fsynced, and the journal removed.
   * A crash before the journal exists leaves the database untouched (the staging copy is cleaned up at the next
   * start); a crash after it is completed by the next start (`resumeInterruptedRestore`). An error in this
   * process at any step does the same at once, through the reopen.
   */
  async restore(fileName: string, preRestore?: BackupInfo): Promise<{ keptAs: string }> {
    const source = this.resolve(fileName);
    const problem = this.check(source);
    if (problem) throw fail.rule(`备份文件已损坏，不能用于恢复：${problem}`);
    if (this.pg) return this.restorePostgres(fileName, source, preRestore);
    const db = this.core.dbPath;
    const keptAs = `incubase.db.replaced-${stamp(this.core.now())}`;
    const staging = `${db}.restoring`;
    try {
      faultPoint('restore.copy');
      copyFileSync(source, staging);
      fsyncFile(staging);
      faultPoint('restore.journal');
      writeJournal(this.journalPath, { backup: fileName, staging: basename(staging), keptAs, startedAt: this.core.now().toISOString() });
    } catch (e) {
      rmSync(staging, { force: true });
      throw fail.rule(`恢复未开始，数据库保持原样：无法写入恢复所需的文件(${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      faultPoint('restore.close');
      await this.core.closeForRestore();
      this.swap();
    } catch (e) {
      // An error in this process at any step: the reopen below completes the journal as a next start would.
      this.core.log('error', `恢复备份「${fileName}」时出错，由重新打开数据库完成或撤销`, e);
    }
    await this.core.reopen();
    if (this.core.recovery) throw fail.rule(`恢复后数据库仍无法打开：${this.core.recovery.reason}`);
    if (!existsSync(join(this.core.dataDir, keptAs)) && existsSync(this.core.dbPath + '.restoring'))
      throw fail.rule('恢复未完成，数据库保持恢复前的状态');
    return { keptAs };
  }

  /**
   * PostgreSQL: the replaced state is the pre-restore dump (taken now unless the caller just took one); the pool
   * is closed so none of our connections holds a lock, `pg_restore --clean --single-transaction` replaces every
   * table (all or nothing: on an error the database stays as it was), and the core reopens on it.
   */
  private async restorePostgres(fileName: string, source: string, preRestore?: BackupInfo): Promise<{ keptAs: string }> {
    const kept = preRestore ?? (await this.create('pre-restore'));
    await this.core.closeForRestore();
    let failure: Error | null = null;
    try {
      faultPoint('restore.copy');
      await pgRestore(this.pg!, source);
    } catch (e) {
      failure = e as Error;
      this.core.log('error', `从备份「${fileName}」恢复 PostgreSQL 数据库失败，数据库保持恢复前的状态`, e);
    }
    await this.core.reopen();
    if (failure) throw fail.rule(`恢复未完成，数据库保持恢复前的状态：${failure.message}`);
    if (this.core.recovery) throw fail.rule(`恢复后数据库仍无法打开：${this.core.recovery.reason}`);
    return { keptAs: `backups/${kept.fileName}` };
  }

  /** The renames of a journaled restore, each step idempotent so an interrupted swap can be run again. */
  private swap(): void {
    const journal = readJournal(this.journalPath);
    const dir = this.core.dataDir;
    const db = this.core.dbPath;
    const staging = join(dir, journal.staging);
    const kept = join(dir, journal.keptAs);
    if (existsSync(staging)) {
      faultPoint('restore.renameDb');
      if (existsSync(db)) {
        if (existsSync(kept)) throw new Error(`${journal.keptAs} already exists`);
        renameSync(db, kept);
      }
      for (const suffix of ['-wal', '-shm']) {
        // The old file's WAL must never sit beside the restored file: SQLite would replay it into it.
        faultPoint(`restore.rename${suffix}`);
        if (existsSync(db + suffix)) renameSync(db + suffix, kept + suffix);
      }
      faultPoint('restore.renameStaging');
      renameSync(staging, db);
      fsyncDir(dir);
    }
    faultPoint('restore.journalDone');
    rmSync(this.journalPath, { force: true });
    fsyncDir(dir);
  }

  /**
   * At start, before the database is opened: a journal left by a restore that was interrupted is completed when
   * its staging copy is whole (the restore the user asked for), or rolled back (the replaced file put back)
   * when it is not. Returns a sentence for the log and the user, or null when there was nothing to do.
   */
  resumeInterruptedRestore(): string | null {
    if (!existsSync(this.journalPath)) return null;
    let journal: RestoreJournal;
    try {
      journal = readJournal(this.journalPath);
    } catch {
      // Written to a temporary name and renamed: an unreadable journal was never a started swap.
      rmSync(this.journalPath, { force: true });
      return null;
    }
    const dir = this.core.dataDir;
    const db = this.core.dbPath;
    const kept = join(dir, journal.keptAs);
    // The journal is written only after the staging copy is whole and fsynced, so a staging file is complete.
    if (!existsSync(join(dir, journal.staging)) && !existsSync(db) && existsSync(kept)) {
      // Neither the copy nor the database: put the replaced file back (roll back).
      for (const suffix of ['-wal', '-shm']) if (existsSync(kept + suffix)) renameSync(kept + suffix, db + suffix);
      renameSync(kept, db);
      rmSync(this.journalPath, { force: true });
      fsyncDir(dir);
      return `上次从备份「${journal.backup}」恢复时程序中断，恢复用的副本已不在，已撤销，数据库保持恢复前的状态`;
    }
    this.swap();
    return `上次从备份「${journal.backup}」恢复时程序中断，已在本次启动时完成恢复，原文件保留为「${journal.keptAs}」`;
  }

  /** Leftovers that are never needed once the journal is settled: half-written backups and staging copies. */
  cleanLeftovers(): string[] {
    const removed: string[] = [];
    if (existsSync(this.dir)) {
      for (const f of readdirSync(this.dir)) {
        if (!f.endsWith('.partial')) continue;
        rmSync(join(this.dir, f), { force: true });
        removed.push(`backups/${f}`);
      }
    }
    const staging = `${this.core.dbPath}.restoring`;
    if (!existsSync(this.journalPath) && existsSync(staging)) {
      rmSync(staging, { force: true });
      removed.push(basename(staging));
    }
    return removed;
  }

  /**
   * Whether this folder has ever held a hub: the marker written when a hub's database was first in use, a backup,
   * or what a restore leaves (a replaced file, a staging copy, a journal), or a WAL without its database. A
   * missing or empty database in such a folder is a loss to recover from, never a fresh install.
   */
  folderHeldHub(): boolean {
    if (existsSync(this.markerPath) || existsSync(this.journalPath)) return true;
    if (existsSync(`${this.core.dbPath}.restoring`) || existsSync(`${this.core.dbPath}-wal`)) return true;
    if (readdirSync(this.core.dataDir).some((f) => f.startsWith('incubase.db.replaced-'))) return true;
    return existsSync(this.dir) && readdirSync(this.dir).some((f) => f.endsWith('.db') || f.endsWith('.partial'));
  }

  get markerPath(): string {
    return join(this.core.dataDir, 'incubase.hub.json');
  }

  /** Written once the folder's database holds a hub (demo or set up). */
  markHubPresent(hubId: string): void {
    if (existsSync(this.markerPath)) return;
    writeJournal(this.markerPath, { hubId, since: this.core.now().toISOString() });
  }
}

interface RestoreJournal {
  backup: string;
  staging: string;
  keptAs: string;
  startedAt: string;
}

function readJournal(file: string): RestoreJournal {
  const j = JSON.parse(readFileSync(file, 'utf8')) as RestoreJournal;
  // Names only, never paths: the journal names files beside the database.
  for (const name of [j.staging, j.keptAs]) if (typeof name !== 'string' || basename(name) !== name) throw new Error('bad journal');
  return j;
}

/** A small JSON file written whole or not at all: temporary name, fsync, rename, fsync of the folder. */
function writeJournal(file: string, value: object): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  fsyncFile(tmp);
  renameSync(tmp, file);
  fsyncDir(dirname(file));
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a folder for fsync; its renames are durable once done.
  }
}
