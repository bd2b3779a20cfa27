import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The same work in raw SQL (plain better-sqlite3), where one exists. */
  baseline?: number;
  ratio?: number;
  /** The target from the issue, for the reader. */
  target?: string;
}

/** What every `*.bench.ts` receives. */
export class Bench {
  readonly figures: Figure[] = [];

  report(f: Figure): void {
    const figure: Figure = { ...f, value: round(f.value) };
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

  /** A scratch folder kept between runs (big generated databases are expensive to rebuild). */
  workDir(name: string): string {
    const dir = join(process.env.INCUBASE_BENCH_DIR ?? join(tmpdir(), 'incubase-bench'), name);
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
