import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export type BenchEngine = 'sqlite' | 'postgres';

export interface Figure {
  name: string;
  /** The engine the figure was measured on (set by `report`); its baseline ran on the same engine. */
  engine?: BenchEngine;
  value: number;
  unit: string;
  /** The same work in raw SQL (plain better-sqlite3; on PostgreSQL plain `pg`), where one exists. */
  baseline?: number;
  ratio?: number;
  /** The target from the issue, for the reader. */
  target?: string;
}

/**
 * What every `*.bench.ts` receives. `npm run bench -- --database pg` runs each bench on SQLite and then again on a
 * private PostgreSQL server the runner started (tests/bench/index.ts): a bench that runs on PostgreSQL exports
 * `engines = ['sqlite', 'postgres']` and reads `b.engine`; it opens its hubs with `database: await b.database(name)`
 * and measures its raw baseline on the same engine (`b.rawPg(url)` is a plain `pg` client on such a database).
 */
export class Bench {
  readonly figures: Figure[] = [];
  /** The engine of the current pass. */
  engine: BenchEngine = 'sqlite';
  /** The private server's URL during the PostgreSQL pass (its maintenance database), else null. */
  pgServerUrl: string | null = null;
  private readonly databases = new Map<string, string>();

  /**
   * On PostgreSQL: the URL of a database named for the bench (created empty on first use in this run, kept for
   * the run so a bench can build a big hub once and reopen it). On SQLite: undefined (the hub is the data folder's
   * file), so `Core.open({ dataDir, database: await b.database('x') })` works on both.
   */
  async database(name: string): Promise<string | undefined> {
    if (this.engine !== 'postgres') return undefined;
    const known = this.databases.get(name);
    if (known) return known;
    const dbName = `bench_${name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
    const client = await this.rawPg(this.pgServerUrl!);
    try {
      await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${dbName}`);
    } finally {
      await client.end();
    }
    const u = new URL(this.pgServerUrl!);
    u.pathname = `/${dbName}`;
    this.databases.set(name, u.toString());
    return u.toString();
  }

  /** Whether `database(name)` was already created in this run (a cached hub folder is only valid with it). */
  hasDatabase(name: string): boolean {
    return this.engine !== 'postgres' || this.databases.has(name);
  }

  /** A connected plain `pg` client (the raw baseline on PostgreSQL); the caller ends it. */
  async rawPg(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  }

  report(f: Figure): void {
    const figure: Figure = { ...f, engine: this.engine, value: round(f.value) };
    if (f.baseline !== undefined) {
      figure.baseline = round(f.baseline);
      figure.ratio = f.ratio ?? round(f.baseline > 0 ? f.value / f.baseline : 0);
    }
    this.figures.push(figure);
    process.stdout.write(JSON.stringify(figure) + '\n');
  }

  /** Milliseconds of one run. */
  async time(fn: () => unknown): Promise<number> {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  }

  /** Median of n runs after one warm-up, in ms. */
  async timeMedian(n: number, fn: (i: number) => unknown): Promise<number> {
    await fn(-1);
    const ts: number[] = [];
    for (let i = 0; i < n; i++) ts.push(await this.time(() => fn(i)));
    return percentile(ts, 50);
  }

  /** 95th percentile of n runs after one warm-up, in ms. */
  async timeP95(n: number, fn: (i: number) => unknown): Promise<number> {
    await fn(-1);
    const ts: number[] = [];
    for (let i = 0; i < n; i++) ts.push(await this.time(() => fn(i)));
    return percentile(ts, 95);
  }

  /**
   * A scratch folder kept between runs (big generated databases are expensive to rebuild). On PostgreSQL a
   * folder of its own (`<name>-pg`): the hub lives in the server, which is new each run, so the bench rebuilds.
   * `engine` 'sqlite' names the SQLite folder whatever the pass (a hub generated on SQLite, copied to PostgreSQL).
   */
  workDir(name: string, engine: BenchEngine = this.engine): string {
    const dir = join(process.env.INCUBASE_BENCH_DIR ?? join(tmpdir(), 'incubase-bench'), engine === 'postgres' ? `${name}-pg` : name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Peak resident memory so far, in MB (sampled by the caller around the work). */
  rssMb(): number {
    return process.memoryUsage().rss / 1024 / 1024;
  }
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const round = (v: number) => Math.round(v * 100) / 100;

/** Samples RSS every 20 ms while `fn` runs; returns the peak in MB. */
export async function peakRssDuring<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}
