import { fork, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreClient, type FromCore, type ToCore } from '../../../electron/node/coreProcess';
import { DEMO_PASSWORD } from '../../../electron/core/seed';
import { tempDir } from '../../helpers/core';

const ENTRY = resolve(__dirname, '../../../electron/node/coreEntry.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** The core process as Electron's utilityProcess runs it, here under plain Node with the same messages. */
function start(options: object) {
  const child = fork(ENTRY, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  children.push(child);
  const progress: string[] = [];
  const client = new CoreClient({ send: (m: ToCore) => child.send(m), onMessage: (l: (m: FromCore) => void) => child.on('message', (m) => l(m as FromCore)) });
  client.onProgress((label) => progress.push(label));
  return { child, client, progress };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the core process (utilityProcess entry, driven with child_process.fork)', () => {
  it('reports its start-up steps, answers calls made before it was ready, keeps the session token for the shell', async () => {
    const dataDir = tempDir('incubase-coreproc-');
    dirs.push(dataDir);
    const { client, progress } = start({ dataDir, seed: 'demo', autoBackup: false });
    const early = client.invoke('system.status', {}, null); // sent at once, answered after the open
    const status = await early;
    expect(status.ok).toBe(true);
    expect(status.data).toMatchObject({ initialized: true, demo: true, recovery: null });
    expect(progress).toContain('正在升级数据库…');
    const login = await client.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD }, null);
    expect(login.ok).toBe(true);
    expect(login.sessionToken).toBeTruthy();
    const me = await client.invoke('auth.me', {}, login.sessionToken!);
    expect(me.ok).toBe(true);
    await client.close();
  }, 120_000);

  it('a broken database leads to the recovery status (the recovery screen), not a dead window', async () => {
    const dataDir = tempDir('incubase-coreproc-');
    dirs.push(dataDir);
    writeFileSync(join(dataDir, 'incubase.db'), Buffer.alloc(8192, 7));
    const { client, progress } = start({ dataDir, seed: 'empty', autoBackup: false });
    const ready = await client.ready;
    expect(ready.recovery).toBeTruthy();
    const status = await client.invoke('system.status', {}, null);
    expect(status.ok).toBe(true);
    expect((status.data as { recovery: unknown }).recovery).not.toBeNull();
    expect(progress[0]).toBe('正在检查数据库…');
    await client.close();
  }, 120_000);
});
