// The child process of `crashAt` (faults.ts): runs one action and kills itself with SIGKILL at a fault point.
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFaultHook } from '../../electron/core/faults';
import type { CrashSpec } from './faults';

const spec = JSON.parse(process.env.INCUBASE_CRASH_SPEC ?? '{}') as CrashSpec;
let hits = 0;
setFaultHook((point) => {
  writeSync(1, `POINT ${point}\n`);
  if (point === spec.point && ++hits === (spec.nth ?? 1)) process.kill(process.pid, 'SIGKILL');
});

async function main(): Promise<void> {
  const mod = (await import(pathToFileURL(resolve(process.cwd(), spec.module)).href)) as Record<string, (a: unknown) => Promise<unknown>>;
  const result = await mod[spec.export](spec.args);
  writeSync(1, `RESULT ${JSON.stringify(result ?? null)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  writeSync(2, `${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
