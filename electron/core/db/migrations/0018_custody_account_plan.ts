import { sql, type Kysely } from 'kysely';

/**
 * The account plan of custody (《民间非营利组织会计制度》): the hub's own money and custodied money never share an
 * account.
 * - `custody_bank_accounts.holds`: `custody` (1002 银行存款·受托代理资产, the default: every existing account is
 *   the custody account it was opened as) or `own` (the hub's own money).
 * - The database refuses, whatever the caller did: a revenue/expense line (4xxx/5xxx) naming an organization; and
 *   posting a voucher (other than a reversal, which must stay possible to undo an old mix-up) whose custody bank
 *   line is against anything but custody liabilities, or whose custody liability line is against an own account.
 * - `custody_account_map`: the hub's 科目对照 for exports (our detail code → the code and name in the hub's
 *   general-ledger software); a code without a row exports as itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const cols = await sql<{ name: string }>`PRAGMA table_info(custody_bank_accounts)`.execute(db);
  if (!cols.rows.some((c) => c.name === 'holds')) {
    await sql`ALTER TABLE custody_bank_accounts ADD COLUMN holds TEXT NOT NULL DEFAULT 'custody' CHECK (holds IN ('custody', 'own'))`.execute(db);
  }
  await sql`CREATE TABLE IF NOT EXISTS custody_account_map (
    our_code TEXT PRIMARY KEY NOT NULL,
    their_code TEXT NOT NULL CHECK (length(their_code) BETWEEN 1 AND 40),
    their_name TEXT NOT NULL DEFAULT '',
    updated_by TEXT,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS custody_journal_own_accounts_no_org BEFORE INSERT ON custody_journal
    WHEN substr(NEW.account_code, 1, 1) IN ('4', '5') AND NEW.org_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '本机构收入、费用科目不能记入组织的受托代理明细账'); END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS custody_vouchers_account_plan_custody_bank BEFORE UPDATE OF status ON custody_vouchers
    WHEN NEW.status = 'posted' AND NEW.kind <> 'reversal'
      AND EXISTS (SELECT 1 FROM custody_journal j JOIN custody_bank_accounts b ON b.id = j.bank_account_id
                   WHERE j.voucher_id = NEW.id AND b.holds = 'custody')
      AND EXISTS (SELECT 1 FROM custody_journal j WHERE j.voucher_id = NEW.id AND substr(j.account_code, 1, 4) NOT IN ('1002', '2601', '2209'))
    BEGIN SELECT RAISE(ABORT, '代管资金专户（受托代理资产）只能与受托代理负债（2601/2209）对应，本机构收入请记入本机构自有账户'); END`.execute(db);
  await sql`CREATE TRIGGER IF NOT EXISTS custody_vouchers_account_plan_own_bank BEFORE UPDATE OF status ON custody_vouchers
    WHEN NEW.status = 'posted' AND NEW.kind <> 'reversal'
      AND EXISTS (SELECT 1 FROM custody_journal j JOIN custody_bank_accounts b ON b.id = j.bank_account_id
                   WHERE j.voucher_id = NEW.id AND b.holds = 'own')
      AND EXISTS (SELECT 1 FROM custody_journal j WHERE j.voucher_id = NEW.id AND substr(j.account_code, 1, 4) IN ('2601', '2209'))
    BEGIN SELECT RAISE(ABORT, '本机构自有账户不能记入代管资金（受托代理负债），请使用代管资金专户'); END`.execute(db);
}
