import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Core } from '../../../electron/core/core';
import { setFaultHook } from '../../../electron/core/faults';
import { startHost } from '../../../electron/host/server';
import { openCoreInBackground, type CoreStartup } from '../../../electron/host/startup';
import { flipByte } from '../../reliability/faults';
import { tempDir } from '../../helpers/core';

/**
 * Issue 15: the Node host serves the page (and answers calls with 正在启动 and the step) while the core's start-up
 * check runs, instead of listening only after it. The check is held at its fault point `start.check` by a hook
 * that returns a promise, so nothing here depends on how long a check takes.
 */
describe('the Node host answers while the start-up check runs', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    setFaultHook(null);
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  let template: string | null = null;
  afterAll(() => void (template && rmSync(template, { recursive: true, force: true })));

  /** A folder holding a demo hub (a copy of one made once, closed), and a built-page stand-in. */
  async function hubFolder(): Promise<{ dataDir: string; rendererDir: string }> {
    if (!template) {
      template = tempDir();
      const core = await Core.open({ dataDir: template, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
      await core.close();
    }
    const dataDir = tempDir();
    cpSync(template, dataDir, { recursive: true });
    const rendererDir = join(dataDir, 'page');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>孵化基地管理系统</title><div id="root"></div>');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    return { dataDir, rendererDir };
  }

  /** Holds the start-up check: resolves `reached` when the check begins; the check goes on after `release()`. */
  function holdCheck() {
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
  }

  async function hostOn(startup: CoreStartup, rendererDir: string) {
    const { url, app } = await startHost({ core: startup, rendererDir });
    cleanups.push(async () => {
      await app.close();
      await startup.ready.then((c) => c.close(), () => undefined);
    });
    const post = (name: string, body: unknown = {}) =>
      fetch(`${url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-incubase-client': '1' }, body: JSON.stringify(body) });
    return { url, post };
  }

  it('serves the page and answers STARTING with the step while the check is held; the hub works once it is done', async () => {
    const { dataDir, rendererDir } = await hubFolder();
    const hold = holdCheck();
    const startup = openCoreInBackground({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    const { url, post } = await hostOn(startup, rendererDir);
    await hold.reached;

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('孵化基地管理系统');

    const status = await post('system.status');
    expect(status.status).toBe(503);
    expect(status.headers.get('retry-after')).toBe('1');
    const body = await status.json();
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('STARTING');
    expect(body.error.message).toContain('正在启动');
    expect(body.error.message).toContain('检查数据库');
    expect(body.error.details).toEqual({ step: 'check', label: '正在检查数据库…', existing: true });
    const login = await (await post('auth.login', { username: 'admin', password: 'Demo@2026' })).json();
    expect(login.error.code).toBe('STARTING');
    expect(startup.core).toBeNull();

    hold.release();
    await startup.ready;
    const ready = await (await post('system.status')).json();
    expect(ready.ok).toBe(true);
    expect(ready.data.recovery).toBeNull();
    expect(ready.data.initialized).toBe(true);
    const loggedIn = await post('auth.login', { username: 'admin', password: 'Demo@2026' });
    expect(loggedIn.status).toBe(200);
  });

  it('a database that fails the check leads to the recovery screen after the STARTING answers', async () => {
    const { dataDir, rendererDir } = await hubFolder();
    const file = join(dataDir, 'incubase.db');
    const db = new BetterSqlite3(file);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").get() as { rootpage: number }).rootpage;
    db.close();
    flipByte(file, (root - 1) * pageSize); // the b-tree page's type byte: quick_check refuses the tree
    const hold = holdCheck();
    const startup = openCoreInBackground({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    const { post } = await hostOn(startup, rendererDir);
    await hold.reached;
    expect((await (await post('system.status')).json()).error.code).toBe('STARTING');
    hold.release();
    await startup.ready;
    const status = await (await post('system.status')).json();
    expect(status.ok).toBe(true);
    expect(status.data.recovery.reason).toMatch(/完整性检查未通过/);
  });

  it('a folder with no database yet says so (the page shows the progress, not a login form)', async () => {
    const dataDir = tempDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const startup = openCoreInBackground({ dataDir, seed: 'empty', autoBackup: false });
    expect(startup.state()).toMatchObject({ existing: false });
    await startup.ready;
    expect(startup.core).not.toBeNull();
  });
});
