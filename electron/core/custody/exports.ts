/**
 * Workbooks and printable pages. Amounts go into the workbooks as number cells in yuan (format #,##0.00, so a
 * spreadsheet sums them; issue 18: they were text) beside an integer 分 column, exact, for machines.
 */
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../lazy';
import { formatFenPlain } from '@shared/money';
import { todayInChina } from '@shared/dates/parse';
import { orgStatementHtml, reconciliationHtml, statementOpeningText, statementPairNote, summaryHtml, voucherHtml, type VoucherPrint } from '@shared/custody/print';
import { budgetVsActual, formatBasisPoints } from '@shared/custody/reports';
import { RECON_SECTION_LABELS } from '@shared/custody/matching';
import { VOUCHER_STATUS_LABELS, type VoucherStatus } from '@shared/custody/workflow';
import { fail } from '@shared/errors';
import type { CallContext } from '../api/context';
import { readHub } from '../admin/hubService';
import { safeFileName } from './common';
import { orgStatement, sourceSummary, voucherLinesView, voucherViews } from './queries';
import { reconciliation } from './recon';
import { listProjects } from './setup';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function toDownload(wb: ExcelJS.Workbook, fileName: string) {
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: safeFileName(fileName), mimeType: XLSX_MIME, base64: buf.toString('base64') };
}

function sheet(wb: ExcelJS.Workbook, name: string, title: string, columns: { header: string; width: number; money?: boolean }[]) {
  const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, columns.length);
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
    if (c.money) {
      ws.getColumn(i + 1).alignment = { horizontal: 'right' };
      ws.getColumn(i + 1).numFmt = '#,##0.00';
    }
  });
  return ws;
}

/** A number cell in yuan: fen / 100 is the nearest double to the exact amount, shown with two decimals. */
const money = (fen: number) => fen / 100;

export async function hubName(ctx: CallContext): Promise<string> {
  return (await readHub(ctx.db))?.name ?? '孵化基地';
}

export async function voucherPrints(ctx: CallContext, ids: string[]): Promise<VoucherPrint[]> {
  const rows = await ctx.db.selectFrom('custody_vouchers').selectAll().where('id', 'in', ids).execute();
  if (rows.length !== new Set(ids).size) throw fail.notFound('凭证');
  // Posted vouchers in number order (month, then sequence: the order they are bound in), then drafts by date.
  const key = (v: (typeof rows)[number]) => (v.seq !== null ? `0${v.period}${String(v.seq).padStart(8, '0')}` : `1${v.date}${v.created_at}`);
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const views = await voucherViews(ctx.db, rows);
  const hub = await hubName(ctx);
  const out: VoucherPrint[] = [];
  for (const [i, v] of rows.entries()) {
    const view = views[i];
    const { lines } = await voucherLinesView(ctx.db, v);
    out.push({
      hubName: hub,
      number: v.number,
      date: v.date,
      attachments: v.attachments,
      lines: lines.map((l) => ({ summary: v.purpose, account: `${l.accountCode} ${l.accountName}`, detail: `${l.detailCode} ${l.detailName}`, amountFen: l.amountFen })),
      makerName: view.makerName,
      approverName: view.approverName,
      posterName: view.posterName,
      statusLabel: VOUCHER_STATUS_LABELS[v.status as VoucherStatus],
      reversalOf: view.reversesNumber,
      overrideReason: v.override_reason,
    });
  }
  return out;
}

export async function printVouchers(ctx: CallContext, ids: string[]) {
  const prints = await voucherPrints(ctx, ids);
  const name = prints.length === 1 ? `记账凭证_${prints[0].number ?? '未记账'}` : `记账凭证_${prints.length}张`;
  return { html: voucherHtml(prints), fileName: safeFileName(`${name}.pdf`) };
}

/** Every posted voucher of a month in number order, one per page: the month's 记账凭证 for binding. */
export async function printPeriodVouchers(ctx: CallContext, period: string) {
  const rows = await ctx.db.selectFrom('custody_vouchers').select('id').where('period', '=', period).where('status', '=', 'posted').orderBy('seq').execute();
  if (rows.length === 0) throw fail.rule(`${period} 没有已记账的凭证`);
  const prints: VoucherPrint[] = [];
  for (let i = 0; i < rows.length; i += 500) prints.push(...(await voucherPrints(ctx, rows.slice(i, i + 500).map((r) => r.id))));
  return { html: voucherHtml(prints), fileName: safeFileName(`记账凭证_${period}_${prints.length}张.pdf`) };
}

export async function printOrgStatement(ctx: CallContext, orgId: string, from: string, to: string) {
  const s = await orgStatement(ctx.db, orgId, from, to);
  const html = orgStatementHtml({ hubName: await hubName(ctx), orgName: s.orgName, accountCode: s.detailCode, statement: s, printedOn: todayInChina(ctx.now()) });
  return { html, fileName: safeFileName(`代管资金对账单_${s.orgName}_${from}_${to}.pdf`) };
}

export async function exportOrgStatement(ctx: CallContext, orgId: string, from: string, to: string) {
  const s = await orgStatement(ctx.db, orgId, from, to);
  const wb = new (await loadExcelJS()).Workbook();
  const ws = sheet(wb, '代管资金对账单', `${s.orgName} 代管资金对账单（${from} 至 ${to}，账户 ${s.detailCode}）`, [
    { header: '日期', width: 12 },
    { header: '凭证号', width: 17 },
    { header: '摘要', width: 34 },
    { header: '对方单位', width: 24 },
    { header: '收入', width: 15, money: true },
    { header: '支出', width: 15, money: true },
    { header: '余额', width: 16, money: true },
    { header: '余额(分)', width: 14 },
    { header: '冲销', width: 30 },
  ]);
  ws.addRow([from, '', statementOpeningText(s), '', '', '', money(s.openingFen), s.openingFen]);
  for (const r of s.rows) {
    const row = ws.addRow([r.date, r.voucherNo, r.summary, r.counterparty, r.inFen ? money(r.inFen) : '', r.outFen ? money(r.outFen) : '', money(r.balanceFen), r.balanceFen, statementPairNote(r)]);
    for (const [col, fen] of [[5, r.inFen], [6, r.outFen]] as const) if (fen < 0) row.getCell(col).font = { color: { argb: 'FFCC0000' } };
  }
  ws.addRow(['', '', '本期合计', '', money(s.totalInFen), money(s.totalOutFen), '', '']);
  ws.addRow([to, '', '期末余额', '', '', '', money(s.closingFen), s.closingFen]);
  ws.addRow([]);
  ws.addRow(['组织确认（盖章）：', '', '', '负责人签字：', '', '日期：']);
  return toDownload(wb, `代管资金对账单_${s.orgName}_${from}_${to}.xlsx`);
}

export async function exportSummary(ctx: CallContext, from: string, to: string) {
  const sources = await sourceSummary(ctx, from, to);
  const projects = await listProjects(ctx);
  const wb = new (await loadExcelJS()).Workbook();
  const ws = sheet(wb, '资金来源汇总', `代管资金来源汇总 ${from} 至 ${to}`, [
    { header: '资金来源', width: 28 },
    { header: '类别', width: 16 },
    { header: '期初余额', width: 16, money: true },
    { header: '本期拨入', width: 16, money: true },
    { header: '本期支出', width: 16, money: true },
    { header: '期末余额', width: 16, money: true },
    { header: '期初(分)', width: 14 },
    { header: '拨入(分)', width: 14 },
    { header: '支出(分)', width: 14 },
    { header: '期末(分)', width: 14 },
  ]);
  for (const s of sources) ws.addRow([s.name, s.kindLabel, money(s.openingFen), money(s.inFen), money(s.outFen), money(s.closingFen), s.openingFen, s.inFen, s.outFen, s.closingFen]);
  const ps = sheet(wb, '项目预算执行', '项目预算执行情况（预算 vs 实际）', [
    { header: '项目', width: 28 },
    { header: '组织', width: 24 },
    { header: '预算科目', width: 18 },
    { header: '预算', width: 15, money: true },
    { header: '已支出', width: 15, money: true },
    { header: '结余', width: 15, money: true },
    { header: '执行率', width: 10 },
    { header: '超支', width: 8 },
  ]);
  for (const p of projects) {
    const bva = budgetVsActual(p.lines, new Map(p.lines.map((l) => [l.id, l.spentFen])));
    for (const l of bva.lines) ps.addRow([p.name, p.orgName ?? '', l.name, money(l.budgetFen), money(l.spentFen), money(l.remainingFen), formatBasisPoints(l.usedBasisPoints), l.over ? '是' : '']);
    ps.addRow([`${p.name} 合计`, '', '', money(bva.totalBudgetFen), money(bva.totalSpentFen), money(bva.totalRemainingFen), '', '']).font = { bold: true };
  }
  return toDownload(wb, `来源与项目汇总_${from}_${to}.xlsx`);
}

export async function exportReconciliation(ctx: CallContext, bankAccountId: string, asOf: string) {
  const r = await reconciliation(ctx.db, bankAccountId, asOf);
  const wb = new (await loadExcelJS()).Workbook();
  const ws = sheet(wb, '余额调节表', `银行存款余额调节表（${r.bankAccountName}，截至 ${asOf}）`, [
    { header: '项目', width: 40 },
    { header: '日期', width: 12 },
    { header: '金额', width: 16, money: true },
    { header: '金额(分)', width: 14 },
  ]);
  ws.addRow(['企业账面余额', asOf, money(r.ledgerBalanceFen), r.ledgerBalanceFen]).font = { bold: true };
  for (const [key, sign] of [['bankInNotLedger', 1], ['bankOutNotLedger', -1]] as const) {
    ws.addRow([`${sign > 0 ? '加' : '减'}：${RECON_SECTION_LABELS[key]}`]);
    for (const x of r[key]) ws.addRow([`    ${x.label}`, x.date, money(Math.abs(x.amountFen)), Math.abs(x.amountFen)]);
  }
  ws.addRow(['调节后的企业账面余额', '', money(r.adjustedLedgerFen), r.adjustedLedgerFen]).font = { bold: true };
  ws.addRow([]);
  ws.addRow(['银行对账单余额', asOf, money(r.bankBalanceFen), r.bankBalanceFen]).font = { bold: true };
  for (const [key, sign] of [['ledgerInNotBank', 1], ['ledgerOutNotBank', -1]] as const) {
    ws.addRow([`${sign > 0 ? '加' : '减'}：${RECON_SECTION_LABELS[key]}`]);
    for (const x of r[key]) ws.addRow([`    ${x.label}`, x.date, money(Math.abs(x.amountFen)), Math.abs(x.amountFen)]);
  }
  ws.addRow(['调节后的银行对账单余额', '', money(r.adjustedBankFen), r.adjustedBankFen]).font = { bold: true };
  ws.addRow([]);
  ws.addRow([r.agrees ? '两者相符' : `不相符，相差 ${formatFenPlain(r.differenceFen)}`]);
  return toDownload(wb, `银行存款余额调节表_${asOf}.xlsx`);
}

export async function printSummary(ctx: CallContext, from: string, to: string) {
  const sources = await sourceSummary(ctx, from, to);
  const projects = (await listProjects(ctx)).map((p) => {
    const bva = budgetVsActual(p.lines, new Map(p.lines.map((l) => [l.id, l.spentFen])));
    return {
      name: p.name,
      orgName: p.orgName,
      lines: bva.lines.map((l) => ({ ...l, usedText: formatBasisPoints(l.usedBasisPoints) })),
      totalBudgetFen: bva.totalBudgetFen,
      totalSpentFen: bva.totalSpentFen,
      totalRemainingFen: bva.totalRemainingFen,
    };
  });
  const html = summaryHtml({ hubName: await hubName(ctx), from, to, sources, projects, printedOn: todayInChina(ctx.now()) });
  return { html, fileName: safeFileName(`来源与项目汇总_${from}_${to}.pdf`) };
}

export async function printReconciliation(ctx: CallContext, bankAccountId: string, asOf: string) {
  const r = await reconciliation(ctx.db, bankAccountId, asOf);
  const html = reconciliationHtml({ ...r, hubName: await hubName(ctx), printedOn: todayInChina(ctx.now()) });
  return { html, fileName: safeFileName(`银行存款余额调节表_${asOf}.pdf`) };
}
