import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Bench, type BenchEngine } from './bench';
import { startPrivatePostgres, type PrivatePostgres } from '../../scripts/with-postgres';

/**
 * `npm run bench [-- name ...] [--database pg|pg-only]`: runs every tests/bench/*.bench.ts (or those named), one
 * JSON line per figure (with its `engine`).
 * `--database pg`: each bench runs on SQLite, then on PostgreSQL beside it — a private server started here
 * (scripts/with-postgres.ts, removed afterwards); `--database pg-only` runs the PostgreSQL pass alone. A bench
 * takes part in the PostgreSQL pass by exporting `engines` with 'postgres'; the others are named as not yet there.
 */
function parseArgs(argv: string[]): { only: string[]; engines: BenchEngine[] } {
  const only: string[] = [];
  let database = 'sqlite';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--database') database = argv[++i] ?? '';
    else if (a.startsWith('--database=')) database = a.slice('--database='.length);
    else only.push(a);
  }
  const engines: Record<string, BenchEngine[]> = { sqlite: ['sqlite'], pg: ['sqlite', 'postgres'], postgres: ['sqlite', 'postgres'], 'pg-only': ['postgres'] };
  if (!engines[database]) throw new Error(`--database ${database}: expected sqlite, pg or pg-only`);
  return { only, engines: engines[database] };
}

async function main() {
  const { only, engines } = parseArgs(process.argv.slice(2));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));
  const bench = new Bench();
  let server: PrivatePostgres | null = null;
  try {
    if (engines.includes('postgres')) {
      server = await startPrivatePostgres();
      bench.pgServerUrl = server.url;
      process.stderr.write(`# PostgreSQL on ${new URL(server.url).host} (private, removed at the end)\n`);
    }
    for (const f of files) {
      const mod = (await import(join(__dirname, f))) as { default: (b: Bench) => Promise<void>; engines?: BenchEngine[] };
      for (const engine of engines) {
        if (!(mod.engines ?? ['sqlite']).includes(engine)) {
          process.stderr.write(`# ${f}: not on ${engine} yet\n`);
          continue;
        }
        bench.engine = engine;
        // tests/helpers (openTestCore, freshPgDatabase) give PostgreSQL databases exactly when this is set
        if (engine === 'postgres') process.env.INCUBASE_TEST_DATABASE = server!.url;
        else delete process.env.INCUBASE_TEST_DATABASE;
        process.stderr.write(`# ${f} on ${engine}\n`);
        await mod.default(bench);
      }
    }
  } finally {
    server?.stop();
  }
  process.stderr.write(`# ${bench.figures.length} figures\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
