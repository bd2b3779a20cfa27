/**
 * Bank statement import: the preview is the import run dry, so what the accountant sees is exactly what will be
 * written. Lines are deduplicated on (bank account, dedupe key): the same statement imported twice adds nothing,
 * while two equal payments on one day stay two lines.
 */
import { createHash, randomUUID } from 'node:crypto';
import { fail } from '@shared/errors';
import {
  bankFormatById,
  checkRunningBalance,
  detectBankFormat,
  detectBySynonyms,
  findHeaderRow,
  formatFromMapping,
  normalizeStatement,
  type BankFormat,
  type GenericMapping,
  type StatementLine,
} from '@shared/custody/statement';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { readTable } from '../importing/readTable';
import { PREVIEW_FIRST_ROWS, PREVIEW_MAX_ERROR_ROWS, keepPreview, previewPage, releasePreview } from '../importing/previewStore';
import { opOf, requireBankAccount } from './common';

export interface StatementSourceInput {
  bankAccountId: string;
  file: { name: string; base64: string };
  formatId?: string;
  mapping?: GenericMapping;
  /** The user confirmed importing a statement whose own account number differs from the chosen account's. */
  confirmAccount?: boolean;
}

/**
 * The account number a statement names in its preamble (账号/帐号/账户/卡号: 1202 0000 0000 1234), digits only
 * (masked digits kept as *), or null when the preamble names none.
 */
export function statementAccountNumber(preamble: readonly unknown[][]): string | null {
  for (const row of preamble) {
    const text = row.filter((c) => c !== null && c !== undefined && c !== '').map(String).join(' ');
    const m = /(?:账号|帐号|账户号码|账户|卡号)\s*[:：]?\s*([0-9*＊][0-9*＊\s-]{6,}[0-9*＊])/.exec(text);
    if (m) return m[1].replace(/[\s-]/g, '').replace(/＊/g, '*');
  }
  return null;
}

/** Whether a statement's account number (possibly masked: 6222****1234) is the account's number. */
export function sameAccountNumber(fromFile: string, accountNo: string): boolean {
  const a = fromFile.replace(/[^0-9*]/g, '');
  const b = accountNo.replace(/\D/g, '');
  if (!a.includes('*')) return a === b;
  const head = a.slice(0, a.indexOf('*'));
  const tail = a.slice(a.lastIndexOf('*') + 1);
  return b.length >= head.length + tail.length && b.startsWith(head) && b.endsWith(tail);
}

const MAPPING_IMPORTER = 'custody.statement';

async function parse(db: Db | Trx, input: StatementSourceInput) {
  const bank = await requireBankAccount(db, input.bankAccountId);
  const buffer = Buffer.from(input.file.base64, 'base64');
  // the bank formats find their own header and footers among the rows, so the rows come as they are
  const table = await readTable({ buffer, fileName: input.file.name }, { multiRowHeader: false, keepFooters: true, allowPdf: true });
  const rows: unknown[][] = new Array(table.rows.length + 1);
  const rowNumbers: number[] = new Array(table.rows.length + 1);
  rows[0] = table.headers;
  rowNumbers[0] = table.headerRowNumber;
  for (let i = 0; i < table.rows.length; i++) {
    rows[i + 1] = table.rows[i].cells;
    rowNumbers[i + 1] = table.rows[i].rowNumber;
  }
  table.rows = []; // the rows are `rows` now, let go one by one as they become lines
  let format: BankFormat | null | undefined;
  if (input.formatId === 'generic' || (!input.formatId && input.mapping)) {
    if (!input.mapping) throw fail.validation('自定义格式需要设置列映射');
    format = formatFromMapping(input.mapping);
  } else if (input.formatId) {
    format = bankFormatById(input.formatId);
    if (!format) throw fail.validation(`未知的对账单格式 ${input.formatId}`);
  } else {
    // a built-in bank, then a mapping this hub saved for another bank's files, then the usual column names
    format = detectBankFormat(rows) ?? (await rememberedFormat(db, rows)) ?? detectBySynonyms(rows) ?? (bank.format_id !== 'generic' ? bankFormatById(bank.format_id) : null);
    if (!format) throw fail.validation('无法识别对账单格式(列名与已知银行都不相同),请选择"其他银行(自定义列)"设置一次列对应关系,保存后下次导入同样的文件会自动识别');
  }
  const result = normalizeStatement(rows, format, rowNumbers, { releaseRows: true });
  if (result.headerRow < 0 && !input.formatId && !input.mapping && result.issues[0]) {
    result.issues[0] = {
      ...result.issues[0],
      message: `${result.issues[0].message}。如果这是其他银行(如农商银行)的对账单,请选择"其他银行(自定义列)"设置一次列对应关系,保存后下次导入同样的文件会自动识别`,
    };
  }
  const fileAccountNo = statementAccountNumber(rows.slice(0, Math.max(0, result.headerRow)) as unknown[][]);
  const accountMismatch =
    fileAccountNo && bank.account_no && !sameAccountNumber(fileAccountNo, bank.account_no)
      ? `对账单上的账号 ${fileAccountNo} 与所选账户「${bank.name}」的账号 ${bank.account_no} 不一致,请确认选择了正确的账户${input.confirmAccount ? '(已确认仍要导入)' : ''}`
      : null;
  // Lines before the account's start date are inside its opening balance already.
  const early = result.lines.filter((l) => l.date < bank.opening_date);
  const lines = result.lines.filter((l) => l.date >= bank.opening_date);
  const existing = new Set<string>();
  const keys = lines.map((l) => l.dedupeKey);
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const found = await db
      .selectFrom('custody_statement_lines')
      .select('dedupe_key')
      .where('bank_account_id', '=', bank.id)
      .where('dedupe_key', 'in', chunk)
      .execute();
    for (const f of found) existing.add(f.dedupe_key);
  }
  const headerRow = result.headerRow >= 0 ? rows[result.headerRow] : [];
  // Only what the preview and the import use is returned: the file's rows (100,000 lines are a few hundred MB of
  // cells) and its bytes are let go here, before the lines are written, instead of living until the call ends.
  return {
    bank,
    sha256: createHash('sha256').update(buffer).digest('hex'),
    encoding: table.encoding ?? null,
    format,
    result,
    lines,
    early,
    existing,
    headers: headerRow.map((h) => (h === null || h === undefined ? '' : String(h))),
    headerRowNumber: result.headerRow >= 0 ? rowNumbers[result.headerRow] : 0,
    fileAccountNo,
    accountMismatch,
  };
}

/** The mapping saved for another bank (自定义列) whose columns this file's header has, the most columns first. */
async function rememberedFormat(db: Db | Trx, rows: unknown[][]): Promise<BankFormat | null> {
  const saved = await db.selectFrom('import_mappings').select(['mapping_json']).where('importer', '=', MAPPING_IMPORTER).orderBy('updated_at', 'desc').execute();
  let best: { format: BankFormat; score: number } | null = null;
  for (const s of saved) {
    let m: GenericMapping;
    try {
      m = JSON.parse(s.mapping_json) as GenericMapping;
    } catch {
      continue;
    }
    const format = formatFromMapping(m);
    const found = findHeaderRow(rows, format);
    if (!found) continue;
    const wanted = Object.keys(format.columns).length;
    const score = Object.keys(found.columns).length;
    // every column the mapping names must be there: another bank's mapping that only shares 交易日期 is not it
    if (score === wanted && (!best || score > best.score)) best = { format, score };
  }
  return best?.format ?? null;
}

/** How a statement line shows in the preview. */
function lineView(l: StatementLine, existing: ReadonlySet<string>) {
  return {
    row: l.row,
    date: l.date,
    amountFen: l.amountFen,
    balanceFen: l.balanceFen,
    counterpartyName: l.counterpartyName,
    summary: l.summary,
    serial: l.serial,
    duplicate: existing.has(l.dedupeKey),
  };
}

const PREVIEW_KIND = 'custody.statement';
/** Balance breaks a preview lists at most (their count is always given). */
const MAX_BREAKS = 200;

/**
 * The preview: counts, every issue (up to `PREVIEW_MAX_ERROR_ROWS`, with their count), the balance breaks and the
 * first page of lines; the other lines stay in the core under `previewId` for the dialog to page through
 * (`custody.statements.previewLines`). The import reads the same bytes again (the preview is the import run dry).
 */
export async function previewStatement(ctx: CallContext, input: StatementSourceInput & { replacesPreviewId?: string }) {
  releasePreview(ctx.core, input.replacesPreviewId);
  const p = await parse(ctx.db, input);
  const issues = [
    ...(p.accountMismatch && !input.confirmAccount ? [{ path: '账号', message: p.accountMismatch }] : []),
    ...p.result.issues,
    ...p.early.map((l) => ({ row: l.row, path: '交易日期', message: `第 ${l.row} 行早于账户启用日期 ${p.bank.opening_date}，已含在期初余额中，不导入` })),
  ];
  const breaks = checkRunningBalance(p.result.lines);
  let duplicateCount = 0;
  for (const l of p.lines) if (p.existing.has(l.dedupeKey)) duplicateCount++;
  const { existing } = p;
  const first = p.lines.length > PREVIEW_FIRST_ROWS ? p.lines.slice(0, PREVIEW_FIRST_ROWS) : p.lines;
  const previewId =
    p.lines.length > first.length
      ? keepPreview(ctx.core, PREVIEW_KIND, ctx.user?.id ?? null, p.lines, {
          test: (l, filter) => (filter === 'duplicate' ? existing.has(l.dedupeKey) : filter === 'new' ? !existing.has(l.dedupeKey) : true),
          view: (l) => lineView(l, existing),
        })
      : null;
  return {
    previewId,
    formatId: p.format.id,
    formatName: p.format.name,
    encoding: p.encoding,
    headerRow: p.headerRowNumber,
    headers: p.headers,
    lineCount: p.lines.length,
    lines: first.map((l) => lineView(l, existing)),
    fileAccountNo: p.fileAccountNo,
    accountMismatch: p.accountMismatch,
    issueCount: issues.length,
    issues: issues.length > PREVIEW_MAX_ERROR_ROWS ? issues.slice(0, PREVIEW_MAX_ERROR_ROWS) : issues,
    balanceBreakCount: breaks.length,
    balanceBreaks: breaks.length > MAX_BREAKS ? breaks.slice(0, MAX_BREAKS) : breaks,
    newCount: p.lines.length - duplicateCount,
    duplicateCount,
    skippedCount: p.result.skipped.length + p.early.length,
  };
}

/** A page of a kept statement preview's lines (all, only the new ones or only those imported before). */
export function previewStatementLines(ctx: CallContext, input: { previewId: string; offset: number; limit: number; filter?: 'new' | 'duplicate' }) {
  const page = previewPage<ReturnType<typeof lineView>>(ctx.core, PREVIEW_KIND, ctx.user?.id ?? null, input.previewId, input.offset, input.limit, input.filter ?? '');
  return { total: page.total, lines: page.rows };
}

export async function importStatement(ctx: CallContext, input: StatementSourceInput & { validOnly?: boolean; saveMapping?: boolean; previewId?: string }) {
  // the preview's kept lines are not what is imported (the bytes are read again): they go before the parse
  releasePreview(ctx.core, input.previewId);
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    const p = await parse(trx, input);
    if (p.accountMismatch && !input.confirmAccount) throw fail.validation(`${p.accountMismatch};如确认无误,请勾选"账号不一致仍导入"`, [{ path: '账号', message: p.accountMismatch }]);
    if (p.result.issues.length > 0 && !input.validOnly) {
      throw fail.validation(`对账单有 ${p.result.issues.length} 处错误，未导入任何记录`, p.result.issues.slice(0, PREVIEW_MAX_ERROR_ROWS));
    }
    const fresh: StatementLine[] = p.lines.filter((l) => !p.existing.has(l.dedupeKey));
    const duplicates = p.lines.length - fresh.length;
    if (input.saveMapping && input.mapping) {
      await trx
        .insertInto('import_mappings')
        .values({ importer: MAPPING_IMPORTER, source_key: input.mapping.name, mapping_json: JSON.stringify(input.mapping), updated_at: op.nowIso })
        .onConflict((oc) => oc.columns(['importer', 'source_key']).doUpdateSet({ mapping_json: JSON.stringify(input.mapping), updated_at: op.nowIso }))
        .execute();
    }
    if (fresh.length === 0) {
      await op.audit({
        entity: 'custody_statement',
        entityId: p.bank.id,
        summary: `导入银行对账单「${input.file.name}」：没有新流水（${duplicates} 条已导入过）`,
      });
      return { importId: null, added: 0, duplicates, refused: p.result.issues.length };
    }
    const importId = randomUUID();
    await trx
      .insertInto('custody_statement_imports')
      .values({
        id: importId,
        bank_account_id: p.bank.id,
        file_name: input.file.name,
        format_id: p.format.id,
        sha256: p.sha256,
        added_count: fresh.length,
        duplicate_count: duplicates,
        imported_by: op.actor.userId,
        imported_at: op.nowIso,
      })
      .execute();
    for (let i = 0; i < fresh.length; i += 200) {
      await trx
        .insertInto('custody_statement_lines')
        .values(
          fresh.slice(i, i + 200).map((l) => ({
            id: randomUUID(),
            bank_account_id: p.bank.id,
            import_id: importId,
            row_no: l.row,
            date: l.date,
            amount_fen: l.amountFen,
            balance_fen: l.balanceFen,
            counterparty_name: l.counterpartyName,
            counterparty_account: l.counterpartyAccount,
            summary: l.summary,
            serial: l.serial,
            dedupe_key: l.dedupeKey,
          })),
        )
        .execute();
    }
    await op.audit({
      entity: 'custody_statement',
      entityId: importId,
      summary: `导入银行对账单「${input.file.name}」（${p.format.name}）：新增 ${fresh.length} 条，重复 ${duplicates} 条${p.result.issues.length ? `，有错误未导入 ${p.result.issues.length} 处` : ''}`,
      after: { bankAccountId: p.bank.id, added: fresh.length, duplicates, issues: p.result.issues.slice(0, 50) },
    });
    return { importId, added: fresh.length, duplicates, refused: p.result.issues.length };
  });
}

export async function listMappings(ctx: CallContext) {
  const rows = await ctx.db.selectFrom('import_mappings').selectAll().where('importer', '=', MAPPING_IMPORTER).orderBy('updated_at', 'desc').execute();
  return rows.map((r) => ({ key: r.source_key, ...(JSON.parse(r.mapping_json) as GenericMapping) }));
}
