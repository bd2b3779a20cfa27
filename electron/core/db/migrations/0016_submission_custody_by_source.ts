import { sql, type Kysely } from 'kysely';

/**
 * The 工作台's custody-by-source tile sums the organization liability lines (2601 / 2209) of the journal per
 * funding source. This partial covering index holds exactly those lines, by source, with their amounts: the tile
 * reads the index alone (half the journal's entries, no table row) instead of the whole ledger.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS custody_journal_liability_source
    ON custody_journal (source_id, amount_fen) WHERE substr(account_code, 1, 4) IN ('2601', '2209')`.execute(db);
}
