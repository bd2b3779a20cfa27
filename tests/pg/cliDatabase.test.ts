import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/db/migrations';
import { openPostgres } from '../../electron/core/db/postgres';
import { cli, cliArgs } from '../helpers/cli';
import { openTestCore, tempDir } from '../helpers/core';
import { freshPgDatabase, type FreshPg } from '../helpers/pg';

// Every CLI command opens the hub given by --database (PostgreSQL mode) rather than a SQLite file in --data-dir.
describe('the CLI on a PostgreSQL hub (--database)', () => {
  let dataDir: string;
  let target: FreshPg;
  let empty: FreshPg;
  beforeAll(async () => {
    dataDir = tempDir('incubase-cli-pg-');
    target = await freshPgDatabase('clidb');
    empty = await freshPgDatabase('cliempty');
  });
  afterAll(async () => {
    await target.drop();
    await empty.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seed fills an empty database once; check, migrate, backups and org-export then read that database', async () => {
    const seeded = cli('seed', '--data-dir', dataDir, '--database', target.url);
    expect(seeded.err).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.out).toContain('已生成演示数据');
    // no SQLite file was made in the folder
    expect(cli('check', '--data-dir', dataDir).code).toBe(3);

    const again = cli('seed', '--data-dir', dataDir, '--database', target.url);
    expect(again.code).toBe(2);
    expect(again.err).toContain('已有基地数据');

    const check = cli('check', '--data-dir', dataDir, '--database', target.url);
    expect(check.code).toBe(0);
    expect(check.out).toContain(`结构版本：${LATEST_SCHEMA_VERSION} / 程序支持 ${LATEST_SCHEMA_VERSION}`);
    expect(check.out).not.toContain('incubase.db');
    const checkEmpty = cli('check', '--data-dir', dataDir, '--database', empty.url);
    expect(checkEmpty.code).toBe(3);
    expect(checkEmpty.err).toContain('还没有基地数据');

    expect(cli('migrate', '--data-dir', dataDir, '--database', target.url).out).toContain(`结构版本：${LATEST_SCHEMA_VERSION}`);
    expect(cli('backups', '--data-dir', dataDir, '--database', target.url).code).toBe(0);

    const { db } = openPostgres(target.url);
    try {
      const [{ n }] = (await sql<{ n: number }>`SELECT count(*) AS n FROM organizations`.execute(db)).rows;
      expect(n).toBeGreaterThan(100);
      const exp = cli('org-export', '--data-dir', dataDir, '--database', target.url, '--out', `${dataDir}/台账.xlsx`);
      expect(exp.code).toBe(0);
      expect(exp.out).toContain(`已导出 ${n} 个组织`);
    } finally {
      await db.destroy();
    }
  }, 240_000);

  it("a test's CLI child gets the test hub's database from tests/helpers/cli (an explicit --database is kept)", async () => {
    const t = await openTestCore();
    try {
      expect(t.core.databaseUrl).toBeTruthy();
      expect(cliArgs(['org-export', '--data-dir', t.dataDir, '--out', 'x.xlsx'])).toEqual(['org-export', '--data-dir', t.dataDir, '--out', 'x.xlsx', '--database', t.core.databaseUrl]);
      expect(cliArgs(['backup', `--data-dir=${t.dataDir}`, '--database', target.url])).toEqual(['backup', `--data-dir=${t.dataDir}`, '--database', target.url]);
      const other = tempDir();
      expect(cliArgs(['check', '--data-dir', other])).toEqual(['check', '--data-dir', other]);
      rmSync(other, { recursive: true, force: true });
    } finally {
      await t.cleanup();
    }
  });
});
