import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { addMonths } from '@shared/dates/parse';
import type { Db } from '../db/connection';

/**
 * The one definition of each organization figure that more than one screen shows (工作台 tiles, the ledger's
 * count and 超期 filter, the incubation board's columns, the street summary). Each screen reads these
 * conditions; `tests/integration/organizations/figures.test.ts` compares every pair on the demo hub and on
 * random data.
 *
 * - 组织数: every record of the ledger (as the ledger's 「共 N 个组织」 with no filter), withdrawn ones included;
 * - by class / by stage: the same records grouped (the board's columns are the stage counts);
 * - 超期: admitted or incubating, and past the agreement end, or (without one) admitted more than the term ago.
 */
export interface FigureEnv {
  today: string;
  settings: { incubationTermMonths: number };
}

/** 超期 as an SQL condition on `organizations` (columns unqualified). */
export function overdueCondition(env: FigureEnv): RawBuilder<SqlBool> {
  const cutoff = addMonths(env.today, -env.settings.incubationTermMonths);
  return sql<SqlBool>`(incubation_stage IN ('admitted', 'incubating') AND (
    (agreement_end IS NOT NULL AND agreement_end < ${env.today}) OR
    (agreement_end IS NULL AND admitted_date IS NOT NULL AND admitted_date < ${cutoff})))`;
}

export interface OrganizationFigures {
  total: number;
  withdrawn: number;
  byClass: Map<string, number>;
  byStage: Map<string | null, number>;
  overdue: number;
}

export async function organizationFigures(db: Db, env: FigureEnv): Promise<OrganizationFigures> {
  const rows = (
    await sql<{ c: string; s: string | null; st: string; n: number; o: number }>`SELECT mgmt_class AS c, incubation_stage AS s, status AS st,
        count(*) AS n, count(CASE WHEN ${overdueCondition(env)} THEN 1 END) AS o
      FROM organizations GROUP BY mgmt_class, incubation_stage, status`.execute(db)
  ).rows;
  const f: OrganizationFigures = { total: 0, withdrawn: 0, byClass: new Map(), byStage: new Map(), overdue: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    f.total += n;
    if (r.st === 'withdrawn') f.withdrawn += n;
    f.byClass.set(r.c, (f.byClass.get(r.c) ?? 0) + n);
    f.byStage.set(r.s, (f.byStage.get(r.s) ?? 0) + n);
    f.overdue += Number(r.o ?? 0);
  }
  return f;
}
