import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    reliabilityCounts: string;
  }
}

/**
 * Gives every reliability test file one counts file (each fault scenario appends a JSON line) and prints the
 * suite's summary line when the run ends: `reliability: faults injected N, survived N, data lost 0`.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'incubase-reliability-'));
  const file = join(dir, 'counts.jsonl');
  project.provide('reliabilityCounts', file);
  return () => {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    const rows = lines.map((l) => JSON.parse(l) as { survived: boolean; dataLost: boolean });
    const survived = rows.filter((r) => r.survived && !r.dataLost).length;
    const lost = rows.filter((r) => r.dataLost).length;
    process.stdout.write(`\nreliability: faults injected ${rows.length}, survived ${survived}, data lost ${lost}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
