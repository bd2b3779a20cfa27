import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Runs `npm run cli -- …` the way a script would (a separate process), without the user's data folder. */
export function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'electron/cli/index.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, INCUBASE_DATA_DIR: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
