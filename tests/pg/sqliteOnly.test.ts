import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Lists every test the `pg` project skips as truly about the SQLite file (tests/helpers/engine.ts `sqliteOnly`),
// with its reason, and checks each names one: the run prints the list, so a skip is never silent.
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('tests skipped on PostgreSQL', () => {
  it('are marked with sqliteOnly, each with its reason, and listed here', () => {
    const root = join(__dirname, '..');
    const found: { file: string; kind: string; name: string; reason: string }[] = [];
    for (const file of [...testFiles(join(root, 'unit')), ...testFiles(join(root, 'integration'))]) {
      const text = readFileSync(file, 'utf8');
      // sqliteOnly.describe('name', 'reason', … / sqliteOnly.it('name', 'reason', …
      for (const m of text.matchAll(/sqliteOnly\.(describe|it)\(\s*(['"`])((?:(?!\2).)*)\2\s*,\s*(['"`])((?:(?!\4).)*)\4/gs)) {
        found.push({ file: relative(root, file), kind: m[1], name: m[3], reason: m[5] });
      }
      // a bare skip by engine is not allowed: it would hide its reason
      expect(text, `${relative(root, file)}: skip on PostgreSQL through sqliteOnly(name, reason, …)`).not.toMatch(/skipIf\(\s*onPostgres/);
    }
    for (const f of found) expect(f.reason.trim().length, `${f.file}「${f.name}」 has no reason`).toBeGreaterThan(3);
    process.stdout.write(
      `\nSQLite-only tests skipped on PostgreSQL (${found.length}):\n${found.map((f) => `  ${f.file} ${f.kind}「${f.name}」: ${f.reason}`).join('\n')}\n`,
    );
    expect(found.length).toBeGreaterThan(0);
  });
});
