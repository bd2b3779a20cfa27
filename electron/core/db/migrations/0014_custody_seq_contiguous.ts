import { sql, type Kysely } from 'kysely';

/**
 * Custody: voucher numbers stay 1..n in each month, enforced by the database. A voucher may take number n only
 * when n − 1 of the same month exists (n = 1 needs none); with the (period, seq) unique index and posted vouchers
 * frozen (no update, no delete), a month's numbers can then never have a gap. Posting used to count the whole
 * month before every posting to detect one (O(vouchers in the month)); now it reads the last number from the index
 * and this trigger answers with one index probe. Closing a month still counts once.
 */
const GAP = `NEW.seq IS NOT NULL AND (NEW.seq < 1 OR (NEW.seq > 1 AND NOT EXISTS (
      SELECT 1 FROM custody_vouchers p WHERE p.period = NEW.period AND p.seq = NEW.seq - 1)))`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `CREATE TRIGGER IF NOT EXISTS custody_vouchers_seq_contiguous BEFORE UPDATE OF seq, period ON custody_vouchers
    WHEN ${GAP}
    BEGIN SELECT RAISE(ABORT, '凭证号必须按月连续编号，不能跳号'); END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER IF NOT EXISTS custody_vouchers_seq_contiguous_insert BEFORE INSERT ON custody_vouchers
    WHEN ${GAP}
    BEGIN SELECT RAISE(ABORT, '凭证号必须按月连续编号，不能跳号'); END`,
    )
    .execute(db);
}
