/**
 * One side of a PostgreSQL race: a separate process with its own Core (its own pool) on the shared PostgreSQL
 * database (RACE_DATABASE) and its own data folder. Logs in as RACE_USER, says "ready", then for each line
 * `{"name": …, "input": …}` makes that call at once and prints the outcome as one JSON line.
 */
import { createInterface } from 'node:readline';
import { Core } from '../../electron/core/core';
import { loginAs } from '../helpers/core';

async function main() {
  const now = process.env.RACE_NOW ? new Date(process.env.RACE_NOW) : null;
  const core = await Core.open({ dataDir: process.env.RACE_DATA_DIR!, database: process.env.RACE_DATABASE!, seed: 'empty', autoBackup: false, now: now ? () => now : undefined });
  const token = await loginAs(core, process.env.RACE_USER!);
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'quit') break;
    const { name, input } = JSON.parse(line) as { name: string; input: unknown };
    const r = await core.invoke(name, input, token);
    process.stdout.write(JSON.stringify({ ok: r.ok, data: r.data, code: r.error?.code, message: r.error?.message }) + '\n');
  }
  await core.close();
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack) + '\n');
  process.exit(1);
});
