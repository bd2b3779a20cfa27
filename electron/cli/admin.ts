import { existsSync } from 'node:fs';
import { Core } from '../core/core';
import { parseStartArgs } from '../node/dataDir';
import { openSqlite, quickCheck, appliedMigrationCount } from '../core/db/connection';
import { LATEST_SCHEMA_VERSION } from '../core/db/migrations';
import { seedDemo } from '../core/seed';
import { CliError, type CliCommand } from './context';
import { appliedPostgresMigrations, isPostgresUrl, openPostgres } from '../core/db/postgres';
import { pgDumpBackup, shownUrl } from './postgres';

/** The migrations a PostgreSQL database has applied (none: an empty database); exit 3 when it cannot be reached. */
async function postgresMigrationsOf(url: string): Promise<string[]> {
  const { db } = openPostgres(url, { max: 1 });
  try {
    return await appliedPostgresMigrations(db);
  } catch (e) {
    throw new CliError(`无法连接 PostgreSQL 数据库 ${shownUrl(url)}：${(e as Error).message}`, 3);
  } finally {
    await db.destroy();
  }
}

/**
 * `check` in PostgreSQL mode: the server can be reached and the hub's structure version. Pages and foreign keys
 * are the server's business there (no file to damage); the invariants are the database's own constraints and
 * triggers, so there is nothing further to scan from outside.
 */
async function checkPostgres(url: string, out: (line: string) => void): Promise<void> {
  if (!isPostgresUrl(url)) throw new CliError('--database 必须是 postgres://… 形式的 PostgreSQL 地址', 2);
  const applied = await postgresMigrationsOf(url);
  out(`数据库：${shownUrl(url)}`);
  if (!applied.length) throw new CliError('这个 PostgreSQL 数据库中还没有基地数据(没有任何结构版本)', 3);
  if (applied.length > LATEST_SCHEMA_VERSION) throw new CliError(`数据库由更新版本的程序创建(结构版本 ${applied.length})，请升级本程序`, 3);
  out(`结构版本：${applied.length} / 程序支持 ${LATEST_SCHEMA_VERSION}`);
  out('完整性检查：通过(连接正常；约束与触发器由 PostgreSQL 自身保证)');
  if (applied.length < LATEST_SCHEMA_VERSION) out('提示：打开程序或运行 migrate 时将自动升级');
}

export const adminCommands: Record<string, CliCommand> = {
  check: {
    summary: '检查数据库完整性与版本',
    usage: 'check [--data-dir DIR] [--database postgres://…]',
    async run(ctx) {
      const { dataDir, database } = parseStartArgs(ctx.argv);
      if (database) return checkPostgres(database, ctx.out);
      const file = `${dataDir}/incubase.db`;
      if (!existsSync(file)) throw new CliError(`数据库文件不存在：${file}`, 3);
      const db = openSqlite(file, { readonly: true });
      try {
        const problem = quickCheck(db);
        ctx.out(`数据库：${file}`);
        if (problem) throw new CliError(`完整性检查未通过：${problem}`, 3);
        const version = appliedMigrationCount(db);
        ctx.out(`结构版本：${version} / 程序支持 ${LATEST_SCHEMA_VERSION}`);
        const fk = db.pragma('foreign_key_check') as unknown[];
        if (fk.length) throw new CliError(`外键检查发现 ${fk.length} 处问题`, 3);
        ctx.out('完整性检查：通过');
        if (version < LATEST_SCHEMA_VERSION) ctx.out('提示：打开程序或运行 migrate 时将自动升级(升级前会先备份)');
      } finally {
        db.close();
      }
    },
  },
  backup: {
    summary: '立即备份数据库到数据目录的 backups 文件夹',
    usage: 'backup [--data-dir DIR] [--database postgres://…]',
    async run(ctx) {
      // PostgreSQL mode: a pg_dump file in the same folder, under the same names and keep rule (admin/backups.ts)
      const core = await ctx.openCore();
      try {
        const b = await core.backups.create('manual');
        ctx.out(`已备份：${core.backups.dir}/${b.fileName} (${b.sizeBytes} 字节)`);
      } finally {
        await core.close();
      }
    },
  },
  backups: {
    summary: '列出备份',
    usage: 'backups [--data-dir DIR] [--database postgres://…]',
    async run(ctx) {
      const start = parseStartArgs(ctx.argv);
      const core = await Core.open({ dataDir: start.dataDir, database: start.database, seed: 'empty', autoBackup: false });
      try {
        for (const b of core.backups.list()) ctx.out(`${b.createdAt}  ${b.reason.padEnd(12)}  ${b.fileName}`);
      } finally {
        await core.close();
      }
    },
  },
  restore: {
    summary: '从备份恢复(当前文件改名保留)',
    usage: 'restore <备份文件名|--latest> [--data-dir DIR] [--database postgres://…]',
    async run(ctx) {
      // Opens even a broken database: restoring is how one gets out of that state.
      const start = parseStartArgs(ctx.argv);
      const core = await Core.open({ dataDir: start.dataDir, database: start.database, seed: 'empty', autoBackup: false });
      try {
        const name = ctx.flag('--latest') ? core.backups.goodBackups()[0]?.fileName : ctx.positionals[0];
        if (!name) throw new CliError('请指定备份文件名，或使用 --latest 选择最新的完好备份', 2);
        const pre = core.recovery ? undefined : await core.backups.create('pre-restore');
        const { keptAs } = await core.backups.restore(name, pre);
        if (core.recovery) throw new CliError(`恢复后数据库仍无法打开：${core.recovery.reason}`, 3);
        ctx.out(`已从「${name}」恢复；原文件保留为「${keptAs}」`);
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError((e as Error).message, 2);
      } finally {
        await core.close();
      }
    },
  },
  migrate: {
    summary: '升级数据库结构到最新版本(升级前自动备份)',
    usage: 'migrate [--data-dir DIR] [--database postgres://…]',
    async run(ctx) {
      const core = await ctx.openCore();
      try {
        ctx.out(`结构版本：${core.engine === 'postgres' ? (await appliedPostgresMigrations(core.db)).length : appliedMigrationCount(core.sqlite)}`);
      } finally {
        await core.close();
      }
    },
  },
  seed: {
    summary: '在一个新的数据目录中生成演示数据',
    usage: 'seed --data-dir DIR [--scale N] [--database postgres://…(空库)]',
    async run(ctx) {
      const scale = Number(ctx.option('--scale') ?? 1);
      if (!Number.isFinite(scale) || scale <= 0) throw new CliError('--scale 必须是正数', 2);
      const { dataDir, database } = parseStartArgs(ctx.argv);
      if (database) {
        if (!isPostgresUrl(database)) throw new CliError('--database 必须是 postgres://… 形式的 PostgreSQL 地址', 2);
        if ((await postgresMigrationsOf(database)).length)
          throw new CliError(`PostgreSQL 数据库中已有基地数据，演示数据只能生成到空的数据库：${shownUrl(database)}`, 2);
      } else if (existsSync(`${dataDir}/incubase.db`)) throw new CliError(`数据目录中已有数据库，演示数据只能生成到新的目录：${dataDir}`, 2);
      const t0 = Date.now();
      // On PostgreSQL the core generates a new database's demo hub itself as it opens (db/engine.ts: through a
      // temporary SQLite core, copied over and checked); on SQLite the seeders run on the new file.
      const core = await Core.open({ dataDir, autoBackup: false, ...(database ? { database, seed: 'demo', demoScale: scale } : { seed: 'empty' }) });
      try {
        if (core.recovery) throw new CliError(`数据库无法打开：${core.recovery.reason}`, 3);
        if (!database) await seedDemo(core, { scale });
        ctx.out(`已生成演示数据(规模 ${scale})，用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒：${database ? shownUrl(database) : dataDir}`);
      } finally {
        await core.close();
      }
    },
  },
};
