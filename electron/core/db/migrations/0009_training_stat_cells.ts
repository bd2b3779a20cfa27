import { sql, type Kysely } from 'kysely';

/**
 * Training statistics kept as they happen: person-times, credited minutes and distinct persons per year and
 * per cell of each dimension (total, role, category, format, month, organization), maintained by triggers on
 * training_attendance, so the statistics page reads a few dozen rows instead of grouping every attendance of
 * the year (300,000 rows take seconds; the page must answer within 300 ms).
 *
 * Distinct persons: training_stat_person_cells counts each person's attended rows per cell; a cell's
 * `persons` goes up when a person's count leaves 0 and down when it returns to 0.
 * Only attended rows (present or late: `attended = 1`) count, as in the statistics before.
 */
export const STAT_DIMS: Record<string, (row: 'NEW' | 'OLD') => string> = {
  total: () => "''",
  role: (r) => `${r}.role`,
  category: (r) => `${r}.category`,
  format: (r) => `${r}.format`,
  month: (r) => `substr(${r}.session_date, 1, 7)`,
  organization: (r) => `coalesce(${r}.organization_id, '')`,
};

const year = (r: 'NEW' | 'OLD') => `CAST(substr(${r}.session_date, 1, 4) AS INTEGER)`;

function addStatements(): string {
  return Object.entries(STAT_DIMS)
    .map(([dim, key]) => {
      const cell = `year = ${year('NEW')} AND dim = '${dim}' AND key = ${key('NEW')}`;
      return `
    INSERT INTO training_stat_cells (year, dim, key, person_times, persons, minutes) VALUES (${year('NEW')}, '${dim}', ${key('NEW')}, 1, 0, NEW.credited_minutes)
      ON CONFLICT (year, dim, key) DO UPDATE SET person_times = person_times + 1, minutes = minutes + excluded.minutes;
    UPDATE training_stat_cells SET persons = persons + 1 WHERE ${cell}
      AND NOT EXISTS (SELECT 1 FROM training_stat_person_cells WHERE ${cell} AND trainee_id = NEW.trainee_id);
    INSERT INTO training_stat_person_cells (year, dim, key, trainee_id, n) VALUES (${year('NEW')}, '${dim}', ${key('NEW')}, NEW.trainee_id, 1)
      ON CONFLICT (year, dim, key, trainee_id) DO UPDATE SET n = n + 1;`;
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
  ) WITHOUT ROWID`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS training_stat_person_cells (
    year INTEGER NOT NULL,
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    trainee_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (year, dim, key, trainee_id)
  ) WITHOUT ROWID`.execute(db);

  // What is already there (one GROUP BY per dimension).
  await sql`DELETE FROM training_stat_person_cells`.execute(db);
  await sql`DELETE FROM training_stat_cells`.execute(db);
  for (const [dim, key] of Object.entries(STAT_DIMS)) {
    const k = key('NEW').replace(/NEW\./g, '');
    await sql
      .raw(
        `INSERT INTO training_stat_person_cells (year, dim, key, trainee_id, n)
         SELECT CAST(substr(session_date, 1, 4) AS INTEGER), '${dim}', ${k}, trainee_id, COUNT(*) FROM training_attendance WHERE attended = 1 GROUP BY 1, 3, 4`,
      )
      .execute(db);
    await sql
      .raw(
        `INSERT INTO training_stat_cells (year, dim, key, person_times, persons, minutes)
         SELECT CAST(substr(session_date, 1, 4) AS INTEGER), '${dim}', ${k}, COUNT(*), COUNT(DISTINCT trainee_id), SUM(credited_minutes) FROM training_attendance WHERE attended = 1 GROUP BY 1, 3`,
      )
      .execute(db);
  }

  await sql`DROP TRIGGER IF EXISTS training_stat_insert`.execute(db);
  await sql`DROP TRIGGER IF EXISTS training_stat_update_old`.execute(db);
  await sql`DROP TRIGGER IF EXISTS training_stat_update_new`.execute(db);
  await sql`DROP TRIGGER IF EXISTS training_stat_delete`.execute(db);
  await sql.raw(`CREATE TRIGGER training_stat_insert AFTER INSERT ON training_attendance WHEN NEW.attended = 1 BEGIN${addStatements()}
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER training_stat_delete AFTER DELETE ON training_attendance WHEN OLD.attended = 1 BEGIN${removeStatements()}
  END`).execute(db);
  // An update takes the old row out and puts the new one in (either order gives the same counts).
  const changed = ['attended', 'credited_minutes', 'session_date', 'category', 'format', 'role', 'organization_id', 'trainee_id']
    .map((c) => `OLD.${c} IS NOT NEW.${c}`)
    .join(' OR ');
  await sql.raw(`CREATE TRIGGER training_stat_update_old AFTER UPDATE ON training_attendance WHEN OLD.attended = 1 AND (${changed}) BEGIN${removeStatements()}
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER training_stat_update_new AFTER UPDATE ON training_attendance WHEN NEW.attended = 1 AND (${changed}) BEGIN${addStatements()}
  END`).execute(db);
}
