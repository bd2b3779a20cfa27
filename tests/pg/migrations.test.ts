import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../electron/core/db/migrations';
import { appliedPostgresMigrations, migratePostgresToLatest } from '../../electron/core/db/postgres';
import { openFreshPg } from '../helpers/pg';

describe('PostgreSQL migrations', () => {
  let pg: Awaited<ReturnType<typeof openFreshPg>>;
  beforeAll(async () => {
    pg = await openFreshPg('mig');
  });
  afterAll(async () => {
    await pg.close();
  });

  it('apply every migration once, in order; two migrators at once and a re-run change nothing', async () => {
    const counts = await Promise.all([migratePostgresToLatest(pg.db), migratePostgresToLatest(pg.db)]);
    expect(counts).toEqual([Object.keys(migrations).length, Object.keys(migrations).length]);
    expect(await appliedPostgresMigrations(pg.db)).toEqual(Object.keys(migrations));
    expect(await migratePostgresToLatest(pg.db)).toBe(Object.keys(migrations).length);
  });

  it('keeps the training statistics by trigger (0009) and returns BIGINT fen as numbers', async () => {
    const at = '2026-03-01T00:00:00.000Z';
    await sql`INSERT INTO training_sessions (id, title, category, format, date, minutes, trainer, created_at, updated_at)
      VALUES ('s1', '财务培训', 'finance', 'offline', '2026-03-05', 90, '李老师', ${at}, ${at})`.execute(pg.db);
    await sql`INSERT INTO training_trainees (id, name, name_key, role, readings, created_at, updated_at)
      VALUES ('t1', '王芳', 'wangfang', 'leader', '[]', ${at}, ${at})`.execute(pg.db);
    await sql`INSERT INTO training_attendance (session_id, trainee_id, status, credited_minutes, completed, source, session_date, category, format, role, attended, updated_at)
      VALUES ('s1', 't1', 'present', 90, 1, 'manual', '2026-03-05', 'finance', 'offline', 'leader', 1, ${at})`.execute(pg.db);
    const cells = await sql<{ dim: string; key: string; person_times: number; persons: number; minutes: number }>`
      SELECT dim, key, person_times, persons, minutes FROM training_stat_cells WHERE year = 2026 ORDER BY dim`.execute(pg.db);
    expect(cells.rows.find((c) => c.dim === 'total')).toEqual({ dim: 'total', key: '', person_times: 1, persons: 1, minutes: 90 });
    expect(cells.rows.find((c) => c.dim === 'month')?.key).toBe('2026-03');
    await sql`UPDATE training_attendance SET attended = 0, status = 'absent', credited_minutes = 0`.execute(pg.db);
    const after = await sql<{ n: number }>`SELECT count(*) AS n FROM training_stat_cells`.execute(pg.db);
    expect(after.rows[0].n).toBe(0);
    expect(typeof after.rows[0].n).toBe('number');
  });
});
