import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from './bench';

/** `npm run bench [-- name ...]`: runs every tests/bench/*.bench.ts (or those named), one JSON line per figure. */
async function main() {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));
  const bench = new Bench();
  for (const f of files) {
    process.stderr.write(`# ${f}\n`);
    const mod = (await import(join(__dirname, f))) as { default: (b: Bench) => Promise<void> };
    await mod.default(bench);
  }
  process.stderr.write(`# ${bench.figures.length} figures\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
