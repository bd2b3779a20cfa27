/**
 * 代管资金历史导入 (`voucher-import`): a hub's old custody 台账 — each organization's 期初余额 and its past
 * receipts and disbursements — brought in as POSTED vouchers in months that are then closed, through the ledger's
 * own functions (createDraft → submit → approve by another user → postVoucher → closeMonth): balanced lines,
 * contiguous numbers per month and the kept balances come from the same code as the voucher screen, on either
 * database engine.
 *
 * The rules an accountant switching from Excel expects:
 * - a row is 期初 (its 类型 says so, or its 摘要 reads 期初余额/上年结转…, or it is an organization's first row with
 *   only a 余额), 收入 or 支出 (收入/支出 columns, or 借方/贷方: 借 = 收入 as in a 银行存款日记账, unless the
 *   file's 借或贷 column says 贷 for its balances, the liability's own view, where 贷 = 收入);
 * - the running balance is computed per organization in the file's order and the file's own 余额 is checked
 *   against it on every row (a mismatch names both figures; after one the chain continues from the file's figure,
 *   so one typo is one error), an overdraft is an error, and dates of one organization never go backwards;
 * - history goes before the live books: a month that holds a voucher made in the system (or any later month) is
 *   refused, and so is a month already closed, unless the row is already imported;
 * - every line gets a natural key (organization, kind, date, amount, 摘要 and its occurrence among equal lines of
 *   that organization, `custody_history_rows`), so re-importing the same file finds every row and changes nothing;
 * - valid rows only: an organization's rows after its first wrong row are not imported either (its balance chain
 *   would have a gap), and the months from the first skipped row on stay open, so the corrected file can add the
 *   missing rows later and then closes them;
 * - maker ≠ approver: the import is made by the calling user and approved by a named other user with the
 *   approving role (the approval's audit entry carries that user as the actor); refused when it is the same person.
 * The preview is the whole import run in a transaction that is rolled back.
 */
import { createHash } from 'node:crypto';
import { fail, AppError } from '@shared/errors';
import { formatFen } from '@shared/money';
import { normalizeName, normalizeText } from '@shared/text/normalize';
import { periodOf } from '@shared/custody/voucher';
import type { Role } from '@shared/roles';
import type { TableImportCommitInput, TableImportInput, TableImportResult } from '@shared/importing/contract';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { dateCell, fenCell, isEmptyCell } from '../importing/cells';
import { importTemplate, outgoingRows, previewTableImport, rowView, runTableImportCommit, type Importer, type PlannedRow } from '../importing/engine';
import { cellText } from '../importing/readTable';
import { chinaToday } from '../training/common';
import { opOf } from './common';
import { createDraft, postVoucher, transition, type Op } from './ledger';
import { closeMonth } from './periodClose';
import { openCustodyAccount } from './setup';

type Key = 'date' | 'org' | 'creditCode' | 'kind' | 'summary' | 'income' | 'expense' | 'direction' | 'balance' | 'counterparty' | 'voucherNo' | 'handler' | 'approver';

export const HISTORY_IMPORT_FIELDS = [
  { key: 'date', title: '日期', aliases: ['记账日期', '业务日期', '凭证日期', '交易日期', '发生日期', '入账日期'], required: true },
  // not required: one organization's own 台账 (or its 代管资金对账单) names it in the title above the header
  { key: 'org', title: '组织', aliases: ['组织名称', '社会组织', '社会组织名称', '单位名称', '户名', '账户名称', '代管组织', '组织名称或统一社会信用代码'] },
  { key: 'creditCode', title: '统一社会信用代码', aliases: ['信用代码', '社会信用代码'] },
  { key: 'kind', title: '类型', aliases: ['收支类型', '业务类型', '收支', '类别'] },
  { key: 'summary', title: '摘要', aliases: ['事由', '用途', '摘要说明', '说明', '内容'], required: true },
  { key: 'income', title: '收入', aliases: ['收入金额', '收入(元)', '收入（元）', '借方', '借方金额', '借方发生额', '收入额'] },
  { key: 'expense', title: '支出', aliases: ['支出金额', '支出(元)', '支出（元）', '贷方', '贷方金额', '贷方发生额', '支出额'] },
  { key: 'direction', title: '借或贷', aliases: ['余额方向', '方向', '借/贷'] },
  { key: 'balance', title: '余额', aliases: ['结余', '账面余额', '余额(元)', '余额（元）', '结余金额', '期末余额'] },
  { key: 'counterparty', title: '对方单位', aliases: ['收付款单位', '收款单位', '付款单位', '对方户名', '对方名称', '收付款人'] },
  { key: 'voucherNo', title: '凭证号', aliases: ['凭证编号', '原凭证号', '凭证字号'] },
  { key: 'handler', title: '经办人', aliases: ['经手人', '经办', '制单人'] },
  { key: 'approver', title: '审批人', aliases: ['审核人', '批准人', '审批'] },
] as const satisfies readonly { key: Key; title: string; aliases: readonly string[]; required?: boolean }[];

type RowKind = 'opening' | 'receipt' | 'disbursement';
const KIND_LABEL: Record<RowKind, string> = { opening: '期初', receipt: '收入', disbursement: '支出' };

interface Payload {
  key: string;
  kind: RowKind;
  date: string;
  orgId: string;
  orgName: string;
  amountFen: number;
  summary: string;
  counterparty: string;
  sourceNo: string;
  handler: string;
  fileApprover: string;
  /** The organization has no custody account yet: the import opens one dated this row. */
  openAccount: boolean;
}

/** 摘要 of a 期初 row. */
const OPENING_SUMMARY = /^(期初|年初|上年结转|上期结转|上年余额|期初余额|期初结余|承上年|开户余额)/;
/** Subtotal lines a 台账 carries between its rows: not data. */
const SUBTOTAL_SUMMARY = /^(本月合计|本期合计|本季合计|本年累计|本年合计|累计|合计|小计|过次页|承前页)$/;
/** A closing line (期末余额): not a movement, but its 余额 is checked against the computed balance. */
const CLOSING_SUMMARY = /^(期末余额|期末结余|本期余额|年末余额)$/;
/** A signature line under the table (组织确认（盖章）：, 负责人签字：): not data. */
const SIGNATURE = /(盖章|签字|签名|确认)[)）]?[:：]?$/;

const fen = (n: number) => formatFen(n);

/** The natural key of one line (its occurrence among equal lines of the organization keeps two equal lines apart). */
export function historyRowKey(orgId: string, kind: RowKind, date: string, amountFen: number, summary: string, occurrence: number): string {
  return createHash('sha256').update([orgId, kind, date, String(amountFen), summary, String(occurrence)].join('\u0000')).digest('hex');
}

function kindOfText(text: string): RowKind | null | 'bad' {
  const t = normalizeText(text).replace(/\s+/g, '');
  if (!t) return null;
  if (/^(期初|期初余额|年初|结转|上年结转)/.test(t)) return 'opening';
  if (/^(收入|收|存入|拨入|收款|借)$/.test(t)) return 'receipt';
  if (/^(支出|支|付|付款|拨出|支付|贷)$/.test(t)) return 'disbursement';
  return 'bad';
}

interface Options {
  /** The approver as a user of this hub (checked before planning). */
  approver: { id: string; username: string; displayName: string; roles: Role[] } | null;
  bankAccountId: string | null;
  fileName: string;
  /** Months the commit closes (set by `plan`). */
  closeThrough?: { from: string; through: string } | null;
}

async function orgIndex(db: Db) {
  const rows = await db.selectFrom('organizations').select(['id', 'name', 'credit_code']).execute();
  const byName = new Map<string, { id: string; name: string }>();
  const byCode = new Map<string, { id: string; name: string }>();
  for (const r of rows) {
    byName.set(normalizeName(r.name), r);
    if (r.credit_code) byCode.set(r.credit_code.toUpperCase(), r);
  }
  return { byName, byCode };
}

function historyImporter(opts: Options): Importer<Key, Payload> {
  return {
    name: 'custody.history',
    title: opts.approver ? `代管资金历史(审批人 ${opts.approver.displayName})` : '代管资金历史',
    entity: 'custody_history',
    fields: HISTORY_IMPORT_FIELDS,
    async plan(_ctx, rows, p) {
      const db = p.db;
      const orgs = await orgIndex(db);
      const accounts = new Map((await db.selectFrom('custody_accounts').select(['org_id']).execute()).map((a) => [a.org_id, true]));
      const imported = new Set((await db.selectFrom('custody_history_rows').select('row_key').execute()).map((r) => r.row_key));
      const closed = new Set((await db.selectFrom('custody_periods').select('period').where('closed', '=', 1).execute()).map((r) => r.period));
      // The live books: the first month holding a voucher that the history import did not make.
      const live = await db
        .selectFrom('custody_vouchers as v')
        .leftJoin('custody_history_rows as h', 'h.voucher_id', 'v.id')
        .select((eb) => eb.fn.min('v.period').as('first'))
        .where('h.voucher_id', 'is', null)
        .executeTakeFirst();
      const firstLive = (live?.first as string | null | undefined) ?? null;
      // 借方/贷方 columns in the liability's own view (balances marked 贷): 贷 is what comes in.
      const debitTitled = p.has('income') && /借/.test(p.column('income'));
      const liabilityView = debitTitled && p.has('direction') && rows.some((r) => /贷/.test(cellText(r.values.direction ?? null)));

      interface Chain {
        balance: number;
        lastDate: string | null;
        lastRow: number;
        rows: number;
        brokenAt: number | null;
        occurrences: Map<string, number>;
        accountPlanned: boolean;
      }
      const chains = new Map<string, Chain>();
      const startBalance = async (orgId: string, firstDate: string) => {
        const r = await db
          .selectFrom('custody_journal')
          .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
          .where('org_id', '=', orgId)
          .where('account_code', 'in', ['2601', '2209'])
          .where('date', '<', firstDate)
          .executeTakeFirst();
        return -Number(r?.s ?? 0);
      };

      // no organization column: one organization's 台账, named in the title rows above the header
      let titleOrg: { id: string; name: string } | null = null;
      const orgColumn = p.has('org') || p.has('creditCode');
      if (!orgColumn) {
        const title = normalizeName(p.table.preamble.join(' '));
        for (const [name, o] of orgs.byName) if (name && title.includes(name) && (!titleOrg || name.length > normalizeName(titleOrg.name).length)) titleOrg = o;
      }

      const out: PlannedRow<Payload>[] = [];
      let firstSkippedPeriod: string | null = null;
      // a skipped row without a readable date could belong to any month: then no month is closed
      let undatedError = false;
      let minPeriod: string | null = null;
      let maxPeriod: string | null = null;
      for (const r of rows) {
        const v = r.values;
        const summary = normalizeText(cellText(v.summary ?? null));
        if (SUBTOTAL_SUMMARY.test(summary.replace(/\s+/g, ''))) continue;
        if (!summary && typeof v.date === 'string' && SIGNATURE.test(normalizeText(v.date))) continue;
        const issues: { column: string; message: string }[] = [];
        const err = (k: Key, message: string) => issues.push({ column: p.column(k), message });
        const orgText = normalizeText(cellText(v.org ?? null));
        const codeText = normalizeText(cellText(v.creditCode ?? null)).toUpperCase();
        const row: PlannedRow<Payload> = { rowNumber: r.rowNumber, label: orgText || codeText, action: 'error', issues, warnings: [], changes: [] };
        out.push(row);

        // the organization: by name, or by the 18-character credit code in either column
        let org: { id: string; name: string } | undefined;
        const asCode = /^[0-9A-Z]{18}$/.test(orgText.toUpperCase()) ? orgText.toUpperCase() : '';
        if (codeText) {
          org = orgs.byCode.get(codeText);
          if (!org) err('creditCode', `没有统一社会信用代码为 ${codeText} 的组织`);
          else if (orgText && !asCode && normalizeName(orgText) !== normalizeName(org.name)) err('org', `组织名称"${orgText}"与信用代码 ${codeText} 的组织「${org.name}」不符`);
        } else if (asCode) {
          org = orgs.byCode.get(asCode);
          if (!org) err('org', `没有统一社会信用代码为 ${asCode} 的组织`);
        } else if (!orgColumn) {
          if (titleOrg) org = titleOrg;
          else err('org', '文件没有组织列,表头上方的标题中也没有已登记的组织名称;请加一列"组织"(名称或统一社会信用代码)');
        } else if (!orgText) err('org', '请填写组织名称或统一社会信用代码');
        else {
          org = orgs.byName.get(normalizeName(orgText));
          if (!org) err('org', `没有名为"${orgText}"的组织,请先在组织台账中登记(或填写统一社会信用代码)`);
        }
        if (org) row.label = org.name;

        const date = dateCell(v.date, p.table.date1904);
        const day = date.ok ? date.value : null;
        if (!date.ok) err('date', date.message);
        else if (!day) err('date', '请填写日期');
        else if (day > p.today) err('date', `日期 ${day} 晚于今天,历史记录只能是已经发生的`);

        // kind and amount
        const kindText = cellText(v.kind ?? null);
        const kindFromColumn = kindOfText(kindText);
        if (kindFromColumn === 'bad') err('kind', `类型"${kindText}"应为 期初、收入 或 支出`);
        const inRes = fenCell(v.income);
        const exRes = fenCell(v.expense);
        const balRes = fenCell(v.balance);
        if (!inRes.ok) err('income', inRes.message);
        if (!exRes.ok) err('expense', exRes.message);
        if (!balRes.ok) err('balance', balRes.message);
        let income = inRes.ok ? inRes.value : null;
        let expense = exRes.ok ? exRes.value : null;
        if (liabilityView) [income, expense] = [expense, income];
        const inKey: Key = liabilityView ? 'expense' : 'income';
        const exKey: Key = liabilityView ? 'income' : 'expense';
        const fileBalance = balRes.ok ? balRes.value : null;
        const chain = org ? chains.get(org.id) : undefined;
        if (CLOSING_SUMMARY.test(summary.replace(/\s+/g, '')) && isEmptyCell(v.income) && isEmptyCell(v.expense)) {
          // 期末余额: checked against the organization's computed balance, not imported
          if (chain && chain.brokenAt === null && fileBalance !== null && fileBalance !== chain.balance)
            err('balance', `期末余额不符:按以上各行计算应为 ${fen(chain.balance)},文件中为 ${fen(fileBalance)}`);
          if (issues.length === 0) out.pop();
          continue;
        }
        const isFirstOfOrg = !chain || chain.rows === 0;
        let kind: RowKind | null = null;
        if (kindFromColumn === 'opening' || (kindFromColumn === null && OPENING_SUMMARY.test(summary))) kind = 'opening';
        else if (kindFromColumn === 'receipt' || kindFromColumn === 'disbursement') kind = kindFromColumn;
        else if (kindFromColumn === null) {
          if (income && expense) err(inKey, '同一行不能既有收入又有支出,请分成两行');
          else if (income) kind = 'receipt';
          else if (expense) kind = 'disbursement';
          else if (isEmptyCell(v.income) && isEmptyCell(v.expense) && fileBalance !== null && isFirstOfOrg) kind = 'opening';
          else if (inRes.ok && exRes.ok) err(inKey, '请填写收入或支出金额');
        }
        let amount = 0;
        if (kind === 'opening') {
          amount = fileBalance ?? income ?? 0;
          if (fileBalance === null && income === null) err('balance', '期初行请在余额(或收入)列填写期初余额');
          if (amount < 0) err('balance', `期初余额 ${fen(amount)} 为负数,代管账户不能透支`);
          if (!isFirstOfOrg) err('summary', `期初余额只能是本组织的第一行(本组织第 ${chain!.lastRow} 行已有记录)`);
        } else if (kind === 'receipt') {
          amount = income ?? 0;
          if (kindFromColumn && !income) err(inKey, '收入行请填写收入金额');
          if (expense) err(exKey, '收入行不能同时填写支出金额');
        } else if (kind === 'disbursement') {
          amount = expense ?? 0;
          if (kindFromColumn && !expense) err(exKey, '支出行请填写支出金额');
          if (income) err(inKey, '支出行不能同时填写收入金额');
        }
        if (kind !== 'opening' && amount < 0) err(kind === 'receipt' ? inKey : exKey, `金额 ${fen(amount)} 应为正数(退回款项请记在另一栏)`);
        if (!summary) err('summary', '请填写摘要');
        else if (summary.length > 200) err('summary', '摘要不能超过 200 个字');

        // the period: history goes before the live books and into months still open
        const period = day ? periodOf(day) : null;

        // the organization's chain: dates forward, the running balance, the file's 余额
        let key: string | null = null;
        if (org && day && kind) {
          let c = chains.get(org.id);
          if (!c) {
            c = { balance: await startBalance(org.id, day), lastDate: null, lastRow: 0, rows: 0, brokenAt: null, occurrences: new Map(), accountPlanned: false };
            chains.set(org.id, c);
          }
          if (c.lastDate && day < c.lastDate) err('date', `日期 ${day} 早于本组织上一行(第 ${c.lastRow} 行,${c.lastDate});同一组织的记录应按日期先后排列`);
          const before = c.balance;
          const delta = kind === 'disbursement' ? -amount : amount;
          let computed = kind === 'opening' ? before + amount : before + delta;
          if (kind === 'opening' && before !== 0) err('summary', `本组织在 ${day} 之前已有余额 ${fen(before)},不能再导入期初余额`);
          if (kind === 'disbursement' && computed < 0) err(exKey, `支出 ${fen(amount)} 超过当时的余额 ${fen(before)},代管账户不能透支`);
          if (fileBalance !== null && kind !== 'opening' && fileBalance !== computed) {
            err('balance', `余额不符:按上一行余额 ${fen(before)} ${kind === 'receipt' ? '+ 收入' : '− 支出'} ${fen(amount)} 计算应为 ${fen(computed)},文件中为 ${fen(fileBalance)}`);
            computed = fileBalance; // the chain continues from the file's figure: one wrong figure is one error
          }
          if (c.brokenAt !== null && issues.length === 0) err('summary', `本组织第 ${c.brokenAt} 行有错误,其后的记录不能单独导入(余额会断开);请修正后一并导入`);
          c.balance = computed;
          c.lastDate = day;
          c.lastRow = r.rowNumber;
          c.rows++;
          const occKey = `${kind}|${day}|${amount}|${summary}`;
          const occ = (c.occurrences.get(occKey) ?? 0) + 1;
          c.occurrences.set(occKey, occ);
          key = historyRowKey(org.id, kind, day, amount, summary, occ);
          const already = imported.has(key);
          if (!already && period) {
            if (firstLive && period >= firstLive)
              err('date', `${period} 已有在系统中录入的凭证(系统中最早的凭证在 ${firstLive}),历史记录只能导入在此之前的月份`);
            else if (closed.has(period)) err('date', `${period} 已经结账,不能再导入该月的历史记录(如需补充请由管理员反结账)`);
          }
          if (issues.length === 0) {
            if (already) row.action = 'unchanged';
            else {
              row.action = 'create';
              const openAccount = !accounts.has(org.id) && !c.accountPlanned;
              if (openAccount) {
                c.accountPlanned = true;
                row.warnings.push(`「${org.name}」还没有代管账户,将以 ${day} 开立`);
              }
              if (kind === 'opening' && amount === 0) row.warnings.push('期初余额为 0');
              row.changes = [`${KIND_LABEL[kind]} ${fen(amount)}`];
              row.payload = {
                key,
                kind,
                date: day,
                orgId: org.id,
                orgName: org.name,
                amountFen: amount,
                // a statement's 期初 line names the other hub's opening vouchers: the voucher here is just 期初余额
                summary: kind === 'opening' && /^期初余额[(（]含期初结转.*[)）]$/.test(summary) ? '期初余额' : summary,
                counterparty: normalizeText(cellText(v.counterparty ?? null)).slice(0, 100),
                sourceNo: normalizeText(cellText(v.voucherNo ?? null)).slice(0, 40),
                handler: normalizeText(cellText(v.handler ?? null)).slice(0, 40),
                fileApprover: normalizeText(cellText(v.approver ?? null)).slice(0, 40),
                openAccount,
              };
            }
          } else if (c.brokenAt === null) c.brokenAt = r.rowNumber;
        } else if (org && issues.length) {
          const c = chains.get(org.id);
          if (c && c.brokenAt === null) c.brokenAt = r.rowNumber;
          else if (!c) chains.set(org.id, { balance: 0, lastDate: null, lastRow: r.rowNumber, rows: 1, brokenAt: r.rowNumber, occurrences: new Map(), accountPlanned: false });
        }
        if (row.action === 'error') {
          if (!period) undatedError = true;
          else if (!firstSkippedPeriod || period < firstSkippedPeriod) firstSkippedPeriod = period;
        }
        if (row.action === 'create' && period) {
          if (!minPeriod || period < minPeriod) minPeriod = period;
          if (!maxPeriod || period > maxPeriod) maxPeriod = period;
        }
        if (row.action === 'create' && kind === 'opening' && amount === 0) {
          // a zero opening needs no voucher (a voucher's amount is never zero); its row is the chain's start
          row.action = 'unchanged';
          row.payload = undefined;
        }
      }
      // the months the import closes: all its months, up to (not including) the first month of a skipped row
      if (minPeriod && maxPeriod && !undatedError) {
        const through = firstSkippedPeriod && firstSkippedPeriod <= maxPeriod ? prevMonth(firstSkippedPeriod) : maxPeriod;
        opts.closeThrough = through >= minPeriod ? { from: minPeriod, through } : null;
      } else opts.closeThrough = null;
      return out;
    },
    async apply(ctx, trx: Trx, rows) {
      if (rows.length === 0) return;
      const approver = opts.approver;
      if (!approver) throw fail.validation('请选择审批人', [{ path: 'approverUsername', message: '请选择审批人' }]);
      const bankAccountId = await custodyBank(trx, opts.bankAccountId);
      const maker = opOf(ctx, trx);
      const approverOp: Op = {
        ...maker,
        actor: { userId: approver.id, roles: approver.roles },
        audit: (e) => ctx.audit(trx, { ...e, actor: { id: approver.id, username: approver.username } }),
      };
      // posting goes by date (stable: each organization keeps the file's order, whose dates never go backwards)
      const ordered = rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.payload!.date < b.r.payload!.date ? -1 : a.r.payload!.date > b.r.payload!.date ? 1 : a.i - b.i));
      for (const { r } of ordered) {
        const x = r.payload!;
        if (x.openAccount) await openCustodyAccount(ctx, { orgId: x.orgId, openedOn: x.date, note: `代管资金历史导入「${opts.fileName}」` });
        try {
          const draft = await createDraft(maker, {
            kind: x.kind === 'opening' ? 'opening' : x.kind,
            date: x.date,
            amountFen: x.amountFen,
            orgId: x.orgId,
            bankAccountId,
            counterparty: x.counterparty,
            purpose: x.summary,
          });
          const submitted = await transition(maker, draft.id, 'submit');
          const approved = await transition(approverOp, submitted.id, 'approve');
          await postVoucher(maker, approved.id, approved.version);
          await trx
            .insertInto('custody_history_rows')
            .values({
              row_key: x.key,
              voucher_id: draft.id,
              org_id: x.orgId,
              file_name: opts.fileName,
              row_number: r.rowNumber,
              source_no: x.sourceNo,
              handled_by: x.handler,
              file_approver: x.fileApprover,
              imported_by: maker.actor.userId,
              approved_by: approver.id,
              imported_at: maker.nowIso,
            })
            .execute();
          r.ref = draft.id;
        } catch (e) {
          if (e instanceof AppError) throw new AppError(e.code, `第 ${r.rowNumber} 行(${x.orgName} ${x.date} ${x.summary}):${e.message}`, { issues: [{ row: r.rowNumber, message: e.message }] });
          throw e;
        }
      }
      const range = opts.closeThrough;
      if (range) {
        const closed = new Set((await trx.selectFrom('custody_periods').select('period').where('closed', '=', 1).execute()).map((r) => r.period));
        for (let m = range.from; m <= range.through; m = nextMonth(m)) {
          if (closed.has(m)) continue;
          try {
            await closeMonth(ctx, m);
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            const hint = /调节表/.test(e.message)
              ? '(历史月份在银行账户的期初日期之前时不做银行对账;请检查代管资金专户的期初日期是否为开始使用本系统的日期,期初银行余额是否包含这些历史收支)'
              : '';
            throw new AppError(e.code, `导入的历史记录已记账,但 ${m} 结账失败:${e.message}${hint}`, { issues: e.issues, details: e.details });
          }
        }
      }
    },
  };
}

function nextMonth(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
function prevMonth(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The 代管资金专户 the history goes to: the one chosen, or the only active one. */
async function custodyBank(db: Db, id: string | null): Promise<string> {
  const banks = await db.selectFrom('custody_bank_accounts').select(['id', 'name', 'holds', 'active']).execute();
  const custody = banks.filter((b) => b.active && b.holds !== 'own');
  if (id) {
    const b = banks.find((x) => x.id === id);
    if (!b || !b.active) throw fail.validation('所选银行账户不存在或已停用', [{ path: 'bankAccountId', message: '所选银行账户不存在或已停用' }]);
    if (b.holds === 'own') throw fail.validation(`「${b.name}」是本机构自有账户,代管资金历史请选择代管资金专户`, [{ path: 'bankAccountId', message: '请选择代管资金专户' }]);
    return b.id;
  }
  if (custody.length === 1) return custody[0].id;
  if (custody.length === 0) throw fail.validation('还没有代管资金专户,请先在「设置」中添加银行账户', [{ path: 'bankAccountId', message: '请先添加代管资金专户' }]);
  const message = `有 ${custody.length} 个代管资金专户(${custody.map((b) => b.name).join('、')}),请选择历史记录记入哪一个`;
  throw fail.validation(message, [{ path: 'bankAccountId', message }]);
}

/** The approver named for the import: an active user with the approving role who is not the maker. */
async function resolveApprover(ctx: CallContext, username: string | undefined) {
  if (!username) return null;
  const maker = ctx.requireUser();
  const u = await ctx.db.selectFrom('users').select(['id', 'username', 'display_name', 'roles', 'disabled']).where('username', '=', username.trim()).executeTakeFirst();
  const refuse = (message: string) => fail.validation(message, [{ path: 'approverUsername', message }]);
  if (!u) throw refuse(`没有用户名为"${username}"的用户`);
  if (u.id === maker.id) throw refuse('审批人不能是导入人自己(经办与审批必须是不同的人)');
  if (u.disabled) throw refuse(`用户「${u.display_name}」已停用,不能审批`);
  const roles = JSON.parse(u.roles) as Role[];
  if (!roles.includes('approver') && !roles.includes('admin')) throw refuse(`「${u.display_name}」没有审批权限,请选择审批人`);
  return { id: u.id, username: u.username, displayName: u.display_name, roles };
}

/** The users who may approve the caller's import: active, with the approving role, not the caller. */
export async function approverOptions(ctx: CallContext) {
  const me = ctx.requireUser();
  const users = await ctx.db.selectFrom('users').select(['id', 'username', 'display_name', 'roles']).where('disabled', '=', 0).orderBy('username').execute();
  return users
    .filter((u) => u.id !== me.id && (JSON.parse(u.roles) as Role[]).some((r) => r === 'approver' || r === 'admin'))
    .map((u) => ({ username: u.username, displayName: u.display_name }));
}

type HistoryInput = TableImportInput & { approverUsername?: string; bankAccountId?: string };

/** The preview: the import run in one transaction that is rolled back (without an approver: the rows' checks only). */
export async function previewHistoryImport(ctx: CallContext, input: HistoryInput): Promise<TableImportResult> {
  const approver = await resolveApprover(ctx, input.approverUsername);
  const today = chinaToday(ctx.now());
  const opts: Options = { approver, bankAccountId: input.bankAccountId ?? null, fileName: input.file.name };
  if (!approver) return previewTableImport(ctx, historyImporter(opts), input, today);
  if (input.bankAccountId) await custodyBank(ctx.db, input.bankAccountId);
  let run: Awaited<ReturnType<typeof runTableImportCommit>> | null = null;
  try {
    await ctx.write(async () => {
      run = await runTableImportCommit(ctx, historyImporter(opts), { ...input, mode: 'validOnly' }, today);
      throw new DryRun();
    });
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
  }
  const { result, planned } = run!;
  // a preview: its rows kept for paging like every engine preview's
  return { ...result, ...outgoingRows(ctx, planned, true, rowView), committed: false };
}

class DryRun extends Error {}

export async function commitHistoryImport(ctx: CallContext, input: HistoryInput & { mode: TableImportCommitInput['mode']; approverUsername: string }): Promise<TableImportResult> {
  const approver = await resolveApprover(ctx, input.approverUsername);
  const opts: Options = { approver, bankAccountId: input.bankAccountId ?? null, fileName: input.file.name };
  const run = await runTableImportCommit(ctx, historyImporter(opts), input, chinaToday(ctx.now()));
  return run.result;
}

export const historyImportTemplate = async () => {
  const { loadSheetJs } = await import('../importing/readTable');
  const XLSX = await loadSheetJs();
  const base = await importTemplate(
    // the template is a file of several organizations: its 组织 column is needed
    HISTORY_IMPORT_FIELDS.filter((f) => f.key !== 'direction' && f.key !== 'creditCode').map((f) => ({ ...f, required: ('required' in f && f.required) || f.key === 'org' })),
    ['2025-01-01', '邻里守望互助队', '期初', '上年结转', null, null, 12000, '', '', '', ''],
    '代管资金历史',
    '代管资金历史导入模板.xlsx',
  );
  // a second example row and a note on how rows are read
  const wb = XLSX.read(Buffer.from(base.base64, 'base64'), { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0]];
  XLSX.utils.sheet_add_aoa(
    ws,
    [
      ['2025-01-15', '邻里守望互助队', '收入', '街道购买服务首付款', 5000, null, 17000, '玉林街道办事处', '记-3', '王芳', '李明'],
      ['2025-02-03', '邻里守望互助队', '支出', '重阳节活动物料', null, 1250.5, 15749.5, '成都美家超市有限公司', '记-5', '王芳', '李明'],
    ],
    { origin: 'A3' },
  );
  const notes = XLSX.utils.aoa_to_sheet([
    ['填写说明'],
    ['每个组织的第一行可为期初余额(类型填"期初",金额写在余额列),其后按日期先后填写收入或支出。'],
    ['组织可填名称或统一社会信用代码;余额列会逐行与系统计算的余额核对,不符的行会被指出。'],
    ['导入后这些记录成为已记账凭证,所在月份随即结账;只能导入系统中已有凭证的月份之前的历史。'],
  ]);
  notes['!cols'] = [{ wch: 90 }];
  XLSX.utils.book_append_sheet(wb, notes, '填写说明');
  const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
  return { ...base, base64: buf.toString('base64') };
};
