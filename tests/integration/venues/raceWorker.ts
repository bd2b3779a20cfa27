/**
 * One side of the approval race: a separate process with its own Core (its own SQLite connection) on the
 * shared data folder. It logs in as the approver, says "ready", and on each "go <id>" line from the parent
 * approves that booking at once and prints the outcome as one JSON line.
 */
import { createInterface } from 'node:readline';
import { Core } from '../../../electron/core/core';
import { loginAs } from '../../helpers/core';

async function main() {
  const dataDir = process.env.RACE_DATA_DIR!;
  const now = new Date(process.env.RACE_NOW!);
  const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false, now: () => now });
  const token = await loginAs(core, 'liming');
  process.stdout.write('ready\n');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line === 'quit') break;
    const id = line.replace(/^go /, '');
    const r = await core.invoke('venues.bookings.approve', { id }, token);
    process.stdout.write(JSON.stringify({ id, ok: r.ok, code: r.error?.code, message: r.error?.message }) + '\n');
  }
  await core.close();
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack) + '\n');
  process.exit(1);
});
