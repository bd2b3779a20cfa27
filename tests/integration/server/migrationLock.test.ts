import { rmSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../../electron/core/core';
import { appliedMigrationCount, kyselyFor, migrateToLatest, openSqlite } from '../../../electron/core/db/connection';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../electron/core/db/migrations';
import { tempDir } from '../../helpers/core';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data file at the first schema version that has the lock table, holding the lock row of process `pid`. */
async function fileAtLockVersion(pid: number): Promise<string> {
  const dataDir = tempDir('incubase-miglock-');
  dirs.push(dataDir);
  const sqlite = openSqlite(join(dataDir, 'incubase.db'));
  const at = Object.keys(migrations).indexOf('0021_office_lock') + 1;
  await migrateToLatest(kyselyFor(sqlite), sqlite, at);
  const boot = new Date(Date.now() - uptime() * 1000).toISOString();
  sqlite
    .prepare(`INSERT INTO office_lock VALUES ('office', 'op', 'custody.periods.close', '结账 2026-11', '"writes"', '陈静(出纳)', ?, 'another-process', ?, ?, ?, ?)`)
    .run(new Date().toISOString(), hostname(), pid, boot, new Date().toISOString());
  sqlite.close();
  return dataDir;
}

describe('a database upgrade takes the office lock', () => {
  it.skipIf(Object.keys(migrations).indexOf('0021_office_lock') + 1 >= LATEST_SCHEMA_VERSION)(
    'is not started under a running month close of another process, and goes ahead once that process is gone',
    async () => {
      const busy = await fileAtLockVersion(process.pid); // a live process: this one, as another owner
      await expect(Core.open({ dataDir: busy, seed: 'empty', autoBackup: false, integrityCheck: 'off' })).rejects.toThrow(/陈静\(出纳\) 正在进行「结账 2026-11」.*「数据库升级」暂不能执行/);
      const check = openSqlite(join(busy, 'incubase.db'), { readonly: true });
      expect(appliedMigrationCount(check)).toBeLessThan(LATEST_SCHEMA_VERSION);
      check.close();

      const left = await fileAtLockVersion(2 ** 22 + 12345); // no such process
      const core = await Core.open({ dataDir: left, seed: 'empty', autoBackup: false, integrityCheck: 'off' });
      try {
        expect(appliedMigrationCount(core.sqlite)).toBe(LATEST_SCHEMA_VERSION);
        expect(core.sqlite.prepare('SELECT count(*) AS n FROM office_lock').get()).toEqual({ n: 0 });
      } finally {
        await core.close();
      }
    },
    60_000,
  );
});
