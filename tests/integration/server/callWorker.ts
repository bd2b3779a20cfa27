/**
 * One desk in a separate process: its own Core (its own SQLite connection, or PostgreSQL pool on WORKER_DATABASE) on the shared hub, logged in
 * as WORKER_USER. Prints "ready"; each stdin line `<call name> <json input>` is made at once and answered with
 * one JSON line `{ ok, code, message, details }`. `hold {callName, label, excludes, period}` starts an office-wide
 * operation that never ends (answered once it holds the lock), for a test to kill the process under it. `quit` ends it.
 */
import { createInterface } from 'node:readline';
import { Core } from '../../../electron/core/core';
import { loginAs } from '../../helpers/core';

async function main() {
  const now = process.env.WORKER_NOW ? new Date(process.env.WORKER_NOW) : null;
  const database = process.env.WORKER_DATABASE || undefined;
  const core = await Core.open({ dataDir: process.env.WORKER_DATA_DIR!, seed: 'empty', autoBackup: false, now: now ? () => now : undefined, ...(database ? { database } : {}) });
  const token = await loginAs(core, process.env.WORKER_USER!);
  process.stdout.write('ready\n');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line === 'quit') break;
    const space = line.indexOf(' ');
    if (line.slice(0, space) === 'hold') {
      const h = JSON.parse(line.slice(space + 1)) as { callName: string; label: string; excludes: 'writes' | 'everything'; period?: string };
      const user = { displayName: process.env.WORKER_USER!, username: process.env.WORKER_USER! };
      void core.operations.run(h.callName, { label: h.label, excludes: h.excludes }, { period: h.period }, user, () => {
        process.stdout.write(JSON.stringify({ ok: true }) + '\n');
        return new Promise(() => undefined);
      });
      continue;
    }
    const r = await core.invoke(line.slice(0, space), JSON.parse(line.slice(space + 1)), token);
    process.stdout.write(JSON.stringify({ ok: r.ok, code: r.error?.code, message: r.error?.message, details: r.error?.details }) + '\n');
  }
  await core.close();
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack) + '\n');
  process.exit(1);
});
