import { describe } from 'vitest';
import { openPostgresEngine } from '../helpers/invariants';
import { invariantSuite } from '../helpers/invariantSuite';

// The same scenarios as tests/integration/db/invariants.test.ts (SQLite), against PostgreSQL.
describe('database invariants on PostgreSQL', () => invariantSuite(openPostgresEngine));
