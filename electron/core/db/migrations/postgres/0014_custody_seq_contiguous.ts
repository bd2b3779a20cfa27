import type { Kysely } from 'kysely';
import { guardStatements, run } from './plpgsql';

/**
 * PostgreSQL form of 0014_custody_seq_contiguous: voucher numbers stay 1..n in each month. Number n needs n − 1
 * of the same month. Two transactions numbering the same month at once cannot both take n: the (period, seq)
 * unique index makes the second wait for the first and then fail, which the core retries.
 */
const GAP = `NEW.seq IS NOT NULL AND (NEW.seq < 1 OR (NEW.seq > 1 AND NOT EXISTS (
      SELECT 1 FROM custody_vouchers p WHERE p.period = NEW.period AND p.seq = NEW.seq - 1)))`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await run(db, [
    ...guardStatements({ name: 'custody_vouchers_seq_contiguous', table: 'custody_vouchers', on: 'UPDATE OF seq, period', when: GAP, message: '凭证号必须按月连续编号，不能跳号' }),
    ...guardStatements({ name: 'custody_vouchers_seq_contiguous_insert', table: 'custody_vouchers', on: 'INSERT', when: GAP, message: '凭证号必须按月连续编号，不能跳号' }),
  ]);
}
