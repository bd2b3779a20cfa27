import { sql, type Kysely } from 'kysely';

/**
 * Helpers for the PostgreSQL forms of the migrations. A SQLite `CREATE TRIGGER … WHEN cond BEGIN SELECT
 * RAISE(ABORT, '说明') END` becomes a PL/pgSQL trigger function that raises the same Chinese text with SQLSTATE
 * P0001 (raise_exception), which the core maps to a RULE refusal just as it maps SQLite's trigger aborts.
 */

/** SQLSTATE of our own refusals (PL/pgSQL's default for RAISE EXCEPTION). */
export const RULE_SQLSTATE = 'P0001';

export interface Guard {
  /** Trigger (and function) name: the SQLite trigger's name. */
  name: string;
  table: string;
  /** `INSERT`, `UPDATE`, `DELETE`, or `UPDATE OF col, col`. */
  on: string;
  /** A boolean SQL expression over NEW/OLD (subqueries allowed); the write is refused when it is true. */
  when?: string;
  message: string;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The statements that create one refusing trigger (re-runnable). */
export function guardStatements(g: Guard): string[] {
  const ret = /DELETE/.test(g.on) ? 'OLD' : 'NEW';
  const body = g.when
    ? `IF (${g.when}) THEN RAISE EXCEPTION USING MESSAGE = ${quote(g.message)}, ERRCODE = '${RULE_SQLSTATE}'; END IF;`
    : `RAISE EXCEPTION USING MESSAGE = ${quote(g.message)}, ERRCODE = '${RULE_SQLSTATE}';`;
  return [
    `CREATE OR REPLACE FUNCTION ${g.name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN ${body} RETURN ${ret}; END $fn$`,
    `DROP TRIGGER IF EXISTS ${g.name} ON ${g.table}`,
    `CREATE TRIGGER ${g.name} BEFORE ${g.on} ON ${g.table} FOR EACH ROW EXECUTE FUNCTION ${g.name}()`,
  ];
}

/** A trigger running `body` (PL/pgSQL statements) for each row; `when` goes into the trigger's WHEN clause. */
export function triggerStatements(t: { name: string; table: string; timing: 'BEFORE' | 'AFTER'; on: string; when?: string; body: string }): string[] {
  const ret = t.timing === 'AFTER' ? 'NULL' : /DELETE/.test(t.on) ? 'OLD' : 'NEW';
  return [
    `CREATE OR REPLACE FUNCTION ${t.name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN ${t.body}
      RETURN ${ret}; END $fn$`,
    `DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}`,
    `CREATE TRIGGER ${t.name} ${t.timing} ${t.on} ON ${t.table} FOR EACH ROW${t.when ? ` WHEN (${t.when})` : ''} EXECUTE FUNCTION ${t.name}()`,
  ];
}

/** `YYYY-MM-DD` and `YYYY-MM-DDTHH:mm` as CHECKed text (SQLite's GLOB patterns). */
export const DATE_RE = `'^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'`;
export const LOCAL_DATETIME_RE = `'^[12][0-9]{3}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]$'`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function run(db: Kysely<any>, statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
