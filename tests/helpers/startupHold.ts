import { afterAll, afterEach } from 'vitest';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Core } from '../../electron/core/core';
import { setFaultHook } from '../../electron/core/faults';
import { flipByte } from '../reliability/faults';
import { tempDir } from './core';

/**
 * What the start-up tests of the hosts share (tests/integration/admin/hostStartup.test.ts for the Node host,
 * tests/integration/server/officeStartup.test.ts for the office server): call inside a `describe`; it registers
 * the clean-up hooks and gives a demo hub folder, a hold on the start-up check and a broken database.
 */
export function startupFixtures() {
  const cleanups: (() => Promise<void> | void)[] = [];
  let template: string | null = null;
  afterEach(async () => {
    setFaultHook(null);
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(() => void (template && rmSync(template, { recursive: true, force: true })));

  return {
    /** Run after the test (last registered first). */
    cleanups,

    /** A folder holding a demo hub (a copy of one made once per file, closed), and a built-page stand-in. */
    async hubFolder(): Promise<{ dataDir: string; rendererDir: string }> {
      if (!template) {
        template = tempDir('incubase-startup-template-');
        const core = await Core.open({ dataDir: template, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
        await core.close();
      }
      const dataDir = tempDir('incubase-startup-');
      cpSync(template, dataDir, { recursive: true });
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const rendererDir = join(dataDir, 'page');
      mkdirSync(rendererDir);
      writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>孵化基地管理系统</title><div id="root"></div>');
      return { dataDir, rendererDir };
    },

    /**
     * Holds the start-up check at its fault point `start.check` (a hook returning a promise, so nothing depends on
     * how long a check takes): `reached` resolves when the check begins; it goes on after `release()`.
     */
    holdCheck(): { reached: Promise<void>; release: () => void } {
      let release!: () => void;
      let reached!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const reachedP = new Promise<void>((r) => (reached = r));
      setFaultHook((point) => {
        if (point !== 'start.check') return;
        reached();
        return held;
      });
      return { reached: reachedP, release: () => release() };
    },

    /** Flips the type byte of the audit log's b-tree root page: quick_check refuses the file. */
    breakDatabase(dataDir: string): void {
      const file = join(dataDir, 'incubase.db');
      const db = new BetterSqlite3(file);
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").get() as { rootpage: number }).rootpage;
      db.close();
      flipByte(file, (root - 1) * pageSize);
    },
  };
}
