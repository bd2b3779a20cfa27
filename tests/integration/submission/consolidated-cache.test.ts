import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { addOrganizations, openHub } from './helpers';

/**
 * The consolidated view keeps this hub's own records between calls (the roster's pages would otherwise read
 * the whole ledger again each time); any change, by this application or by another process on the same
 * file or database, is seen on the next call — on PostgreSQL too, where a write need not come through this process.
 */
describe('own records in the consolidated view follow every change of the database', () => {
  let h: Awaited<ReturnType<typeof openHub>>;
  const view = () => h.call('submission.consolidated', { period: '2026-Q3', includeOwn: true });
  const roster = () => h.call('submission.consolidated.orgs', { period: '2026-Q3', startRow: 0, endRow: 100 });

  beforeAll(async () => {
    h = await openHub('玉林街道孵化基地', '510107001', 'township');
    await addOrganizations(h.core, [
      { id: 'c1', name: '玉林读书会' },
      { id: 'c2', name: '玉林舞蹈队' },
    ]);
  });
  afterAll(async () => h?.cleanup());

  it('sees a write of the application and a write of another process', async () => {
    expect((await view()).node!.totals.organizations).toBe(2);
    expect((await roster()).total).toBe(2);
    // Unchanged database: the same figures again.
    expect((await view()).node!.totals.organizations).toBe(2);

    await addOrganizations(h.core, [{ id: 'c3', name: '玉林志愿服务队' }]);
    expect((await view()).node!.totals.organizations).toBe(3);
    expect((await roster()).rows.map((r) => r.name)).toContain('玉林志愿服务队');

    // Another connection (as the CLI on the same data folder, or a second server on the same PostgreSQL database,
    // would be) commits a change that writes no audit entry (a DBA's statement).
    const insert = `INSERT INTO organizations (id, name, mgmt_class, field_code, area_type, status, created_at, updated_at)
           VALUES ('c4', '玉林调解队', 'guided', 'F01', 'urban', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`;
    if (h.core.engine === 'postgres') {
      const other = new pg.Client({ connectionString: h.core.databaseUrl! });
      await other.connect();
      try {
        await other.query(insert);
      } finally {
        await other.end();
      }
    } else {
      const other = new Database(h.core.dbPath);
      try {
        other.prepare(insert).run();
      } finally {
        other.close();
      }
    }
    expect((await view()).node!.totals.organizations).toBe(4);
    expect((await roster()).total).toBe(4);
  });
});
