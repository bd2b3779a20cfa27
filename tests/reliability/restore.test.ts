import { existsSync, readdirSync, rmSync, writeFileSync, renameSync, copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core';
import { ioError } from '../../electron/core/faults';
import { caller, loginAs, refusal, tempDir } from '../helpers/core';
import { crashAt, failAt, fault, tracePoints } from './faults';

const DEMO_NAME = '武侯区社区社会组织孵化基地(演示)';

/** A demo hub with one backup, then a change after it (so "restored" and "not restored" can be told apart). */
async function hubWithBackup(): Promise<{ dataDir: string; fileName: string }> {
  const dataDir = tempDir('incubase-rel-');
  const core = await Core.open({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
  const b = await core.backups.create('manual');
  await core.close();
  return { dataDir, fileName: b.fileName };
}

function hubNameIn(file: string): string | null {
  if (statSync(file).size === 0) return null;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT name FROM hub').get() as { name: string } | undefined)?.name ?? null;
  } finally {
    db.close();
  }
}

const openAgain = (dataDir: string) => Core.open({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });

describe('restore is crash-safe at every step', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('lists its steps as fault points', async () => {
    const { dataDir, fileName } = await hubWithBackup();
    const core = await openAgain(dataDir);
    cleanup = async () => core.close();
    const trace = tracePoints();
    await core.backups.restore(fileName);
    expect(trace.points.filter((p) => p.startsWith('restore.'))).toEqual([
      'restore.copy',
      'restore.journal',
      'restore.close',
      'restore.renameDb',
      'restore.rename-wal',
      'restore.rename-shm',
      'restore.renameStaging',
      'restore.journalDone',
    ]);
  });

  const points = ['restore.copy', 'restore.journal', 'restore.close', 'restore.renameDb', 'restore.rename-wal', 'restore.rename-shm', 'restore.renameStaging', 'restore.journalDone'];
  for (const point of points) {
    it(`killed at ${point}: the next start completes the restore or keeps the database as it was, never a new hub`, async () => {
      const { dataDir, fileName } = await hubWithBackup();
      await fault(`restore killed at ${point}`, async () => {
        const r = await crashAt({ module: 'tests/reliability/scenarios.ts', export: 'writeThenRestore', args: { dataDir, fileName, hubName: '崩溃前写入的名称' }, point });
        expect(r.crashed).toBe(true);
        const core = await openAgain(dataDir);
        try {
          expect(core.recovery).toBeNull();
          const name = (await core.db.selectFrom('hub').select('name').executeTakeFirstOrThrow()).name;
          const journaled = points.indexOf(point) >= points.indexOf('restore.close');
          // Before the journal: the database as it was, with the acknowledged write; after: the backup.
          expect(name).toBe(journaled ? DEMO_NAME : '崩溃前写入的名称');
          const left = readdirSync(dataDir);
          expect(left.filter((f) => f.endsWith('.restoring') || f.includes('restore-journal'))).toEqual([]);
          let lost = false;
          if (journaled) {
            // The replaced file keeps the acknowledged write (with its WAL, if the crash left one).
            const kept = left.filter((f) => /^incubase\.db\.replaced-[^-]+-\d+$/.test(f));
            expect(kept).toHaveLength(1);
            lost = hubNameIn(join(dataDir, kept[0])) !== '崩溃前写入的名称';
          } else {
            lost = name !== '崩溃前写入的名称';
          }
          return { dataLost: lost };
        } finally {
          await core.close();
        }
      });
    });
  }

  it('an error while copying (disk full) refuses the restore in Chinese and leaves the database open and unchanged', async () => {
    const { dataDir, fileName } = await hubWithBackup();
    const core = await openAgain(dataDir);
    cleanup = async () => core.close();
    await fault('ENOSPC while copying the backup for a restore', async () => {
      failAt('restore.copy', ioError('ENOSPC'));
      await expect(core.backups.restore(fileName)).rejects.toThrow(/恢复未开始，数据库保持原样/);
      expect(existsSync(join(dataDir, 'incubase.db.restoring'))).toBe(false);
      const name = (await core.db.selectFrom('hub').select('name').executeTakeFirstOrThrow()).name;
      return { dataLost: name !== DEMO_NAME };
    });
  });

  it('an error at a rename in this process is completed by the reopen', async () => {
    const { dataDir, fileName } = await hubWithBackup();
    const core = await openAgain(dataDir);
    cleanup = async () => core.close();
    await core.write((trx) => trx.updateTable('hub').set({ name: '改过的名称' }).execute());
    await fault('EPERM at the rename of the restored file', async () => {
      failAt('restore.renameStaging', ioError('EPERM'));
      await core.backups.restore(fileName);
      expect(core.recovery).toBeNull();
      const name = (await core.db.selectFrom('hub').select('name').executeTakeFirstOrThrow()).name;
      expect(name).toBe(DEMO_NAME);
      expect(readdirSync(dataDir).filter((f) => f.endsWith('.restoring') || f.includes('journal'))).toEqual([]);
    });
  });
});

describe('a missing, empty or half-restored database is never a fresh install', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  async function expectRecovery(dataDir: string, reason: RegExp): Promise<Core> {
    const core = await openAgain(dataDir);
    cleanup = async () => core.close();
    expect(core.recovery?.reason).toMatch(reason);
    const status = await caller(core)('system.status', {});
    expect(status.recovery!.backups.length).toBeGreaterThan(0);
    // No new hub was made in its place.
    expect(existsSync(join(dataDir, 'incubase.db')) && hubNameIn(join(dataDir, 'incubase.db'))).toBeFalsy();
    return core;
  }

  it('a deleted database: the recovery screen offers the newest good backup, and restoring it brings the hub back', async () => {
    const { dataDir } = await hubWithBackup();
    await fault('database file deleted', async () => {
      rmSync(join(dataDir, 'incubase.db'));
      const core = await expectRecovery(dataDir, /不见了/);
      const newest = (await caller(core)('system.status', {})).recovery!.backups[0];
      await caller(core)('system.recover', { fileName: newest.fileName });
      expect(core.recovery).toBeNull();
      const token = await loginAs(core, 'admin');
      return { dataLost: (await caller(core, token)('settings.get', {})).hub.name !== DEMO_NAME };
    });
  });

  it('a 0-byte database goes to recovery, not to the first-run setup', async () => {
    const { dataDir } = await hubWithBackup();
    await fault('database file truncated to 0 bytes', async () => {
      writeFileSync(join(dataDir, 'incubase.db'), '');
      const core = await expectRecovery(dataDir, /是空的/);
      expect((await refusal(core, 'system.setup', { hubName: '新基地', regionCode: '510107', level: 'district', adminUsername: 'boss', adminDisplayName: '刘', adminPassword: 'Guixi@2026' })).code).toBe('RULE');
    });
  });

  it('what an interrupted restore of the old version left (replaced file, staging copy, no database, no marker) goes to recovery', async () => {
    const { dataDir, fileName } = await hubWithBackup();
    await fault('old-style restore interrupted between its renames', async () => {
      copyFileSync(join(dataDir, 'backups', fileName), join(dataDir, 'incubase.db.restoring'));
      renameSync(join(dataDir, 'incubase.db'), join(dataDir, 'incubase.db.replaced-20260101-000000000'));
      rmSync(join(dataDir, 'incubase.hub.json'));
      await expectRecovery(dataDir, /不见了/);
      // Nothing was deleted while in doubt.
      expect(existsSync(join(dataDir, 'incubase.db.restoring'))).toBe(true);
    });
  });

  it('a folder that never held a hub still starts fresh (first run), also with an empty file in it', async () => {
    for (const prepare of [() => undefined, (d: string) => writeFileSync(join(d, 'incubase.db'), '')]) {
      const dataDir = tempDir('incubase-rel-');
      prepare(dataDir);
      const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false });
      expect(core.recovery).toBeNull();
      expect((await caller(core)('system.status', {})).initialized).toBe(false);
      await core.close();
    }
  });

  it('half-written backups and staging copies are removed at start, once no journal needs them', async () => {
    const { dataDir, fileName } = await hubWithBackup();
    writeFileSync(join(dataDir, 'backups', 'incubase-20260101-000000000-daily.db.partial'), 'half');
    copyFileSync(join(dataDir, 'backups', fileName), join(dataDir, 'incubase.db.restoring'));
    const core = await openAgain(dataDir);
    cleanup = async () => core.close();
    expect(readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(existsSync(join(dataDir, 'incubase.db.restoring'))).toBe(false);
  });
});
