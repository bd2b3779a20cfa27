// Actions the package crash tests run in a child process (crashAt in faults.ts).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Core } from '../../electron/core/core';
import { caller, loginAs } from '../helpers/core';
import { PASSWORD } from '../integration/submission/helpers';

/** Opens the federation's folder, logs in as its administrator and imports one package file. */
export async function importPackageFile(args: { dataDir: string; file: string }): Promise<unknown> {
  const core = await Core.open({ dataDir: args.dataDir, seed: 'empty', autoBackup: false });
  try {
    const call = caller(core, await loginAs(core, 'boss', PASSWORD));
    return await call('submission.packages.import', { files: [{ name: basename(args.file), base64: readFileSync(args.file).toString('base64') }] });
  } finally {
    await core.close();
  }
}
