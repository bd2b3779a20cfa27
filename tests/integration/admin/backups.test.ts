import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../../electron/core/core';
import { caller, loginAs, openDemoCore, openTestCore, refusal, tempDir } from '../../helpers/core';
import { onPostgres, rawGet, rawRun, sqliteOnly } from '../../helpers/engine';
import { openSqlite } from '../../../electron/core/db/connection';

describe('backups and restore', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('takes the daily backup at start only when the newest is older than 24 hours', async () => {
    let now = new Date('2026-03-05T01:00:00Z');
    const first = await openTestCore({ seed: 'demo', autoBackup: true, now: () => now });
    const dataDir = first.dataDir;
    expect(first.core.backups.list().map((b) => b.reason)).toEqual(['daily']);
    await first.core.close();
    now = new Date('2026-03-05T20:00:00Z');
    let core = (await openTestCore({ dataDir, seed: 'demo', autoBackup: true, now: () => now })).core;
    expect(core.backups.list()).toHaveLength(1);
    await core.close();
    now = new Date('2026-03-06T01:00:01Z');
    core = (await openTestCore({ dataDir, seed: 'demo', autoBackup: true, now: () => now })).core;
    expect(core.backups.list()).toHaveLength(2);
    cleanup = async () => {
      await core.close();
      await first.cleanup();
    };
  });

  it('keeps only the configured number of backups', async () => {
    let t = 0;
    const base = new Date('2026-03-05T01:00:00Z').getTime();
    const { core, dataDir, cleanup: done } = await openTestCore({ seed: 'demo', now: () => new Date(base + t) });
    cleanup = done;
    for (let i = 0; i < 33; i++) {
      t += 1000;
      await core.backups.create('manual');
    }
    const list = core.backups.list();
    expect(list).toHaveLength(30);
    expect(readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith(onPostgres ? '.pgdump' : '.db'))).toHaveLength(30);
    expect(list[0].createdAt > list[29].createdAt).toBe(true);
  });

  it('restores a backup, keeps the replaced file, and audits it', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const b = await t.call('backups.create', {});
    await t.call('settings.update', { hubName: '恢复前的名称' });
    const r = await t.call('backups.restore', { fileName: b.fileName });
    expect(existsSync(join(t.dataDir, r.keptAs))).toBe(true);
    // sessions end with a restore
    expect((await refusal(t.core, 'auth.me', {}, t.token)).code).toBe('UNAUTHENTICATED');
    const call = caller(t.core, await loginAs(t.core, 'admin'));
    expect((await call('settings.get', {})).hub.name).toBe('武侯区社区社会组织孵化基地(演示)');
    const audit = await call('audit.list', { startRow: 0, endRow: 5, filter: { action: 'backups.restore' } });
    expect(audit.rows[0].summary).toContain(b.fileName);
    // the state just before the restore was saved too
    expect((await call('backups.list', {})).some((x) => x.reason === 'pre-restore')).toBe(true);
  });

  it('refuses file names that are not backups of this folder', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    for (const fileName of ['../incubase.db', '/etc/passwd', 'incubase-20260101-000000-daily.db']) {
      const e = await refusal(t.core, 'backups.restore', { fileName }, t.token);
      expect(['VALIDATION', 'NOT_FOUND']).toContain(e.code);
    }
  });

  sqliteOnly.it('detects a corrupted database at start and offers the newest good backup instead', '损坏的是 SQLite 数据库文件本身', async () => {
    const dataDir = tempDir();
    const first = await Core.open({ dataDir, seed: 'demo', autoBackup: true });
    const good = first.backups.list()[0].fileName;
    await first.close();
    // A broken backup newer than the good one must be skipped.
    writeFileSync(join(dataDir, 'backups', 'incubase-29990101-000000000-manual.db'), 'not a database');
    // Scribble over the middle of the database file, as a failing disk would.
    const file = join(dataDir, 'incubase.db');
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size - 8192, 0xab), 0, size - 8192, 4096);
    closeSync(fd);

    const core = await Core.open({ dataDir, seed: 'demo' });
    cleanup = () => core.close();
    expect(core.recovery).not.toBeNull();
    const call = caller(core);
    const status = await call('system.status', {});
    expect(status.recovery?.reason).toMatch(/完整性检查未通过|无法打开|not a database|malformed/);
    expect(status.recovery?.backups.map((b) => b.fileName)).toEqual([good]);
    // nothing else is served on a broken file
    expect((await refusal(core, 'auth.login', { username: 'admin', password: 'Demo@2026' })).message).toContain('备份恢复');
    await call('system.recover', { fileName: good });
    expect(core.recovery).toBeNull();
    expect(readdirSync(dataDir).some((f) => f.startsWith('incubase.db.replaced-'))).toBe(true);
    const token = await loginAs(core, 'admin');
    const audit = await caller(core, token)('audit.list', { startRow: 0, endRow: 5, filter: { action: 'system.recover' } });
    expect(audit.total).toBe(1);
  });

  it('refuses a file written by a newer version of the program', async () => {
    const first = await openTestCore({ seed: 'demo' });
    await rawRun(first.core, "INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', 'x')");
    await first.core.close();
    const { core } = await openTestCore({ dataDir: first.dataDir, seed: 'demo' });
    cleanup = async () => {
      await core.close();
      await first.cleanup();
    };
    expect(core.recovery?.reason).toContain('更新版本');
  });

  it('a crash in the middle of a write leaves the previous state', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const count = async () => (await rawGet<{ n: number }>(t.core, 'SELECT count(*) AS n FROM audit_log'))!.n;
    const before = await count();
    await expect(
      t.core.write(async (trx) => {
        await trx.updateTable('hub').set({ name: '半途而废' }).execute();
        await t.core.audit(trx, null, 'test', { entity: 'hub', summary: '不应留下' });
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    expect(await count()).toBe(before);
    // what is stored (on SQLite: in the file itself, read by another connection)
    const stored = onPostgres
      ? (await rawGet<{ name: string }>(t.core, 'SELECT name FROM hub'))!
      : (openSqlite(join(t.dataDir, 'incubase.db'), { readonly: true }).prepare('SELECT name FROM hub').get() as { name: string });
    expect(stored.name).not.toBe('半途而废');
  });
});
