import { describe } from 'vitest';
import { openSqliteEngine } from '../../helpers/invariants';
import { invariantSuite } from '../../helpers/invariantSuite';
import { sqliteOnly } from '../../helpers/engine';

// The same scenarios run on PostgreSQL in tests/pg/invariants.test.ts (npm run test:pg).
sqliteOnly.describe('database invariants on SQLite', 'SQLite 的约束与触发器；同一套检查在 PostgreSQL 上见 tests/pg/invariants.test.ts', () => invariantSuite(openSqliteEngine));
