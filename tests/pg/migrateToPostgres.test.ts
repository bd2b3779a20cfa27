import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Core } from '../../electron/core/core';
import { openPostgres } from '../../electron/core/db/postgres';
import { cli } from '../helpers/cli';
import { loginAs, caller, tempDir } from '../helpers/core';
import { freshPgDatabase, type FreshPg } from '../helpers/pg';

// npm run cli -- migrate-to-postgres: a demo hub's SQLite file onto an empty PostgreSQL database, verified.
describe('migrate-to-postgres', () => {
  let dataDir: string;
  let target: FreshPg;
  beforeAll(async () => {
    dataDir = tempDir();
    const core = await Core.open({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    await core.close();
    target = await freshPgDatabase('mig2pg');
  });
  afterAll(async () => {
    await target.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies every table, verifies counts, balances and the audit log, then refuses to copy again', async () => {
    const first = cli('migrate-to-postgres', '--data-dir', dataDir, '--database', target.url);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/校验通过/);
    expect(first.out).toMatch(/custody_journal\s+\d+ 行/);

    const { db } = openPostgres(target.url);
    try {
      const [{ n }] = (await sql<{ n: number }>`SELECT count(*) AS n FROM custody_journal`.execute(db)).rows;
      expect(n).toBeGreaterThan(0);
      // the copy keeps its rules: the audit log stays append-only, the journal frozen
      await expect(sql`UPDATE audit_log SET summary = 'x'`.execute(db)).rejects.toThrow(/审计日志不可修改/);
      await expect(sql`DELETE FROM custody_journal`.execute(db)).rejects.toThrow(/不可删除/);
    } finally {
      await db.destroy();
    }

    const again = cli('migrate-to-postgres', '--data-dir', dataDir, '--database', target.url);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/不是空的/);
  }, 300_000); // two CLI processes (tsx start, open, copy) on a loaded machine

  it('the server side then runs on the copy: the same users log in and write', async () => {
    const core = await Core.open({ dataDir, database: target.url, seed: 'empty', autoBackup: false });
    try {
      expect(core.engine).toBe('postgres');
      const token = await loginAs(core, 'zhangli');
      const call = caller(core, token);
      const before = await core.db.selectFrom('audit_log').select(sql<number>`max(id)`.as('m')).executeTakeFirstOrThrow();
      await call('organizations.create', { input: { name: '迁移后新建的互助队', mgmtClass: 'filed' } });
      const after = await core.db.selectFrom('audit_log').select(sql<number>`max(id)`.as('m')).executeTakeFirstOrThrow();
      expect(Number(after.m)).toBeGreaterThan(Number(before.m)); // the identity continues after the copied ids
    } finally {
      await core.close();
    }
  });

  it('backs up with pg_dump in PostgreSQL mode', () => {
    const r = cli('backup', '--data-dir', dataDir, '--database', target.url);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/已备份.*backups[\\/]incubase-\d{8}-\d+-manual\.pgdump/);
  }, 120_000);
});
