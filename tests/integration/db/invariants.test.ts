import { describe } from 'vitest';
import { openSqliteEngine } from '../../helpers/invariants';
import { invariantSuite } from '../../helpers/invariantSuite';

// The same scenarios run on PostgreSQL in tests/pg/invariants.test.ts (npm run test:pg).
describe('database invariants on SQLite', () => invariantSuite(openSqliteEngine));
