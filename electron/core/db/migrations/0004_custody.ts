import { sql, type Kysely } from 'kysely';

/**
 * The custody ledger. Vouchers carry the business facts; the journal is written only at posting, is
 * append-only (triggers refuse UPDATE and DELETE) and keeps the derived balances (organization, bank account,
 * budget line) in step by triggers inside the same transaction. Nothing may be dated in a closed period.
 * Amounts are INTEGER fen with CHECKs that refuse anything else.
 */
const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS custody_bank_accounts (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE CHECK (seq BETWEEN 1 AND 99),
    name TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    account_no TEXT NOT NULL,
    format_id TEXT NOT NULL DEFAULT 'icbc',
    opening_date TEXT NOT NULL,
    bank_opening_fen INTEGER NOT NULL DEFAULT 0 CHECK (typeof(bank_opening_fen) = 'integer'),
    ledger_balance_fen INTEGER NOT NULL DEFAULT 0 CHECK (typeof(ledger_balance_fen) = 'integer'),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS custody_accounts (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL UNIQUE REFERENCES organizations(id),
    seq INTEGER NOT NULL UNIQUE CHECK (seq BETWEEN 1 AND 9999),
    liability_code TEXT NOT NULL CHECK (liability_code IN ('2601', '2209')),
    opened_on TEXT NOT NULL,
    balance_fen INTEGER NOT NULL DEFAULT 0 CHECK (typeof(balance_fen) = 'integer'),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS custody_sources (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    grantor TEXT NOT NULL DEFAULT '',
    from_government INTEGER NOT NULL DEFAULT 1,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS custody_projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES custody_sources(id),
    org_id TEXT REFERENCES organizations(id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    CHECK (start_date <= end_date)
  )`,
  `CREATE TABLE IF NOT EXISTS custody_budget_lines (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES custody_projects(id),
    name TEXT NOT NULL,
    budget_fen INTEGER NOT NULL CHECK (typeof(budget_fen) = 'integer' AND budget_fen >= 0),
    spent_fen INTEGER NOT NULL DEFAULT 0 CHECK (typeof(spent_fen) = 'integer'),
    sort_order INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE INDEX IF NOT EXISTS custody_budget_lines_project ON custody_budget_lines (project_id)`,
  `CREATE TABLE IF NOT EXISTS custody_periods (
    period TEXT PRIMARY KEY CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    closed INTEGER NOT NULL DEFAULT 0,
    closed_at TEXT,
    closed_by TEXT,
    reopened_at TEXT,
    reopened_by TEXT,
    reopen_reason TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS custody_vouchers (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('opening', 'receipt', 'disbursement', 'transfer', 'income', 'reversal')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'posted')),
    date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    period TEXT NOT NULL,
    seq INTEGER,
    number TEXT UNIQUE,
    amount_fen INTEGER NOT NULL CHECK (typeof(amount_fen) = 'integer' AND amount_fen > 0),
    org_id TEXT REFERENCES custody_accounts(org_id),
    to_org_id TEXT REFERENCES custody_accounts(org_id),
    bank_account_id TEXT REFERENCES custody_bank_accounts(id),
    source_id TEXT REFERENCES custody_sources(id),
    project_id TEXT REFERENCES custody_projects(id),
    budget_line_id TEXT REFERENCES custody_budget_lines(id),
    revenue_code TEXT,
    counterparty TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    attachments INTEGER NOT NULL DEFAULT 0,
    reverses_id TEXT UNIQUE REFERENCES custody_vouchers(id),
    maker_id TEXT NOT NULL,
    submitted_at TEXT,
    approver_id TEXT,
    approved_at TEXT,
    poster_id TEXT,
    posted_at TEXT,
    override_by TEXT,
    override_reason TEXT,
    override_at TEXT,
    reject_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (period = substr(date, 1, 7)),
    CHECK ((status = 'posted') = (number IS NOT NULL AND seq IS NOT NULL)),
    CHECK (approver_id IS NULL OR approver_id <> maker_id),
    CHECK (override_by IS NULL OR override_by <> maker_id)
  )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS custody_vouchers_seq ON custody_vouchers (period, seq) WHERE seq IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS custody_vouchers_status ON custody_vouchers (status, date)`,
  `CREATE INDEX IF NOT EXISTS custody_vouchers_org ON custody_vouchers (org_id, date)`,
  `CREATE INDEX IF NOT EXISTS custody_vouchers_date ON custody_vouchers (date)`,
  // A posted voucher is frozen; nothing is dated in a closed period.
  `CREATE TRIGGER IF NOT EXISTS custody_vouchers_posted_no_update BEFORE UPDATE ON custody_vouchers
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '已记账的凭证不可修改'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_vouchers_posted_no_delete BEFORE DELETE ON custody_vouchers
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '已记账的凭证不可删除'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_vouchers_closed_insert BEFORE INSERT ON custody_vouchers
    WHEN EXISTS (SELECT 1 FROM custody_periods p WHERE p.period = NEW.period AND p.closed = 1)
    BEGIN SELECT RAISE(ABORT, '该月已结账，不能录入凭证'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_vouchers_closed_update BEFORE UPDATE ON custody_vouchers
    WHEN EXISTS (SELECT 1 FROM custody_periods p WHERE p.closed = 1 AND p.period IN (NEW.period, OLD.period))
    BEGIN SELECT RAISE(ABORT, '该月已结账，不能修改凭证'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_vouchers_closed_delete BEFORE DELETE ON custody_vouchers
    WHEN EXISTS (SELECT 1 FROM custody_periods p WHERE p.period = OLD.period AND p.closed = 1)
    BEGIN SELECT RAISE(ABORT, '该月已结账，不能删除凭证'); END`,

  `CREATE TABLE IF NOT EXISTS custody_journal (
    id INTEGER PRIMARY KEY,
    voucher_id TEXT NOT NULL REFERENCES custody_vouchers(id),
    line_no INTEGER NOT NULL,
    date TEXT NOT NULL,
    period TEXT NOT NULL,
    account_code TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (typeof(amount_fen) = 'integer' AND amount_fen <> 0),
    bank_account_id TEXT REFERENCES custody_bank_accounts(id),
    org_id TEXT REFERENCES custody_accounts(org_id),
    source_id TEXT,
    project_id TEXT,
    budget_line_id TEXT REFERENCES custody_budget_lines(id),
    CHECK ((substr(account_code, 1, 4) = '1002') = (bank_account_id IS NOT NULL)),
    CHECK (substr(account_code, 1, 4) NOT IN ('2601', '2209') OR org_id IS NOT NULL),
    UNIQUE (voucher_id, line_no)
  )`,
  `CREATE INDEX IF NOT EXISTS custody_journal_org ON custody_journal (org_id, date) WHERE org_id IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS custody_journal_bank ON custody_journal (bank_account_id, date) WHERE bank_account_id IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS custody_journal_budget ON custody_journal (budget_line_id) WHERE budget_line_id IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS custody_journal_source ON custody_journal (source_id, date) WHERE source_id IS NOT NULL`,
  `CREATE TRIGGER IF NOT EXISTS custody_journal_no_update BEFORE UPDATE ON custody_journal
    BEGIN SELECT RAISE(ABORT, '已记账的分录不可修改，请做冲销凭证'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_journal_no_delete BEFORE DELETE ON custody_journal
    BEGIN SELECT RAISE(ABORT, '已记账的分录不可删除，请做冲销凭证'); END`,
  // Lines are written while their approved voucher is being posted (same transaction); the status change to
  // 'posted' then requires them to exist and sum to zero, and a posted voucher takes no further line.
  `CREATE TRIGGER IF NOT EXISTS custody_journal_only_posting BEFORE INSERT ON custody_journal
    WHEN (SELECT v.status FROM custody_vouchers v WHERE v.id = NEW.voucher_id) IS NOT 'approved'
      OR (SELECT v.date FROM custody_vouchers v WHERE v.id = NEW.voucher_id) IS NOT NEW.date
      OR NEW.period <> substr(NEW.date, 1, 7)
    BEGIN SELECT RAISE(ABORT, '分录只能随凭证记账写入'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_vouchers_post_balanced BEFORE UPDATE OF status ON custody_vouchers
    WHEN NEW.status = 'posted' AND (
      (SELECT count(*) FROM custody_journal j WHERE j.voucher_id = NEW.id) < 2
      OR (SELECT sum(j.amount_fen) FROM custody_journal j WHERE j.voucher_id = NEW.id) <> 0)
    BEGIN SELECT RAISE(ABORT, '凭证分录借贷不平，不能记账'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_vouchers_lines_only_posted BEFORE UPDATE OF status ON custody_vouchers
    WHEN NEW.status <> 'posted' AND EXISTS (SELECT 1 FROM custody_journal j WHERE j.voucher_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '已写入分录的凭证只能记账'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_journal_closed BEFORE INSERT ON custody_journal
    WHEN EXISTS (SELECT 1 FROM custody_periods p WHERE p.period = NEW.period AND p.closed = 1)
    BEGIN SELECT RAISE(ABORT, '该月已结账，不能记账'); END`,
  // Derived balances follow every journal insert inside the same transaction.
  `CREATE TRIGGER IF NOT EXISTS custody_journal_balances AFTER INSERT ON custody_journal
    BEGIN
      UPDATE custody_bank_accounts SET ledger_balance_fen = ledger_balance_fen + NEW.amount_fen
        WHERE NEW.bank_account_id IS NOT NULL AND id = NEW.bank_account_id;
      UPDATE custody_accounts SET balance_fen = balance_fen - NEW.amount_fen
        WHERE NEW.org_id IS NOT NULL AND substr(NEW.account_code, 1, 4) IN ('2601', '2209') AND org_id = NEW.org_id;
      UPDATE custody_budget_lines SET spent_fen = spent_fen + NEW.amount_fen
        WHERE NEW.budget_line_id IS NOT NULL AND id = NEW.budget_line_id;
    END`,

  `CREATE TABLE IF NOT EXISTS custody_statement_imports (
    id TEXT PRIMARY KEY,
    bank_account_id TEXT NOT NULL REFERENCES custody_bank_accounts(id),
    file_name TEXT NOT NULL,
    format_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    added_count INTEGER NOT NULL,
    duplicate_count INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS custody_statement_lines (
    id TEXT PRIMARY KEY,
    bank_account_id TEXT NOT NULL REFERENCES custody_bank_accounts(id),
    import_id TEXT NOT NULL REFERENCES custody_statement_imports(id),
    row_no INTEGER NOT NULL,
    date TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (typeof(amount_fen) = 'integer' AND amount_fen <> 0),
    balance_fen INTEGER CHECK (balance_fen IS NULL OR typeof(balance_fen) = 'integer'),
    counterparty_name TEXT NOT NULL DEFAULT '',
    counterparty_account TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    dedupe_key TEXT NOT NULL,
    UNIQUE (bank_account_id, dedupe_key)
  )`,
  `CREATE INDEX IF NOT EXISTS custody_statement_lines_date ON custody_statement_lines (bank_account_id, date)`,
  `CREATE TRIGGER IF NOT EXISTS custody_statement_lines_no_update BEFORE UPDATE ON custody_statement_lines
    BEGIN SELECT RAISE(ABORT, '银行流水导入后不可修改'); END`,
  `CREATE TRIGGER IF NOT EXISTS custody_statement_lines_closed BEFORE INSERT ON custody_statement_lines
    WHEN EXISTS (SELECT 1 FROM custody_periods p WHERE p.period = substr(NEW.date, 1, 7) AND p.closed = 1)
    BEGIN SELECT RAISE(ABORT, '该月已结账，不能再导入该月的银行流水'); END`,

  `CREATE TABLE IF NOT EXISTS custody_match_groups (
    id TEXT PRIMARY KEY,
    bank_account_id TEXT NOT NULL REFERENCES custody_bank_accounts(id),
    method TEXT NOT NULL CHECK (method IN ('auto', 'manual')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS custody_match_items (
    group_id TEXT NOT NULL REFERENCES custody_match_groups(id) ON DELETE CASCADE,
    side TEXT NOT NULL CHECK (side IN ('bank', 'entry')),
    item_id TEXT NOT NULL,
    date TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    PRIMARY KEY (side, item_id)
  )`,
  `CREATE INDEX IF NOT EXISTS custody_match_items_group ON custody_match_items (group_id)`,
  `CREATE TRIGGER IF NOT EXISTS custody_match_items_closed BEFORE DELETE ON custody_match_items
    WHEN EXISTS (SELECT 1 FROM custody_periods p WHERE p.period = substr(OLD.date, 1, 7) AND p.closed = 1)
    BEGIN SELECT RAISE(ABORT, '该月已结账，不能取消勾对'); END`,

  `CREATE TABLE IF NOT EXISTS custody_reconciliations (
    id TEXT PRIMARY KEY,
    bank_account_id TEXT NOT NULL REFERENCES custody_bank_accounts(id),
    as_of TEXT NOT NULL,
    ledger_balance_fen INTEGER NOT NULL,
    bank_balance_fen INTEGER NOT NULL,
    adjusted_ledger_fen INTEGER NOT NULL,
    adjusted_bank_fen INTEGER NOT NULL,
    snapshot_json TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`,

  `CREATE TABLE IF NOT EXISTS custody_inkind (
    id TEXT PRIMARY KEY,
    org_id TEXT REFERENCES organizations(id),
    donor TEXT NOT NULL,
    received_on TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    value_fen INTEGER NOT NULL CHECK (typeof(value_fen) = 'integer' AND value_fen >= 0),
    valuation_basis TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'distributed', 'returned')),
    handled_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS custody_inkind_date ON custody_inkind (received_on)`,

  `CREATE TABLE IF NOT EXISTS custody_attachments (
    id TEXT PRIMARY KEY,
    voucher_id TEXT NOT NULL REFERENCES custody_vouchers(id),
    file_name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS custody_attachments_voucher ON custody_attachments (voucher_id)`,
  `CREATE TRIGGER IF NOT EXISTS custody_attachments_posted_no_delete BEFORE DELETE ON custody_attachments
    WHEN (SELECT status FROM custody_vouchers WHERE id = OLD.voucher_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, '已记账凭证的附件不可删除'); END`,
];

// Migrations receive Kysely<any>: they describe the schema as it was at their time, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}
