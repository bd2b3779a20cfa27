/**
 * Printable HTML pages (A4) for the 记账凭证 and the per-organization 代管资金对账单. The same string is printed
 * by Electron's printToPDF on the desktop and by Chromium in the Node host. Self-contained: inline CSS, no
 * scripts, no external resources, every value escaped.
 */
import { fenToChineseUpper, formatFenPlain } from '../money';
import type { OrgStatement } from './reports';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const BASE_CSS = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12px; color: #000; margin: 0; }
h1 { text-align: center; font-size: 22px; letter-spacing: 8px; margin: 0 0 6px; }
.sub { display: flex; justify-content: space-between; margin: 4px 0 8px; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 4px 6px; vertical-align: middle; }
th { font-weight: normal; background: #f2f2f2; }
td.num, th.num { text-align: right; font-family: "Courier New", monospace; white-space: nowrap; }
.signs { display: flex; justify-content: space-between; margin-top: 12px; }
.signs span { min-width: 18%; }
.note { margin-top: 8px; font-size: 11px; }
.page { page-break-after: always; }
.page:last-child { page-break-after: auto; }
td.red { color: #c00; }
.pairnote { font-size: 10px; color: #444; }
.stamp { border: 2px solid #c00; color: #c00; padding: 2px 8px; display: inline-block; transform: rotate(-8deg); }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${BASE_CSS}</style></head><body>${body}</body></html>`;
}

function chineseDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${y}年${m}月${d}日`;
}

export interface VoucherPrintLine {
  summary: string;
  /** 总账科目, e.g. `1002 银行存款`. */
  account: string;
  /** 明细科目, e.g. `10020101 银行存款—工行—受托代理资产`. */
  detail: string;
  amountFen: number;
}

export interface VoucherPrint {
  hubName: string;
  number: string | null;
  date: string;
  attachments: number;
  lines: readonly VoucherPrintLine[];
  makerName: string;
  approverName?: string | null;
  posterName?: string | null;
  statusLabel: string;
  /** `冲销 记-2026-03-0003` when this voucher reverses another. */
  reversalOf?: string | null;
  overrideReason?: string | null;
}

function voucherBody(v: VoucherPrint): string {
  const debit = v.lines.reduce((s, l) => s + (l.amountFen > 0 ? l.amountFen : 0), 0);
  const credit = v.lines.reduce((s, l) => s + (l.amountFen < 0 ? -l.amountFen : 0), 0);
  const rows = v.lines
    .map(
      (l) => `<tr><td>${escapeHtml(l.summary)}</td><td>${escapeHtml(l.account)}</td><td>${escapeHtml(l.detail)}</td>` +
        `<td class="num">${l.amountFen > 0 ? formatFenPlain(l.amountFen) : ''}</td>` +
        `<td class="num">${l.amountFen < 0 ? formatFenPlain(-l.amountFen) : ''}</td></tr>`,
    )
    .join('');
  const notes = [
    v.reversalOf ? `本凭证冲销 ${escapeHtml(v.reversalOf)}` : '',
    v.overrideReason ? `审批特批理由：${escapeHtml(v.overrideReason)}` : '',
  ].filter(Boolean);
  return `<section class="page voucher">
<h1>记账凭证</h1>
<div class="sub"><span>核算单位：${escapeHtml(v.hubName)}</span><span>${chineseDate(v.date)}</span><span>凭证号：${escapeHtml(v.number ?? '（未记账）')}</span></div>
<table>
<thead><tr><th style="width:28%">摘要</th><th style="width:18%">总账科目</th><th>明细科目</th><th class="num" style="width:14%">借方金额</th><th class="num" style="width:14%">贷方金额</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><td colspan="3">合计：${escapeHtml(fenToChineseUpper(debit))}</td><td class="num">${formatFenPlain(debit)}</td><td class="num">${formatFenPlain(credit)}</td></tr></tfoot>
</table>
<div class="sub"><span>附件 ${v.attachments} 张</span><span>状态：${escapeHtml(v.statusLabel)}</span></div>
${notes.length ? `<div class="note">${notes.join('；')}</div>` : ''}
<div class="signs"><span>会计主管：</span><span>记账：${escapeHtml(v.posterName ?? '')}</span><span>审核：${escapeHtml(v.approverName ?? '')}</span><span>出纳：</span><span>制单：${escapeHtml(v.makerName)}</span></div>
</section>`;
}

/** One or more vouchers, one per page. */
export function voucherHtml(vouchers: readonly VoucherPrint[]): string {
  const title = vouchers.length === 1 ? `记账凭证 ${vouchers[0].number ?? ''}` : `记账凭证（${vouchers.length} 张）`;
  return page(title, vouchers.map(voucherBody).join('\n'));
}

export interface OrgStatementPrint {
  hubName: string;
  orgName: string;
  accountCode: string;
  statement: OrgStatement;
  printedOn: string;
}

/** The mark beside a row that belongs to a reversal pair, or corrects an earlier period's entry. */
export function statementPairNote(r: OrgStatement['rows'][number]): string {
  if (r.pair === 'reversed') return `〔冲${r.pairIndex}〕已由 ${r.pairNo} 冲销`;
  if (r.pair === 'reversal') return `〔冲${r.pairIndex}〕冲销 ${r.pairNo ?? ''}`;
  if (r.pair === 'correction') return `冲销以前期间的 ${r.pairNo ?? '凭证'}`;
  return '';
}

/** The 期初 line's summary: brought forward, plus the opening vouchers dated within the period. */
export function statementOpeningText(s: OrgStatement): string {
  if (s.openings.length === 0) return '期初余额';
  return `期初余额（含期初结转 ${s.openings.map((o) => `${o.voucherNo} ${formatFenPlain(o.amountFen)}`).join('、')}）`;
}

const cell = (fen: number) => (fen ? `<td class="num${fen < 0 ? ' red' : ''}">${formatFenPlain(fen)}</td>` : '<td class="num"></td>');

export function orgStatementHtml(p: OrgStatementPrint): string {
  const s = p.statement;
  const rows = s.rows
    .map((r) => {
      const note = statementPairNote(r);
      return `<tr${r.pair !== 'normal' ? ' class="pair"' : ''}><td>${escapeHtml(r.date)}</td><td>${escapeHtml(r.voucherNo)}</td><td>${escapeHtml(r.summary)}${note ? `<div class="pairnote">${escapeHtml(note)}</div>` : ''}</td><td>${escapeHtml(r.counterparty)}</td>` +
        `${cell(r.inFen)}${cell(r.outFen)}<td class="num">${formatFenPlain(r.balanceFen)}</td></tr>`;
    })
    .join('');
  const pairs = s.rows.some((r) => r.pair === 'reversed');
  const body = `<section class="page statement">
<h1>代管资金对账单</h1>
<div class="sub"><span>代管单位：${escapeHtml(p.hubName)}</span><span>对账期间：${escapeHtml(s.from)} 至 ${escapeHtml(s.to)}</span></div>
<div class="sub"><span>组织名称：${escapeHtml(p.orgName)}</span><span>代管账户：${escapeHtml(p.accountCode)}</span><span>单位：元</span></div>
<table>
<thead><tr><th style="width:11%">日期</th><th style="width:15%">凭证号</th><th>摘要</th><th style="width:18%">对方单位</th><th class="num" style="width:12%">收入</th><th class="num" style="width:12%">支出</th><th class="num" style="width:13%">余额</th></tr></thead>
<tbody>
<tr class="opening"><td>${escapeHtml(s.from)}</td><td></td><td>${escapeHtml(statementOpeningText(s))}</td><td></td><td></td><td></td><td class="num">${formatFenPlain(s.openingFen)}</td></tr>
${rows}
<tr class="total"><td></td><td></td><td>本期合计</td><td></td><td class="num">${formatFenPlain(s.totalInFen)}</td><td class="num">${formatFenPlain(s.totalOutFen)}</td><td></td></tr>
<tr class="closing"><td>${escapeHtml(s.to)}</td><td></td><td>期末余额</td><td></td><td></td><td></td><td class="num">${formatFenPlain(s.closingFen)}</td></tr>
</tbody>
</table>
<div class="note">期初余额 ${formatFenPlain(s.openingFen)} + 本期收入 ${formatFenPlain(s.totalInFen)} − 本期支出 ${formatFenPlain(s.totalOutFen)} = 期末余额 ${formatFenPlain(s.closingFen)}。${pairs ? '标〔冲n〕的两行为同一笔冲销与其原凭证，红字金额在原栏目中抵减，不计入收入或支出。' : ''}</div>
<div class="note">期末余额（大写）：${escapeHtml(fenToChineseUpper(s.closingFen))}。请核对以上记录，如有异议请于收到本对账单之日起十五日内提出；无异议请签章后交回一份。</div>
<div class="signs"><span>代管单位（盖章）：<br><br>经办人：</span><span>组织确认（盖章）：<br><br>负责人签字：</span><span>打印日期：${escapeHtml(p.printedOn)}</span></div>
</section>`;
  return page(`代管资金对账单 ${p.orgName} ${s.from}至${s.to}`, body);
}

export interface SummaryPrint {
  hubName: string;
  from: string;
  to: string;
  sources: readonly { name: string; kindLabel: string; openingFen: number; inFen: number; outFen: number; closingFen: number }[];
  /** Budget vs actual per project, over the project's whole term (spent to date). */
  projects: readonly {
    name: string;
    orgName: string | null;
    lines: readonly { name: string; budgetFen: number; spentFen: number; remainingFen: number; usedText: string; over: boolean }[];
    totalBudgetFen: number;
    totalSpentFen: number;
    totalRemainingFen: number;
  }[];
  printedOn: string;
}

/** 来源与项目汇总: receipts and disbursements by funding source for the period, and budget vs actual by project. */
export function summaryHtml(p: SummaryPrint): string {
  const total = (k: 'openingFen' | 'inFen' | 'outFen' | 'closingFen') => p.sources.reduce((s, x) => s + x[k], 0);
  const sourceRows = p.sources
    .map(
      (s) => `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.kindLabel)}</td><td class="num">${formatFenPlain(s.openingFen)}</td>` +
        `<td class="num">${formatFenPlain(s.inFen)}</td><td class="num">${formatFenPlain(s.outFen)}</td><td class="num">${formatFenPlain(s.closingFen)}</td></tr>`,
    )
    .join('');
  const projectRows = p.projects
    .map((pr) => {
      const lines = pr.lines
        .map(
          (l) => `<tr><td>${escapeHtml(pr.name)}</td><td>${escapeHtml(pr.orgName ?? '')}</td><td>${escapeHtml(l.name)}</td>` +
            `<td class="num">${formatFenPlain(l.budgetFen)}</td><td class="num">${formatFenPlain(l.spentFen)}</td>` +
            `<td class="num">${formatFenPlain(l.remainingFen)}</td><td class="num">${escapeHtml(l.usedText)}${l.over ? '（超支）' : ''}</td></tr>`,
        )
        .join('');
      return `${lines}<tr><td colspan="3"><b>${escapeHtml(pr.name)} 合计</b></td><td class="num">${formatFenPlain(pr.totalBudgetFen)}</td>` +
        `<td class="num">${formatFenPlain(pr.totalSpentFen)}</td><td class="num">${formatFenPlain(pr.totalRemainingFen)}</td><td></td></tr>`;
    })
    .join('');
  const body = `<section class="page summary">
<h1>代管资金来源与项目汇总</h1>
<div class="sub"><span>代管单位：${escapeHtml(p.hubName)}</span><span>期间：${escapeHtml(p.from)} 至 ${escapeHtml(p.to)}</span><span>单位：元</span></div>
<table>
<thead><tr><th>资金来源</th><th style="width:14%">类别</th><th class="num" style="width:14%">期初余额</th><th class="num" style="width:14%">本期拨入</th><th class="num" style="width:14%">本期支出</th><th class="num" style="width:14%">期末余额</th></tr></thead>
<tbody>${sourceRows || '<tr><td colspan="6">本期没有代管资金收支</td></tr>'}
<tr><td colspan="2"><b>合计</b></td><td class="num">${formatFenPlain(total('openingFen'))}</td><td class="num">${formatFenPlain(total('inFen'))}</td><td class="num">${formatFenPlain(total('outFen'))}</td><td class="num">${formatFenPlain(total('closingFen'))}</td></tr></tbody>
</table>
<h2 style="font-size:15px;margin:14px 0 6px">项目预算执行（按项目全期，截至打印日）</h2>
<table>
<thead><tr><th>项目</th><th style="width:16%">组织</th><th style="width:12%">预算科目</th><th class="num" style="width:12%">预算</th><th class="num" style="width:12%">已支出</th><th class="num" style="width:12%">结余</th><th class="num" style="width:11%">执行率</th></tr></thead>
<tbody>${projectRows || '<tr><td colspan="7">没有项目预算</td></tr>'}</tbody>
</table>
<div class="signs"><span>制表：</span><span>审核：</span><span>打印日期：${escapeHtml(p.printedOn)}</span></div>
</section>`;
  return page(`代管资金来源与项目汇总 ${p.from}至${p.to}`, body);
}

export interface ReconciliationPrint {
  hubName: string;
  bankAccountName: string;
  asOf: string;
  ledgerBalanceFen: number;
  bankBalanceFen: number;
  /** Outstanding items, amounts signed like a statement line (+ in, − out). */
  ledgerInNotBank: readonly { date: string; amountFen: number; label: string }[];
  ledgerOutNotBank: readonly { date: string; amountFen: number; label: string }[];
  bankInNotLedger: readonly { date: string; amountFen: number; label: string }[];
  bankOutNotLedger: readonly { date: string; amountFen: number; label: string }[];
  adjustedLedgerFen: number;
  adjustedBankFen: number;
  differenceFen: number;
  agrees: boolean;
  printedOn: string;
}

/** 银行存款余额调节表: the ledger side and the bank side, each with its two kinds of outstanding items. */
export function reconciliationHtml(r: ReconciliationPrint): string {
  const items = (label: string, xs: ReconciliationPrint['ledgerInNotBank']) => {
    const total = xs.reduce((s, x) => s + Math.abs(x.amountFen), 0);
    const list = xs.length
      ? xs.map((x) => `<div>${escapeHtml(x.date)} ${escapeHtml(x.label)} <span style="float:right">${formatFenPlain(Math.abs(x.amountFen))}</span></div>`).join('')
      : '无';
    return `<tr><td>${escapeHtml(label)}</td><td>${list}</td><td class="num">${formatFenPlain(total)}</td></tr>`;
  };
  const body = `<section class="page reconciliation">
<h1>银行存款余额调节表</h1>
<div class="sub"><span>单位：${escapeHtml(r.hubName)}</span><span>账户：${escapeHtml(r.bankAccountName)}</span><span>截至 ${chineseDate(r.asOf)}</span><span>单位：元</span></div>
<table>
<thead><tr><th style="width:22%">项目</th><th>明细</th><th class="num" style="width:16%">金额</th></tr></thead>
<tbody>
<tr><td><b>企业银行存款日记账余额</b></td><td></td><td class="num">${formatFenPlain(r.ledgerBalanceFen)}</td></tr>
${items('加：银行已收、企业未收', r.bankInNotLedger)}
${items('减：银行已付、企业未付', r.bankOutNotLedger)}
<tr><td><b>调节后的存款余额</b></td><td></td><td class="num"><b>${formatFenPlain(r.adjustedLedgerFen)}</b></td></tr>
<tr><td><b>银行对账单余额</b></td><td></td><td class="num">${formatFenPlain(r.bankBalanceFen)}</td></tr>
${items('加：企业已收、银行未收', r.ledgerInNotBank)}
${items('减：企业已付、银行未付', r.ledgerOutNotBank)}
<tr><td><b>调节后的存款余额</b></td><td></td><td class="num"><b>${formatFenPlain(r.adjustedBankFen)}</b></td></tr>
</tbody>
</table>
<div class="note">${r.agrees ? '调节后两方余额相符。' : `<span class="stamp">不相符</span> 调节后两方余额相差 ${formatFenPlain(r.differenceFen)} 元，请查明原因。`}</div>
<div class="signs"><span>会计主管：</span><span>复核：</span><span>编制：</span><span>打印日期：${escapeHtml(r.printedOn)}</span></div>
</section>`;
  return page(`银行存款余额调节表 ${r.bankAccountName} ${r.asOf}`, body);
}
