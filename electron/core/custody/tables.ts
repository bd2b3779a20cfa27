import type { Generated } from 'kysely';

/** Row types of the custody tables (migration 0004_custody). Money columns are INTEGER fen. */
export interface CustodyBankAccountTable {
  id: string;
  seq: number;
  name: string;
  bank_name: string;
  account_no: string;
  format_id: string;
  opening_date: string;
  bank_opening_fen: number;
  ledger_balance_fen: Generated<number>;
  active: Generated<number>;
  /** 'custody' (受托代理资产) or 'own' (the hub's own money), migration 0018. */
  holds: Generated<string>;
  created_at: string;
}

export interface CustodyAccountTable {
  id: string;
  org_id: string;
  seq: number;
  liability_code: string;
  opened_on: string;
  balance_fen: Generated<number>;
  note: Generated<string>;
  created_at: string;
}

export interface CustodySourceTable {
  id: string;
  kind: string;
  name: string;
  grantor: Generated<string>;
  from_government: Generated<number>;
  active: Generated<number>;
  created_at: string;
}

export interface CustodyProjectTable {
  id: string;
  name: string;
  source_id: string;
  org_id: string | null;
  start_date: string;
  end_date: string;
  active: Generated<number>;
  created_at: string;
}

export interface CustodyBudgetLineTable {
  id: string;
  project_id: string;
  name: string;
  budget_fen: number;
  spent_fen: Generated<number>;
  sort_order: Generated<number>;
}

export interface CustodyPeriodTable {
  period: string;
  closed: number;
  closed_at: string | null;
  closed_by: string | null;
  reopened_at: string | null;
  reopened_by: string | null;
  reopen_reason: string | null;
}

export interface CustodyVoucherTable {
  id: string;
  kind: string;
  status: string;
  date: string;
  period: string;
  seq: number | null;
  number: string | null;
  amount_fen: number;
  org_id: string | null;
  to_org_id: string | null;
  bank_account_id: string | null;
  source_id: string | null;
  project_id: string | null;
  budget_line_id: string | null;
  revenue_code: string | null;
  counterparty: string;
  purpose: string;
  attachments: number;
  reverses_id: string | null;
  maker_id: string;
  submitted_at: string | null;
  approver_id: string | null;
  approved_at: string | null;
  poster_id: string | null;
  posted_at: string | null;
  override_by: string | null;
  override_reason: string | null;
  override_at: string | null;
  reject_reason: string | null;
  created_at: string;
  updated_at: string;
  /** Raised by one with every change (0019; electron/core/api/versions.ts). */
  version: number;
}

export interface CustodyJournalTable {
  id: Generated<number>;
  voucher_id: string;
  line_no: number;
  date: string;
  period: string;
  account_code: string;
  amount_fen: number;
  bank_account_id: string | null;
  org_id: string | null;
  source_id: string | null;
  project_id: string | null;
  budget_line_id: string | null;
}

export interface CustodyStatementImportTable {
  id: string;
  bank_account_id: string;
  file_name: string;
  format_id: string;
  sha256: string;
  added_count: number;
  duplicate_count: number;
  imported_by: string;
  imported_at: string;
}

export interface CustodyStatementLineTable {
  id: string;
  bank_account_id: string;
  import_id: string;
  row_no: number;
  date: string;
  amount_fen: number;
  balance_fen: number | null;
  counterparty_name: string;
  counterparty_account: string;
  summary: string;
  serial: string;
  dedupe_key: string;
}

export interface CustodyMatchGroupTable {
  id: string;
  bank_account_id: string;
  method: string;
  created_by: string;
  created_at: string;
}

export interface CustodyMatchItemTable {
  group_id: string;
  side: string;
  item_id: string;
  date: string;
  amount_fen: number;
}

export interface CustodyReconciliationTable {
  id: string;
  bank_account_id: string;
  as_of: string;
  ledger_balance_fen: number;
  bank_balance_fen: number;
  adjusted_ledger_fen: number;
  adjusted_bank_fen: number;
  snapshot_json: string;
  created_by: string;
  created_at: string;
}

export interface CustodyInKindTable {
  id: string;
  org_id: string | null;
  donor: string;
  received_on: string;
  description: string;
  quantity: string;
  unit: string;
  value_fen: number;
  valuation_basis: string;
  status: string;
  handled_on: string | null;
  note: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface CustodyAttachmentTable {
  id: string;
  voucher_id: string;
  file_name: string;
  mime_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  added_by: string;
  added_at: string;
}

/** 科目对照: our detail code → the hub's general-ledger code (migration 0018). */
export interface CustodyAccountMapTable {
  our_code: string;
  their_code: string;
  their_name: string;
  updated_by: string | null;
  updated_at: string;
}

/** A line of a custody history import and the posted voucher it became (migration 0025). */
export interface CustodyHistoryRowTable {
  row_key: string;
  voucher_id: string;
  org_id: string;
  file_name: string;
  row_number: number;
  /** The line's own voucher number in the old 台账 (凭证号), its 经办人 and 审批人, as written. */
  source_no: string;
  handled_by: string;
  file_approver: string;
  imported_by: string;
  approved_by: string;
  imported_at: string;
}

export interface CustodyTables {
  custody_bank_accounts: CustodyBankAccountTable;
  custody_accounts: CustodyAccountTable;
  custody_sources: CustodySourceTable;
  custody_projects: CustodyProjectTable;
  custody_budget_lines: CustodyBudgetLineTable;
  custody_periods: CustodyPeriodTable;
  custody_vouchers: CustodyVoucherTable;
  custody_journal: CustodyJournalTable;
  custody_statement_imports: CustodyStatementImportTable;
  custody_statement_lines: CustodyStatementLineTable;
  custody_match_groups: CustodyMatchGroupTable;
  custody_match_items: CustodyMatchItemTable;
  custody_reconciliations: CustodyReconciliationTable;
  custody_inkind: CustodyInKindTable;
  custody_attachments: CustodyAttachmentTable;
  custody_account_map: CustodyAccountMapTable;
  custody_history_rows: CustodyHistoryRowTable;
}
