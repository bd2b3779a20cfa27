import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';
import { sqliteOnly } from '../../helpers/engine';


sqliteOnly.describe('CLI', '命令行直接针对数据目录中的 SQLite 文件(check 用 PRAGMA、损坏的文件、.db 备份)；PostgreSQL 的备份与恢复见 backups.test.ts', () => {
  it('seeds, checks, backs up and restores with clear messages and exit codes', () => {
    const dir = tempDir();
    expect(cli('seed', '--data-dir', dir).code).toBe(0);
    const again = cli('seed', '--data-dir', dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('已有数据库');
    const check = cli('check', '--data-dir', dir);
    expect(check.code).toBe(0);
    expect(check.out).toContain('完整性检查：通过');
    const backup = cli('backup', '--data-dir', dir);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/已备份：.*manual\.db/);
    const restore = cli('restore', '--latest', '--data-dir', dir);
    expect(restore.code).toBe(0);
    expect(restore.out).toContain('原文件保留为');
    expect(cli('migrate', '--data-dir', dir).code).toBe(0);
  }, 120_000);

  it('fails with exit code 3 on a broken or missing database and 2 on a bad command', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'incubase.db'), 'this is not sqlite '.repeat(500));
    const broken = cli('check', '--data-dir', dir);
    expect(broken.code).toBe(3);
    expect(broken.err).toMatch(/完整性检查未通过|not a database/);
    expect(cli('check', '--data-dir', join(dir, 'missing')).code).toBe(3);
    const unknown = cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('未知命令');
  }, 120_000);
});
