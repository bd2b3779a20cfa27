import { sql, type Kysely } from 'kysely';
import { guardStatements, run } from './plpgsql';

/** PostgreSQL form of 0018_custody_account_plan: the bank account's `holds`, the account map, the same three rules. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE custody_bank_accounts ADD COLUMN IF NOT EXISTS holds TEXT NOT NULL DEFAULT 'custody' CHECK (holds IN ('custody', 'own'))`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS custody_account_map (
    our_code TEXT PRIMARY KEY NOT NULL,
    their_code TEXT NOT NULL CHECK (length(their_code) BETWEEN 1 AND 40),
    their_name TEXT NOT NULL DEFAULT '',
    updated_by TEXT,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await run(db, [
    ...guardStatements({
      name: 'custody_journal_own_accounts_no_org',
      table: 'custody_journal',
      on: 'INSERT',
      when: "substr(NEW.account_code, 1, 1) IN ('4', '5') AND NEW.org_id IS NOT NULL",
      message: '本机构收入、费用科目不能记入组织的受托代理明细账',
    }),
    ...guardStatements({
      name: 'custody_vouchers_account_plan_custody_bank',
      table: 'custody_vouchers',
      on: 'UPDATE OF status',
      when: `NEW.status = 'posted' AND NEW.kind <> 'reversal'
      AND EXISTS (SELECT 1 FROM custody_journal j JOIN custody_bank_accounts b ON b.id = j.bank_account_id
                   WHERE j.voucher_id = NEW.id AND b.holds = 'custody')
      AND EXISTS (SELECT 1 FROM custody_journal j WHERE j.voucher_id = NEW.id AND substr(j.account_code, 1, 4) NOT IN ('1002', '2601', '2209'))`,
      message: '代管资金专户（受托代理资产）只能与受托代理负债（2601/2209）对应，本机构收入请记入本机构自有账户',
    }),
    ...guardStatements({
      name: 'custody_vouchers_account_plan_own_bank',
      table: 'custody_vouchers',
      on: 'UPDATE OF status',
      when: `NEW.status = 'posted' AND NEW.kind <> 'reversal'
      AND EXISTS (SELECT 1 FROM custody_journal j JOIN custody_bank_accounts b ON b.id = j.bank_account_id
                   WHERE j.voucher_id = NEW.id AND b.holds = 'own')
      AND EXISTS (SELECT 1 FROM custody_journal j WHERE j.voucher_id = NEW.id AND substr(j.account_code, 1, 4) IN ('2601', '2209'))`,
      message: '本机构自有账户不能记入代管资金（受托代理负债），请使用代管资金专户',
    }),
  ]);
}
