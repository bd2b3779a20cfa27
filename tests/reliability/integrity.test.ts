import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core';
import { ioError } from '../../electron/core/faults';
import { caller, loginAs, tempDir } from '../helpers/core';
import { failAt, fault, flipByte } from './faults';

interface Page {
  name: string;
  type: 'table' | 'index';
  pageno: number;
}

let template: string;
let pageSize: number;
let leaves: Page[];

/** One demo hub, made once; each case damages a copy of it. */
beforeAll(async () => {
  template = tempDir('incubase-rel-integrity-');
  const core = await Core.open({ dataDir: template, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
  await core.backups.create('manual');
  await core.close();
  const db = new BetterSqlite3(join(template, 'incubase.db'), { readonly: true });
  pageSize = db.pragma('page_size', { simple: true }) as number;
  leaves = db
    .prepare("SELECT s.name, m.type, s.pageno FROM dbstat s JOIN sqlite_master m ON m.name = s.name WHERE s.pagetype = 'leaf' ORDER BY s.pageno")
    .all() as Page[];
  db.close();
});

function copyOfTemplate(): string {
  const dataDir = tempDir('incubase-rel-');
  copyFileSync(join(template, 'incubase.db'), join(dataDir, 'incubase.db'));
  copyFileSync(join(template, 'incubase.hub.json'), join(dataDir, 'incubase.hub.json'));
  mkdirSync(join(dataDir, 'backups'));
  for (const f of readdirSync(join(template, 'backups'))) copyFileSync(join(template, 'backups', f), join(dataDir, 'backups', f));
  return dataDir;
}

function check(file: string, kind: 'quick_check' | 'integrity_check'): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.pragma(`${kind}(20)`) as Record<string, string>[]).map((r) => r[kind]).filter((r) => r !== 'ok');
  } catch (e) {
    return [(e as Error).message];
  } finally {
    db.close();
  }
}

/** A copy with one byte flipped in the cell area of an index leaf page: quick_check passes, integrity_check does not. */
function indexDamagedCopy(): { dataDir: string; index: string } {
  for (const page of leaves.filter((p) => p.type === 'index')) {
    for (const back of [40, 60, 90, 130]) {
      const dataDir = copyOfTemplate();
      const file = join(dataDir, 'incubase.db');
      flipByte(file, (page.pageno - 1) * pageSize + pageSize - back);
      if (check(file, 'quick_check').length === 0 && check(file, 'integrity_check').some((p) => p.includes(page.name)))
        return { dataDir, index: page.name };
    }
  }
  throw new Error('no index page found whose damage only integrity_check sees');
}

const open = (dataDir: string) => Core.open({ dataDir, seed: 'demo', autoBackup: false });

describe('the start-up check finds index corruption (a full integrity_check after opening)', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('damage only in an index is repaired with REINDEX, audited and reported', async () => {
    const { dataDir, index } = indexDamagedCopy();
    await fault(`byte flipped in index ${index}`, async () => {
      const core = await open(dataDir);
      cleanup = () => core.close();
      // quick_check at start passes: the app opens at once, the full check runs after.
      expect(core.recovery).toBeNull();
      const outcome = await core.integrity!;
      expect(outcome.status).toBe('repaired');
      expect(outcome.indexes).toContain(index);
      const status = await caller(core)('system.status', {});
      expect(status.notices.map((n) => n.message).join()).toContain(`已自动重建索引：${index}`);
      const call = caller(core, await loginAs(core, 'admin'));
      const audit = await call('audit.list', { startRow: 0, endRow: 5, filter: { action: 'system.integrity' } });
      expect(audit.rows[0].summary).toContain(index);
      expect(check(join(dataDir, 'incubase.db'), 'integrity_check')).toEqual([]);
    });
  });

  it('when the repair does not take, the app goes to the recovery screen with its backups', async () => {
    const { dataDir, index } = indexDamagedCopy();
    await fault(`byte flipped in index ${index}, REINDEX fails`, async () => {
      failAt('integrity.reindex', ioError('EIO'));
      const core = await open(dataDir);
      cleanup = () => core.close();
      const outcome = await core.integrity!;
      expect(outcome.status).toBe('failed');
      expect(core.recovery?.reason).toMatch(/完整性检查/);
      const status = await caller(core)('system.status', {});
      expect(status.recovery!.backups.length).toBe(1);
      // Calls refused until a backup is restored.
      expect((await core.invoke('auth.login', { username: 'admin', password: 'Demo@2026' })).ok).toBe(false);
      await caller(core)('system.recover', { fileName: status.recovery!.backups[0].fileName });
      expect(core.recovery).toBeNull();
    });
  });

  it('16 single-byte flips across tables and indexes: the app never runs on a file that integrity_check reports broken', async () => {
    const sample = [...leaves.filter((p) => p.type === 'table').slice(0, 8), ...leaves.filter((p) => p.type === 'index').slice(0, 8)];
    let detected = 0;
    for (const [i, page] of sample.entries()) {
      await fault(`byte flip ${i + 1}/16 in ${page.type} ${page.name}`, async () => {
        const dataDir = copyOfTemplate();
        const file = join(dataDir, 'incubase.db');
        flipByte(file, (page.pageno - 1) * pageSize + pageSize - 40 - i);
        const broken = check(file, 'integrity_check').length > 0;
        if (broken) detected++;
        const core = await open(dataDir);
        try {
          await core.integrity;
          // Either refused (recovery), or repaired, or sound to integrity_check.
          if (!core.recovery) expect(check(file, 'integrity_check')).toEqual([]);
        } finally {
          await core.close();
        }
      });
    }
    expect(detected).toBeGreaterThan(0);
  });
});
