/**
 * One desk in a separate process (started by `startDesk` in ./desk.ts): its own Core — its own SQLite connection
 * on the shared data folder, or its own PostgreSQL pool on DESK_DATABASE — logged in as DESK_USER. Prints "ready";
 * each stdin line `<call name> <json input>` is made at once and answered with one JSON line
 * `{ ok, data, code, message, details }`. `hold {callName, label, excludes, period}` starts an office-wide
 * operation that never ends (answered once it holds the lock), for a test to kill the process under it. `quit` ends it.
 */
import { createInterface } from 'node:readline';
import { Core } from '../../electron/core/core';
import { loginAs } from './core';

async function main() {
  const now = process.env.DESK_NOW ? new Date(process.env.DESK_NOW) : null;
  const database = process.env.DESK_DATABASE || undefined;
  const core = await Core.open({ dataDir: process.env.DESK_DATA_DIR!, seed: 'empty', autoBackup: false, now: now ? () => now : undefined, ...(database ? { database } : {}) });
  const token = await loginAs(core, process.env.DESK_USER!);
  process.stdout.write('ready\n');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line === 'quit') break;
    const space = line.indexOf(' ');
    if (line.slice(0, space) === 'hold') {
      const h = JSON.parse(line.slice(space + 1)) as { callName: string; label: string; excludes: 'writes' | 'everything'; period?: string };
      const user = { displayName: process.env.DESK_USER!, username: process.env.DESK_USER! };
      void core.operations.run(h.callName, { label: h.label, excludes: h.excludes }, { period: h.period }, user, () => {
        process.stdout.write(JSON.stringify({ ok: true }) + '\n');
        return new Promise(() => undefined);
      });
      continue;
    }
    const r = await core.invoke(line.slice(0, space), JSON.parse(line.slice(space + 1)), token);
    process.stdout.write(JSON.stringify({ ok: r.ok, data: r.data, code: r.error?.code, message: r.error?.message, details: r.error?.details }) + '\n');
  }
  await core.close();
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack) + '\n');
  process.exit(1);
});
