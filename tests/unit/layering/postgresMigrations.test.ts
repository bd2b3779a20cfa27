import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/core/db/migrations';
import { MIGRATIONS } from '../../../electron/core/db/migrations/list';
import { postgresMigrations } from '../../../electron/core/db/migrations/postgres';

const DIR = join(__dirname, '../../../electron/core/db/migrations');
const files = (dir: string) => readdirSync(dir).filter((f) => /^\d{4}_.+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, '')).sort();

describe('PostgreSQL migrations', () => {
  it('every SQLite migration has its PostgreSQL form under the same name, in the same order', () => {
    expect(Object.keys(postgresMigrations)).toEqual(Object.keys(migrations));
    for (const m of Object.values(postgresMigrations)) expect(typeof m.up).toBe('function');
  });

  it('both indexes come from the one list, which names every migration file of both folders once, numbered in order', () => {
    const names = MIGRATIONS.map(([name]) => name);
    expect(Object.keys(migrations)).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(names);
    expect(files(DIR)).toEqual(names);
    expect(files(join(DIR, 'postgres'))).toEqual(names);
    names.forEach((n, i) => expect(Number(n.slice(0, 4)), n).toBe(i + 1));
  });
});
