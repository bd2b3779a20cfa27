import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BackupInfo } from '@shared/contract/admin';
import { fail } from '@shared/errors';
import { openSqlite, quickCheck } from '../db/connection';
import type { Core } from '../core';
import { faultPoint } from '../faults';

const NAME = /^incubase-(\d{8})-(\d{6})(\d{3})?-([a-z0-9-]+)\.db$/;

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(
    d.getUTCSeconds(),
  )}${p(d.getUTCMilliseconds(), 3)}`;
}

/**
 * Online backups with better-sqlite3's backup API into `<dataDir>/backups`, named by UTC time and reason.
 * Restores keep the replaced file beside the database, so a wrong restore can be undone by hand.
 */
export class BackupManager {
  constructor(private readonly core: Core) {}

  get dir(): string {
    return join(this.core.dataDir, 'backups');
  }

  list(): BackupInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((fileName) => ({ fileName, m: NAME.exec(fileName) }))
      .filter((x): x is { fileName: string; m: RegExpExecArray } => !!x.m)
      .map(({ fileName, m }) => {
        const [, d, t, ms, reason] = m;
        const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.${ms ?? '000'}Z`;
        return { fileName, sizeBytes: statSync(join(this.dir, fileName)).size, createdAt: iso, reason };
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async create(reason: string): Promise<BackupInfo> {
    mkdirSync(this.dir, { recursive: true });
    const fileName = `incubase-${stamp(this.core.now())}-${reason}.db`;
    const target = join(this.dir, fileName);
    const partial = `${target}.partial`;
    // Written under a temporary name first: a half-written backup must never look like a good one.
    // 2,048 pages (8 MB) per step: a 1 GB file copies quickly, and calls still get served between steps.
    faultPoint('backup.copy');
    await this.core.sqlite.backup(partial, { progress: () => 2048 });
    faultPoint('backup.rename');
    renameSync(partial, target);
    this.prune();
    return { fileName, sizeBytes: statSync(target).size, createdAt: this.core.now().toISOString(), reason };
  }

  /** The start-up rule: a new backup when the newest is older than 24 hours. */
  async dailyIfDue(): Promise<BackupInfo | null> {
    const newest = this.list()[0];
    if (newest && this.core.now().getTime() - new Date(newest.createdAt).getTime() < 24 * 3600 * 1000) return null;
    return this.create('daily');
  }

  private prune(): void {
    let keep = 30;
    try {
      const row = this.core.sqlite.prepare("SELECT value FROM settings WHERE key = 'backupKeep'").get() as { value: string } | undefined;
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

  /**
   * Replaces the database with a backup. The backup is checked first; the current file (with its WAL) is
   * moved aside as `incubase.db.replaced-<time>` and the database reopened and migrated.
   */
  async restore(fileName: string): Promise<{ keptAs: string }> {
    const source = this.resolve(fileName);
    const problem = this.check(source);
    if (problem) throw fail.rule(`备份文件已损坏，不能用于恢复：${problem}`);
    const db = this.core.dbPath;
    const keptAs = `incubase.db.replaced-${stamp(this.core.now())}`;
    const staging = `${db}.restoring`;
    copyFileSync(source, staging);
    await this.core.closeForRestore();
    if (existsSync(db)) renameSync(db, join(this.core.dataDir, keptAs));
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(db + suffix)) renameSync(db + suffix, join(this.core.dataDir, keptAs + suffix));
    }
    renameSync(staging, db);
    await this.core.reopen();
    return { keptAs };
  }
}
