// Actions the crash tests run in a child process (crashAt in faults.ts): each opens the core on a folder,
// does one operation and closes; the child is killed at the chosen fault point.
import { Core } from '../../electron/core/core';

export async function backupCreate(args: { dataDir: string }): Promise<{ fileName: string }> {
  const core = await Core.open({ dataDir: args.dataDir, seed: 'empty', autoBackup: false });
  const b = await core.backups.create('manual');
  await core.close();
  return { fileName: b.fileName };
}

/** An acknowledged write, then a restore of `fileName` (killed at one of its steps by the test). */
export async function writeThenRestore(args: { dataDir: string; fileName: string; hubName: string }): Promise<{ keptAs: string }> {
  const core = await Core.open({ dataDir: args.dataDir, seed: 'empty', autoBackup: false, integrityCheck: 'off' });
  const r = await core.invokeAs({ id: 'cli', username: 'cli', displayName: '命令行', roles: ['admin'] }, 'settings.update', { hubName: args.hubName });
  if (!r.ok) throw new Error(r.error?.message);
  const out = await core.backups.restore(args.fileName);
  await core.close();
  return out;
}
