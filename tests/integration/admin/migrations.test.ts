import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Core } from '../../../electron/core/core';
import { kyselyFor, migrateToLatest, openSqlite, appliedMigrationCount } from '../../../electron/core/db/connection';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../electron/core/db/migrations';
import { tempDir } from '../../helpers/core';
import { sqliteOnly } from '../../helpers/engine';

function schemaOf(file: string): string[] {
  const db = openSqlite(file, { readonly: true });
  try {
    return (db.prepare("SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS s FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { s: string }[]).map((r) => r.s.replace(/\s+/g, ' '));
  } finally {
    db.close();
  }
}

sqliteOnly.describe('migrations', 'SQLite 文件的迁移、user_version 与 PRAGMA；PostgreSQL 的迁移见 tests/pg/migrations.test.ts', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('builds the latest schema from an empty file and records the version', async () => {
    const dataDir = tempDir();
    const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false });
    cleanup = () => core.close();
    expect(appliedMigrationCount(core.sqlite)).toBe(LATEST_SCHEMA_VERSION);
    expect(core.sqlite.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(core.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(core.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('upgrades a file from each older version to the same schema as a fresh one, backing it up first', async () => {
    const fresh = tempDir();
    const c = await Core.open({ dataDir: fresh, seed: 'empty', autoBackup: false });
    await c.close();
    const expected = schemaOf(join(fresh, 'incubase.db'));
    const names = Object.keys(migrations);
    for (let k = 1; k < names.length; k++) {
      const dataDir = tempDir();
      const sqlite = openSqlite(join(dataDir, 'incubase.db'));
      await migrateToLatest(kyselyFor(sqlite), sqlite, k);
      sqlite.close();
      const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false });
      expect(core.backups.list().map((b) => b.reason)).toEqual([`pre-migrate-v${k}`]);
      await core.close();
      expect(schemaOf(join(dataDir, 'incubase.db'))).toEqual(expected);
    }
  });

  it('is idempotent: opening again applies nothing and takes no backup', async () => {
    const dataDir = tempDir();
    let core = await Core.open({ dataDir, seed: 'demo', autoBackup: false });
    await core.close();
    core = await Core.open({ dataDir, seed: 'demo', autoBackup: false });
    cleanup = () => core.close();
    expect(core.backups.list()).toHaveLength(0);
    expect(appliedMigrationCount(core.sqlite)).toBe(LATEST_SCHEMA_VERSION);
  });
});
