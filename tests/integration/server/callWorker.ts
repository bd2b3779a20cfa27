/**
 * One desk in a separate process: its own Core (its own SQLite connection) on the shared data folder, logged in
 * as WORKER_USER. Prints "ready"; each stdin line `<call name> <json input>` is made at once and answered with
 * one JSON line `{ ok, code, message, details }`. `quit` ends it.
 */
import { createInterface } from 'node:readline';
import { Core } from '../../../electron/core/core';
import { loginAs } from '../../helpers/core';

async function main() {
  const now = process.env.WORKER_NOW ? new Date(process.env.WORKER_NOW) : null;
  const core = await Core.open({ dataDir: process.env.WORKER_DATA_DIR!, seed: 'empty', autoBackup: false, now: now ? () => now : undefined });
  const token = await loginAs(core, process.env.WORKER_USER!);
  process.stdout.write('ready\n');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line === 'quit') break;
    const space = line.indexOf(' ');
    const r = await core.invoke(line.slice(0, space), JSON.parse(line.slice(space + 1)), token);
    process.stdout.write(JSON.stringify({ ok: r.ok, code: r.error?.code, message: r.error?.message, details: r.error?.details }) + '\n');
  }
  await core.close();
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack) + '\n');
  process.exit(1);
});
