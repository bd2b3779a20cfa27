import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core';
import { ioError } from '../../electron/core/faults';
import { caller, loginAs, refusal, tempDir } from '../helpers/core';
import { failAt, fault } from './faults';

async function demoFolder(): Promise<string> {
  const dataDir = tempDir('incubase-rel-');
  const core = await Core.open({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
  await core.close();
  return dataDir;
}

/** The checks every read-only start must pass: banner flag, login without writing, reads, writes refused in Chinese. */
async function expectReadOnlyButUsable(core: Core, reason: RegExp): Promise<void> {
  expect(core.recovery).toBeNull();
  const status = await caller(core)('system.status', {});
  expect(status.readOnly?.reason).toMatch(reason);
  const token = await loginAs(core, 'admin');
  const call = caller(core, token);
  expect((await call('settings.get', {})).hub.name).toContain('孵化基地');
  const refused = await refusal(core, 'settings.update', { hubName: '改名' }, token);
  expect(refused.code).toBe('READ_ONLY');
  expect(refused.message).toMatch(/只能查看，不能保存/);
}

describe('full disk or read-only data folder: the app starts read-only', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  for (const code of ['EROFS', 'ENOSPC', 'EACCES']) {
    it(`a folder that refuses writes (${code}, simulated at the file layer) opens read-only, login works, writes are refused`, async () => {
      const dataDir = await demoFolder();
      await fault(`${code} on the data folder at start`, async () => {
        failAt('start.writeProbe', ioError(code));
        const core = await Core.open({ dataDir, seed: 'demo', integrityCheck: 'off' });
        cleanup = () => core.close();
        await expectReadOnlyButUsable(core, code === 'ENOSPC' ? /磁盘空间已满/ : /只读/);
        // The daily backup was due: skipped with a notice, not a failed start.
        expect(core.backups.list()).toEqual([]);
        expect((await caller(core)('system.status', {})).notices.map((n) => n.message).join()).toMatch(/自动备份/);
      });
    });
  }

  it('a disk that fills up during a call turns the app read-only with a Chinese refusal', async () => {
    const dataDir = await demoFolder();
    const core = await Core.open({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    cleanup = () => core.close();
    const token = await loginAs(core, 'admin');
    await fault('SQLITE_FULL during a write', async () => {
      const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      await expect(core.write(async () => Promise.reject(full))).rejects.toMatchObject({ code: 'READ_ONLY' });
      expect((await caller(core)('system.status', {})).readOnly?.reason).toMatch(/磁盘空间已满/);
      expect((await refusal(core, 'settings.update', { hubName: '又改名' }, token)).code).toBe('READ_ONLY');
      // Logging in again still works.
      await loginAs(core, 'zhangli');
    });
  });

  /** A real small tmpfs (needs root and mount); skipped where it cannot be mounted. */
  function tmpfs(sizeKb: number): { dir: string; umount: () => void } | null {
    const dir = tempDir('incubase-tmpfs-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      return null;
    }
    return {
      dir,
      umount: () => {
        try {
          execFileSync('umount', [dir], { stdio: 'ignore' });
        } catch {
          // already gone
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('on a real tmpfs: read-only remount, and a full disk with the daily backup due', async (ctx) => {
    const src = await demoFolder();
    const fs = tmpfs(64 * 1024);
    if (!fs) return ctx.skip();
    try {
      const dataDir = join(fs.dir, 'data');
      mkdirSync(dataDir);
      cpSync(src, dataDir, { recursive: true });
      await fault('tmpfs remounted read-only', async () => {
        execFileSync('mount', ['-o', 'remount,ro', fs.dir]);
        const core = await Core.open({ dataDir, seed: 'demo', integrityCheck: 'off' });
        try {
          await expectReadOnlyButUsable(core, /只读/);
        } finally {
          await core.close();
        }
        execFileSync('mount', ['-o', 'remount,rw', fs.dir]);
      });
      await fault('tmpfs full, daily backup due', async () => {
        // Fill the disk: the database fits, a backup of it does not.
        try {
          execFileSync('dd', ['if=/dev/zero', `of=${join(fs.dir, 'filler')}`, 'bs=1M', 'count=1000'], { stdio: 'ignore' });
        } catch {
          // dd stops at "No space left on device"
        }
        const core = await Core.open({ dataDir, seed: 'demo', integrityCheck: 'off' });
        try {
          await expectReadOnlyButUsable(core, /磁盘空间已满/);
        } finally {
          await core.close();
        }
        // Room made: it opens for writing again.
        rmSync(join(fs.dir, 'filler'));
        writeFileSync(join(fs.dir, 'probe'), 'x');
        const again = await Core.open({ dataDir, seed: 'demo', integrityCheck: 'off', autoBackup: false });
        try {
          expect(again.readOnly).toBeNull();
        } finally {
          await again.close();
        }
      });
    } finally {
      fs.umount();
    }
  });
});
