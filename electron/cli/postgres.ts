import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../core/core';
import { openSqlite } from '../core/db/connection';
import { CopyRefused, copySqliteToPostgres } from '../core/db/copyToPostgres';
import { isPostgresUrl, openPostgres } from '../core/db/postgres';
import { parseStartArgs } from '../node/dataDir';
import { CliError, type CliCommand } from './context';

/** The URL without its password, for messages. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** PostgreSQL mode: moving a hub's SQLite file onto a server, and backups with pg_dump. */
export const postgresCommands: Record<string, CliCommand> = {
  'migrate-to-postgres': {
    summary: '把数据目录中的 SQLite 数据库复制到一个空的 PostgreSQL 数据库并校验(附件仍留在数据目录)',
    usage: 'migrate-to-postgres --data-dir DIR --database postgres://…',
    async run(ctx) {
      const { dataDir } = parseStartArgs(ctx.argv);
      const url = ctx.option('--database');
      if (!isPostgresUrl(url)) throw new CliError('请用 --database 指定目标 PostgreSQL 数据库，例如 postgres://用户@主机:5432/库名', 2);
      const file = join(dataDir, 'incubase.db');
      if (!existsSync(file)) throw new CliError(`数据目录中没有数据库文件：${file}`, 2);
      // Open (check, back up, migrate to the latest version) through the core first, as the app would.
      const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false, integrityCheck: 'off' });
      const recovery = core.recovery;
      await core.close();
      if (recovery) throw new CliError(`源数据库检查未通过：${recovery.reason}`, 3);
      const src = openSqlite(file, { readonly: true });
      const { db } = openPostgres(url);
      try {
        const t0 = Date.now();
        const report = await copySqliteToPostgres(src, db);
        for (const t of report.tables) ctx.out(`  ${t.table.padEnd(32)} ${t.rows} 行`);
        ctx.out(`已复制 ${report.tables.length} 张表共 ${report.totalRows} 行到 ${shownUrl(url)}，用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`);
        ctx.out(`校验通过：各表行数一致；${report.balances.checked} 个余额与分录合计一致；审计日志 ${report.audit.entries} 条一致(末条编号 ${report.audit.lastId}，摘要 ${report.audit.digest.slice(0, 16)}…)`);
        ctx.out(`附件、密钥与日志仍在数据目录 ${dataDir}；之后请用 --data-dir ${dataDir} --database <URL> 启动服务器`);
      } catch (e) {
        if (e instanceof CopyRefused) throw new CliError(e.message, 2);
        throw new CliError(`迁移失败，目标数据库未写入(整个复制在一个事务中)：${(e as Error).message}`, 3);
      } finally {
        src.close();
        await db.destroy();
      }
    },
  },
  'backup-postgres': {
    summary: 'PostgreSQL 模式的备份：用 pg_dump 导出到数据目录的 backups 文件夹(恢复见 README)',
    usage: 'backup-postgres --data-dir DIR --database postgres://…',
    async run(ctx) {
      const start = parseStartArgs(ctx.argv);
      const url = start.database;
      if (!isPostgresUrl(url)) throw new CliError('请用 --database 指定 PostgreSQL 数据库', 2);
      await pgDumpBackup(start.dataDir, url, ctx.out);
    },
  },
};

/** `pg_dump --format=custom` of the database into `<dataDir>/backups/pg-<time>.dump` (restore with pg_restore). */
export async function pgDumpBackup(dataDir: string, url: string, out: (line: string) => void): Promise<string> {
  const dir = join(dataDir, 'backups');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pg-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`);
  const r = spawnSync(process.env.PG_DUMP ?? 'pg_dump', ['--format=custom', '--no-owner', '--file', file, '--dbname', url], { encoding: 'utf8' });
  if (r.error) throw new CliError(`无法运行 pg_dump(请安装 PostgreSQL 客户端工具，或用环境变量 PG_DUMP 指定路径)：${r.error.message}`, 3);
  if (r.status !== 0) throw new CliError(`pg_dump 失败：${r.stderr.trim()}`, 3);
  out(`已备份 ${shownUrl(url)} 到 ${file}`);
  out(`恢复：createdb 新库 && pg_restore --no-owner --dbname postgres://…/新库 ${file}`);
  return file;
}
