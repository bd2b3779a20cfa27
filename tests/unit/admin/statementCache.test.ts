import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { withStatementCache } from '../../../electron/core/db/connection';
import { sqliteOnly } from '../../helpers/engine';

sqliteOnly.describe('prepared statement cache under kysely', 'better-sqlite3 的预编译语句缓存，只存在于 SQLite 连接', () => {
  it('reuses a statement by its SQL, gives a busy (iterating) one a fresh twin, and drops the least recently used', () => {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)');
    const db = withStatementCache(sqlite, 2);
    const a = db.prepare('SELECT n FROM t ORDER BY n');
    expect(db.prepare('SELECT n FROM t ORDER BY n')).toBe(a);
    const it1 = a.iterate();
    it1.next();
    const b = db.prepare('SELECT n FROM t ORDER BY n');
    expect(b).not.toBe(a);
    expect(b.all()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    it1.return?.();
    expect(db.prepare('SELECT n FROM t ORDER BY n')).toBe(a);
    db.prepare('SELECT 1');
    db.prepare('SELECT 2'); // past max = 2: the oldest (the first query) goes
    expect(db.prepare('SELECT n FROM t ORDER BY n')).not.toBe(a);
    sqlite.close();
  });
});
