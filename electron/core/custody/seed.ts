/**
 * Demo custody data: a year of plausible activity for some organizations — opening balances, grants from
 * several sources, disbursements against project budgets, the bank statement that mirrors them a day or two
 * later, matched and reconciled, every month closed but the last two. Last month waits for its matching and
 * close; the current month keeps a few vouchers in the workflow and an unrecorded bank charge.
 * Rows go through prepared statements on the seeding connection; triggers keep the balances as in real use.
 */
import { randomUUID } from 'node:crypto';
import { addDays, addMonths, daysInMonth, todayInChina } from '@shared/dates/parse';
import { disbursementLines, receiptLines, voucherNumberFor, type JournalLine } from '@shared/custody/voucher';
import { assignDedupeKeys } from '@shared/custody/statement';
import type { SeedContext } from '../seed';

interface OrgPick {
  id: string;
  name: string;
}

const SOURCES = [
  { kind: 'Z01', name: '街道政府购买服务（社区营造）', grantor: '武侯区玉林街道办事处', gov: 1 },
  { kind: 'Z02', name: '武侯区公益创投', grantor: '武侯区民政局', gov: 1 },
  { kind: 'Z04', name: '福利彩票公益金项目', grantor: '成都市民政局', gov: 1 },
  { kind: 'Z05', name: '社会捐赠', grantor: '', gov: 0 },
  { kind: 'Z03', name: '武侯社区发展基金会资助', grantor: '武侯社区发展基金会', gov: 0 },
];
const BUDGET_LINES = [
  ['活动物料', 0.35],
  ['场地租赁', 0.2],
  ['专家讲师费', 0.2],
  ['志愿者补贴', 0.15],
  ['宣传印刷', 0.1],
] as const;
const PAYEES: Record<string, string[]> = {
  活动物料: ['成都美家超市有限公司', '武侯区文体用品店', '成都优品办公用品有限公司'],
  场地租赁: ['玉林社区党群服务中心', '成都锦江物业管理有限公司'],
  专家讲师费: ['四川大学社会工作系', '成都市社会工作者协会'],
  志愿者补贴: ['志愿者（批量发放）'],
  宣传印刷: ['成都快印图文有限公司', '武侯区彩虹广告制作部'],
};

export async function seedCustody(s: SeedContext): Promise<void> {
  const db = s.core.sqlite;
  const rng = s.rng;
  const now = s.now.toISOString();
  const maker = s.users.wangfang;
  const approver = s.users.liming;
  const poster = s.users.chenjing;
  if (!maker || !approver || !poster) return;
  const orgs = db.prepare(`SELECT id, name FROM organizations WHERE status = 'active' ORDER BY created_at, id LIMIT ?`).all(Math.round(16 * s.scale)) as OrgPick[];
  if (orgs.length < 2) return;

  const today = todayInChina(s.now);
  const thisMonth = today.slice(0, 7);
  // Last month is fully posted but not yet matched or closed: the month-end work the accountant does next.
  const lastMonth = addMonths(`${thisMonth}-01`, -1).slice(0, 7);
  const start = addMonths(`${thisMonth}-01`, -12);
  const months: string[] = [];
  for (let d = start; d.slice(0, 7) <= thisMonth; d = addMonths(d, 1)) months.push(d.slice(0, 7));

  // Setup records.
  const bankId = randomUUID();
  const accountSeq = new Map<string, number>();
  const insertAccount = db.prepare(`INSERT INTO custody_accounts (id, org_id, seq, liability_code, opened_on, created_at) VALUES (?, ?, ?, '2601', ?, ?)`);
  orgs.forEach((o, i) => {
    accountSeq.set(o.id, i + 1);
    insertAccount.run(randomUUID(), o.id, i + 1, start, now);
  });
  const sourceIds: string[] = SOURCES.map((src) => {
    const id = randomUUID();
    db.prepare(`INSERT INTO custody_sources (id, kind, name, grantor, from_government, created_at) VALUES (?, ?, ?, ?, ?, ?)`).run(id, src.kind, src.name, src.grantor, src.gov, now);
    return id;
  });

  // Projects: about half of the organizations carry a funded project with five budget lines.
  interface Budget { id: string; name: string; budget: number; spent: number }
  const projectOf = new Map<string, { id: string; sourceId: string; total: number; lines: Budget[] }>();
  for (const o of orgs) {
    if (!rng.chance(0.55)) continue;
    const si = rng.int(0, 2);
    const total = rng.int(3, 12) * 1_000_000; // ¥30,000 – ¥120,000
    const id = randomUUID();
    db.prepare(`INSERT INTO custody_projects (id, name, source_id, org_id, start_date, end_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      id,
      `${o.name.replace(/(协会|队|会|社|中心|小组)$/, '')}${rng.pick(['邻里守望', '暖心陪伴', '社区营造', '文化铸魂', '共创平安'])}项目`,
      sourceIds[si],
      o.id,
      start,
      addDays(addMonths(start, 12), -1),
      now,
    );
    const lines = BUDGET_LINES.map(([name, share], k) => {
      const lid = randomUUID();
      const budget = Math.round((total * share) / 100) * 100;
      db.prepare(`INSERT INTO custody_budget_lines (id, project_id, name, budget_fen, sort_order) VALUES (?, ?, ?, ?, ?)`).run(lid, id, name, budget, k);
      return { id: lid, name, budget, spent: 0 };
    });
    projectOf.set(o.id, { id, sourceId: sourceIds[si], total, lines });
  }

  // Vouchers, generated month by month, then numbered by date within each month.
  interface V {
    id: string;
    kind: 'opening' | 'receipt' | 'disbursement';
    date: string;
    amount: number;
    orgId: string;
    sourceId: string | null;
    projectId: string | null;
    budgetLineId: string | null;
    counterparty: string;
    purpose: string;
    bankLag: number | null; // days until the bank shows it; null = never (opening)
  }
  const vouchers: V[] = [];
  const balance = new Map<string, number>();
  let openingTotal = 0;
  for (const o of orgs) {
    const amt = rng.int(0, 40) * 50_000;
    balance.set(o.id, amt);
    if (amt === 0) continue;
    openingTotal += amt;
    vouchers.push({ id: randomUUID(), kind: 'opening', date: start, amount: amt, orgId: o.id, sourceId: null, projectId: null, budgetLineId: null, counterparty: '', purpose: '期初余额结转', bankLag: null });
  }
  for (const month of months) {
    const [y, m] = month.split('-').map(Number);
    const last = month === thisMonth ? Number(today.slice(8, 10)) : daysInMonth(y, m);
    const day = (d: number) => `${month}-${String(Math.max(1, Math.min(d, last))).padStart(2, '0')}`;
    for (const o of orgs) {
      const p = projectOf.get(o.id);
      // A grant instalment in the first month of each quarter.
      if (p && (m - 1) % 3 === 0) {
        const amt = Math.round(p.total / 4 / 100) * 100;
        vouchers.push({ id: randomUUID(), kind: 'receipt', date: day(rng.int(3, 12)), amount: amt, orgId: o.id, sourceId: p.sourceId, projectId: p.id, budgetLineId: null, counterparty: SOURCES[sourceIds.indexOf(p.sourceId)].grantor || '武侯区民政局', purpose: `项目资金第${Math.floor((m - 1) / 3) + 1}期拨付`, bankLag: rng.int(0, 1) });
        balance.set(o.id, balance.get(o.id)! + amt);
      }
      if (rng.chance(0.12)) {
        const amt = rng.int(2, 40) * 10_000;
        vouchers.push({ id: randomUUID(), kind: 'receipt', date: day(rng.int(1, 28)), amount: amt, orgId: o.id, sourceId: sourceIds[3], projectId: null, budgetLineId: null, counterparty: rng.pick(['爱心居民张女士', '成都某某科技有限公司', '玉林商圈商户联合会']), purpose: '社会捐赠', bankLag: rng.int(0, 2) });
        balance.set(o.id, balance.get(o.id)! + amt);
      }
      // One to three disbursements, never beyond the balance or a budget line.
      const n = rng.int(0, 3);
      for (let k = 0; k < n; k++) {
        const line = p ? rng.pick(p.lines) : null;
        const headroom = Math.min(balance.get(o.id)!, line ? line.budget - line.spent : Infinity);
        const want = rng.int(3, 60) * 1_000 + rng.int(0, 99) * 10;
        const amt = Math.min(want, headroom);
        if (amt < 1_000) continue;
        const lineName = line?.name ?? rng.pick(['活动物料', '宣传印刷', '场地租赁']);
        vouchers.push({ id: randomUUID(), kind: 'disbursement', date: day(rng.int(5, 28)), amount: amt, orgId: o.id, sourceId: p?.sourceId ?? null, projectId: p?.id ?? null, budgetLineId: line?.id ?? null, counterparty: rng.pick(PAYEES[lineName]), purpose: `支付${lineName}`, bankLag: rng.int(0, 2) });
        balance.set(o.id, balance.get(o.id)! - amt);
        if (line) line.spent += amt;
      }
    }
  }
  vouchers.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));

  db.prepare(
    `INSERT INTO custody_bank_accounts (id, seq, name, bank_name, account_no, format_id, opening_date, bank_opening_fen, created_at) VALUES (?, 1, '代管资金专户', '工商银行成都玉林支行', '4402 2178 0910 0123 456', 'icbc', ?, ?, ?)`,
  ).run(bankId, start, openingTotal, now);

  // The current month keeps a few vouchers in the workflow: the newest ones stay draft/submitted/approved.
  const workflow = new Map<string, string>();
  const current = vouchers.filter((v) => v.date.slice(0, 7) === thisMonth && v.kind === 'disbursement');
  ['draft', 'submitted', 'approved'].forEach((st, i) => {
    const v = current[current.length - 1 - i];
    if (v) workflow.set(v.id, st);
  });

  const insertVoucher = db.prepare(`INSERT INTO custody_vouchers (id, kind, status, date, period, amount_fen, org_id, bank_account_id, source_id, project_id, budget_line_id, counterparty, purpose, attachments, maker_id, submitted_at, approver_id, approved_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertLine = db.prepare(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id, org_id, source_id, project_id, budget_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const postIt = db.prepare(`UPDATE custody_vouchers SET status = 'posted', seq = ?, number = ?, poster_id = ?, posted_at = ? WHERE id = ?`);
  const seqByMonth = new Map<string, number>();
  const bankLines: { date: string; amountFen: number; counterpartyName: string; summary: string; voucherId: string }[] = [];
  for (const v of vouchers) {
    const period = v.date.slice(0, 7);
    const status = workflow.get(v.id) ?? 'posted';
    const at = `${v.date}T02:00:00.000Z`;
    insertVoucher.run(v.id, v.kind, status === 'posted' ? 'approved' : status, v.date, period, v.amount, v.orgId, bankId, v.sourceId, v.projectId, v.budgetLineId, v.counterparty, v.purpose, v.kind === 'disbursement' ? rng.int(1, 3) : 1, maker, status === 'draft' ? null : at, status === 'posted' || status === 'approved' ? approver : null, status === 'posted' || status === 'approved' ? at : null, at, at);
    if (status !== 'posted') continue;
    const tags = { sourceId: v.sourceId, projectId: v.projectId };
    const lines: JournalLine[] =
      v.kind === 'disbursement'
        ? disbursementLines({ bankAccountId: bankId, orgId: v.orgId, amountFen: v.amount, budgetLineId: v.budgetLineId, ...tags })
        : receiptLines({ bankAccountId: bankId, orgId: v.orgId, amountFen: v.amount, ...tags });
    lines.forEach((l, i) => insertLine.run(v.id, i + 1, v.date, period, l.accountCode, l.amountFen, l.bankAccountId ?? null, l.orgId ?? null, l.sourceId ?? null, l.projectId ?? null, l.budgetLineId ?? null));
    const seq = (seqByMonth.get(period) ?? 0) + 1;
    seqByMonth.set(period, seq);
    postIt.run(seq, voucherNumberFor(v.date, seq), poster, at, v.id);
    if (v.bankLag !== null) {
      const bankDate = addDays(v.date, v.bankLag);
      if (bankDate <= today) bankLines.push({ date: bankDate, amountFen: v.kind === 'disbursement' ? -v.amount : v.amount, counterpartyName: v.counterparty, summary: v.purpose, voucherId: v.id });
    }
  }
  // A bank charge the ledger has not recorded yet (银行已付、企业未付) in the current month.
  bankLines.push({ date: today, amountFen: -1_500, counterpartyName: '', summary: '账户管理费', voucherId: '' });
  bankLines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // The statement as imported, month by month, with running balances; matched one to one.
  const insertImport = db.prepare(`INSERT INTO custody_statement_imports (id, bank_account_id, file_name, format_id, sha256, added_count, duplicate_count, imported_by, imported_at) VALUES (?, ?, ?, 'icbc', ?, ?, 0, ?, ?)`);
  const insertStmt = db.prepare(`INSERT INTO custody_statement_lines (id, bank_account_id, import_id, row_no, date, amount_fen, balance_fen, counterparty_name, counterparty_account, summary, serial, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`);
  const insertGroup = db.prepare(`INSERT INTO custody_match_groups (id, bank_account_id, method, created_by, created_at) VALUES (?, ?, 'auto', ?, ?)`);
  const insertItem = db.prepare(`INSERT INTO custody_match_items (group_id, side, item_id, date, amount_fen) VALUES (?, ?, ?, ?, ?)`);
  let running = openingTotal;
  let serial = 100000;
  for (const month of months) {
    const inMonth = bankLines.filter((l) => l.date.slice(0, 7) === month);
    if (inMonth.length === 0) continue;
    const importId = randomUUID();
    insertImport.run(importId, bankId, `工行对账单_${month}.xlsx`, randomUUID().replace(/-/g, ''), inMonth.length, maker, `${month}-28T08:00:00.000Z`);
    const withKeys = assignDedupeKeys(
      inMonth.map((l, i) => {
        running += l.amountFen;
        return { row: i + 5, date: l.date, amountFen: l.amountFen, balanceFen: running, counterpartyName: l.counterpartyName, counterpartyAccount: '', summary: l.summary, serial: `GH${serial++}` };
      }),
    );
    withKeys.forEach((l, i) => {
      const lineId = randomUUID();
      insertStmt.run(lineId, bankId, importId, l.row, l.date, l.amountFen, l.balanceFen, l.counterpartyName, l.summary, l.serial, l.dedupeKey);
      const voucherId = inMonth[i].voucherId;
      // Leave last month and the current one for the accountant to match.
      if (voucherId && month < lastMonth) {
        const g = randomUUID();
        const v = vouchers.find((x) => x.id === voucherId)!;
        insertGroup.run(g, bankId, maker, now);
        insertItem.run(g, 'bank', lineId, l.date, l.amountFen);
        insertItem.run(g, 'entry', voucherId, v.date, l.amountFen);
      }
    });
  }

  // Every month before last month is closed.
  const closePeriod = db.prepare(`INSERT INTO custody_periods (period, closed, closed_at, closed_by) VALUES (?, 1, ?, ?)`);
  for (const month of months) if (month < lastMonth) closePeriod.run(month, `${addMonths(`${month}-01`, 1).slice(0, 7)}-03T09:00:00.000Z`, maker);

  // In-kind donations, kept apart from cash.
  const insertInKind = db.prepare(`INSERT INTO custody_inkind (id, org_id, donor, received_on, description, quantity, unit, value_fen, valuation_basis, status, handled_on, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`);
  const goods = [
    ['大米', '50', '袋', 125_000, '发票金额'],
    ['食用油', '40', '桶', 240_000, '发票金额'],
    ['防疫口罩', '2000', '只', 100_000, '市场价'],
    ['二手书籍', '300', '册', 60_000, '评估价'],
    ['轮椅', '3', '台', 180_000, '协议价'],
  ] as const;
  goods.forEach(([what, qty, unit, value, basis], i) => {
    const date = addDays(start, 30 * (i + 1));
    const given = i < 3;
    insertInKind.run(randomUUID(), rng.pick(orgs).id, rng.pick(['玉林商圈商户联合会', '爱心企业成都某某食品公司', '居民张先生']), date, what, qty, unit, value, basis, given ? 'distributed' : 'received', given ? addDays(date, 7) : null, maker, now, now);
  });
}
