import { sql, type Kysely } from 'kysely';
import { STAT_DIMS } from '../0009_training_stat_cells';
import { run, triggerStatements } from './plpgsql';

/**
 * PostgreSQL form of 0009_training_stat_cells: the same kept statistics, maintained by PL/pgSQL triggers on
 * training_attendance with the statements of the SQLite triggers (IS NOT → IS DISTINCT FROM; the ON CONFLICT
 * updates name their table, as PostgreSQL requires for the existing row).
 */
const year = (r: 'NEW' | 'OLD') => `CAST(substr(${r}.session_date, 1, 4) AS INTEGER)`;

function addStatements(): string {
  return Object.entries(STAT_DIMS)
    .map(([dim, key]) => {
      const cell = `year = ${year('NEW')} AND dim = '${dim}' AND key = ${key('NEW')}`;
      return `
    INSERT INTO training_stat_cells AS c (year, dim, key, person_times, persons, minutes) VALUES (${year('NEW')}, '${dim}', ${key('NEW')}, 1, 0, NEW.credited_minutes)
      ON CONFLICT (year, dim, key) DO UPDATE SET person_times = c.person_times + 1, minutes = c.minutes + excluded.minutes;
    UPDATE training_stat_cells SET persons = persons + 1 WHERE ${cell}
      AND NOT EXISTS (SELECT 1 FROM training_stat_person_cells WHERE ${cell} AND trainee_id = NEW.trainee_id);
    INSERT INTO training_stat_person_cells AS p (year, dim, key, trainee_id, n) VALUES (${year('NEW')}, '${dim}', ${key('NEW')}, NEW.trainee_id, 1)
      ON CONFLICT (year, dim, key, trainee_id) DO UPDATE SET n = p.n + 1;`;
    })
    .join('');
}

function removeStatements(): string {
  return Object.entries(STAT_DIMS)
    .map(([dim, key]) => {
      const cell = `year = ${year('OLD')} AND dim = '${dim}' AND key = ${key('OLD')}`;
      return `
    UPDATE training_stat_person_cells SET n = n - 1 WHERE ${cell} AND trainee_id = OLD.trainee_id;
    UPDATE training_stat_cells SET person_times = person_times - 1, minutes = minutes - OLD.credited_minutes,
      persons = persons - (SELECT count(*) FROM training_stat_person_cells WHERE ${cell} AND trainee_id = OLD.trainee_id AND n <= 0)
      WHERE ${cell};
    DELETE FROM training_stat_person_cells WHERE ${cell} AND trainee_id = OLD.trainee_id AND n <= 0;
    DELETE FROM training_stat_cells WHERE ${cell} AND person_times <= 0;`;
    })
    .join('');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS training_stat_cells (
    year INTEGER NOT NULL,
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    person_times INTEGER NOT NULL,
    persons INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    PRIMARY KEY (year, dim, key)
  )`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS training_stat_person_cells (
    year INTEGER NOT NULL,
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    trainee_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (year, dim, key, trainee_id)
  )`.execute(db);

  // What is already there (one GROUP BY per dimension).
  await sql`DELETE FROM training_stat_person_cells`.execute(db);
  await sql`DELETE FROM training_stat_cells`.execute(db);
  const y = 'CAST(substr(session_date, 1, 4) AS INTEGER)';
  for (const [dim, key] of Object.entries(STAT_DIMS)) {
    const k = key('NEW').replace(/NEW\./g, '');
    const groups = dim === 'total' ? y : `${y}, ${k}`; // PostgreSQL refuses to group by a constant
    await sql
      .raw(
        `INSERT INTO training_stat_person_cells (year, dim, key, trainee_id, n)
         SELECT ${y}, '${dim}', ${k}, trainee_id, COUNT(*) FROM training_attendance WHERE attended = 1 GROUP BY ${groups}, trainee_id`,
      )
      .execute(db);
    await sql
      .raw(
        `INSERT INTO training_stat_cells (year, dim, key, person_times, persons, minutes)
         SELECT ${y}, '${dim}', ${k}, COUNT(*), COUNT(DISTINCT trainee_id), SUM(credited_minutes) FROM training_attendance WHERE attended = 1 GROUP BY ${groups}`,
      )
      .execute(db);
  }

  const changed = ['attended', 'credited_minutes', 'session_date', 'category', 'format', 'role', 'organization_id', 'trainee_id']
    .map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`)
    .join(' OR ');
  await run(db, [
    ...triggerStatements({ name: 'training_stat_insert', table: 'training_attendance', timing: 'AFTER', on: 'INSERT', when: 'NEW.attended = 1', body: addStatements() }),
    ...triggerStatements({ name: 'training_stat_delete', table: 'training_attendance', timing: 'AFTER', on: 'DELETE', when: 'OLD.attended = 1', body: removeStatements() }),
    // An update takes the old row out and puts the new one in (either order gives the same counts).
    ...triggerStatements({ name: 'training_stat_update_old', table: 'training_attendance', timing: 'AFTER', on: 'UPDATE', when: `OLD.attended = 1 AND (${changed})`, body: removeStatements() }),
    ...triggerStatements({ name: 'training_stat_update_new', table: 'training_attendance', timing: 'AFTER', on: 'UPDATE', when: `NEW.attended = 1 AND (${changed})`, body: addStatements() }),
  ]);
}
