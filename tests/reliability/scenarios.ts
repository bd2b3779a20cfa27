// Actions the crash tests run in a child process (crashAt in faults.ts): each opens the core on a folder,
// does one operation and closes; the child is killed at the chosen fault point.
import { Core } from '../../electron/core/core';

export async function backupCreate(args: { dataDir: string }): Promise<{ fileName: string }> {
  const core = await Core.open({ dataDir: args.dataDir, seed: 'empty', autoBackup: false });
  const b = await core.backups.create('manual');
  await core.close();
  return { fileName: b.fileName };
}
