import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { databaseOfFolder } from './core';

const ROOT = resolve(__dirname, '../..');

/** The value of `--flag value` / `--flag=value` in `args`. */
function optionIn(args: string[], flag: string): string | undefined {
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].slice(flag.length + 1) : args[i + 1];
}

/**
 * The command line a test's CLI child gets: as given, plus `--database <url>` when its `--data-dir` is the folder of
 * a test hub that lives on PostgreSQL (under `npm run test:pg`), so the child opens the same hub as the test and not
 * a SQLite file in that folder. An explicit `--database` (migrate-to-postgres' target, a test's own) is kept.
 */
export function cliArgs(args: string[]): string[] {
  if (optionIn(args, '--database') !== undefined) return args;
  const dir = optionIn(args, '--data-dir');
  const url = dir ? databaseOfFolder(resolve(dir)) : undefined;
  return url ? [...args, '--database', url] : args;
}

/** Runs `npm run cli -- …` the way a script would (a separate process), without the user's data folder. */
export function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'electron/cli/index.ts'), ...cliArgs(args)], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, INCUBASE_DATA_DIR: '', INCUBASE_DATABASE: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
