import { describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/core/db/migrations';
import { postgresMigrations } from '../../../electron/core/db/migrations/postgres';

describe('PostgreSQL migrations', () => {
  it('every SQLite migration has its PostgreSQL form under the same name, in the same order', () => {
    expect(Object.keys(postgresMigrations)).toEqual(Object.keys(migrations));
    for (const m of Object.values(postgresMigrations)) expect(typeof m.up).toBe('function');
  });
});
