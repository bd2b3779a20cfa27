import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { formatFenPlain } from '@shared/money';
import { caller, loginAs, openDemoCore } from '../helpers/core';
import { launchBrowser, SCREENSHOT_DIR } from './harness';

/**
 * The printed 代管资金对账单 and a 记账凭证 as PDFs: the core's printable HTML printed by Chromium (page.pdf, A4, as
 * the web host's browser and Electron print it), rendered with pdftoppm and read back with pdftotext
 * (poppler-utils). The text must show the 期初 line, the reversal pair netted out of 收入, 期末 = 期初 + 收入 − 支出,
 * and nothing may fall outside the page. The PDFs and PNGs stay in screenshots/custody-print/ for people to look at.
 */
const OUT = join(SCREENSHOT_DIR, 'custody-print');

type Statement = {
  openingFen: number;
  totalInFen: number;
  totalOutFen: number;
  closingFen: number;
  rows: { voucherNo: string; inFen: number; outFen: number; pair: string; pairIndex?: number | null; pairNo?: string | null }[];
};

function poppler(tool: string, ...args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** pdftotext's text with the layout's runs of blanks squeezed, so phrases can be matched whatever the column widths. */
function pdfText(pdf: string): string {
  return poppler('pdftotext', '-layout', '-enc', 'UTF-8', pdf, '-').replace(/[ \t\u00a0]+/g, ' ');
}

/** Every word's box, per page, from pdftotext -bbox; each must lie within its page (nothing cut at an edge). */
function wordsOutsidePage(pdf: string): { pages: number; outside: string[] } {
  const html = poppler('pdftotext', '-bbox', pdf, '-');
  const outside: string[] = [];
  let pages = 0;
  for (const page of html.split('<page ').slice(1)) {
    pages++;
    const w = Number(/width="([\d.]+)"/.exec(page)![1]);
    const h = Number(/height="([\d.]+)"/.exec(page)![1]);
    for (const m of page.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
      const [x0, y0, x1, y1] = [m[1], m[2], m[3], m[4]].map(Number);
      // A4 printed with Chromium's default margins: words stay at least 10 pt inside each edge.
      if (x0 < 10 || y0 < 10 || x1 > w - 10 || y1 > h - 10) outside.push(`${pages}:${m[5]}@${x0},${y0},${x1},${y1}`);
    }
  }
  return { pages, outside };
}

/** The text in the order Chromium wrote it (a table cell's wrapped lines stay together), without any blank. */
function pdfRunText(pdf: string): string {
  return poppler('pdftotext', '-raw', '-enc', 'UTF-8', pdf, '-').replace(/\s+/g, '');
}

const amount = (s: string) => Math.round(Number(s.replace(/,/g, '')) * 100);

describe('printed statements and vouchers as PDFs (Chromium page.pdf, poppler)', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  let browser: Browser;
  let orgId: string;
  let from: string;
  let to: string;
  let reversal: { id: string; number: string; reversedNo: string };

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    t = await openDemoCore('wangfang');
    const approve = caller(t.core, await loginAs(t.core, 'liming'));
    const post = caller(t.core, await loginAs(t.core, 'chenjing'));
    // An organization with a reversal pair within the period: reverse its latest posted receipt of an open month.
    const accounts = await t.call('custody.accounts.list', {});
    let v: { id: string; date: string; number: string } | undefined;
    for (const a of accounts) {
      v = t.core.sqlite
        .prepare(
          `SELECT id, date, number FROM custody_vouchers WHERE org_id = ? AND kind = 'receipt' AND status = 'posted'
             AND period NOT IN (SELECT period FROM custody_periods WHERE closed = 1) ORDER BY date DESC LIMIT 1`,
        )
        .get(a.orgId) as typeof v;
      if (v) {
        orgId = a.orgId;
        break;
      }
    }
    if (!v) throw new Error('演示账中没有可冲销的收款凭证');
    const { id } = await t.call('custody.vouchers.reverse', { id: v.id, date: v.date, reason: '金额录错' });
    await t.call('custody.vouchers.submit', { id });
    await approve('custody.vouchers.approve', { id });
    const { number } = await post('custody.vouchers.post', { id });
    reversal = { id, number, reversedNo: v.number };
    to = v.date;
    from = `${to.slice(0, 4)}-01-01`;
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  /** Prints `html` to `<name>.pdf` on A4 and renders each page to `<name>-N.png`; returns the PDF's path. */
  async function printPdf(name: string, html: string): Promise<string> {
    writeFileSync(join(OUT, `${name}.html`), html);
    const page = await browser.newPage();
    await page.setContent(html);
    await page.emulateMedia({ media: 'print' });
    const pdf = join(OUT, `${name}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    await page.close();
    poppler('pdftoppm', '-png', '-r', '80', pdf, join(OUT, name));
    return pdf;
  }

  it('the 代管资金对账单: 期初 on its own line, the reversal pair netted, 期末 = 期初 + 收入 − 支出, nothing cut', async () => {
    const s = (await t.call('custody.orgStatement', { orgId, from, to })) as unknown as Statement;
    const { html } = await t.call('custody.orgStatement.print', { orgId, from, to });
    const pdf = await printPdf('statement', html);
    expect(readdirSync(OUT).filter((f) => /^statement-\d+\.png$/.test(f)).length).toBeGreaterThan(0);
    const text = pdfText(pdf);
    expect(text).toContain('代管资金对账单');
    // 期初 on its own line, with the opening balance; 期末 on its own line.
    expect(text).toMatch(new RegExp(`${from} 期初余额[^\\n]* ${formatFenPlain(s.openingFen).replace(/\./g, '\\.')}\\s*\\n`));
    expect(text).toMatch(new RegExp(`${to} 期末余额 ${formatFenPlain(s.closingFen).replace(/\./g, '\\.')}\\s*\\n`));
    // The pair: the original marked 已由 … 冲销, the reversal marked 冲销 … with the same 〔冲n〕, its amount negative.
    const original = s.rows.find((r) => r.voucherNo === reversal.reversedNo)!;
    const rev = s.rows.find((r) => r.voucherNo === reversal.number)!;
    expect(original.pair).toBe('reversed');
    expect(rev.pair).toBe('reversal');
    const run = pdfRunText(pdf);
    expect(run).toContain(`〔冲${original.pairIndex}〕已由${reversal.number}冲销`);
    expect(run).toContain(`〔冲${original.pairIndex}〕冲销${reversal.reversedNo}`);
    expect(rev.inFen).toBe(-original.inFen);
    expect(text).toContain(` ${formatFenPlain(original.inFen)} `);
    expect(text).toContain(` -${formatFenPlain(original.inFen)} `);
    // The note reads 期初余额 A + 本期收入 B − 本期支出 C = 期末余额 D; its figures add up, and B leaves the pair out.
    const m = /期初余额 ([\d,.-]+) \+ 本期收入 ([\d,.-]+) − 本期支出 ([\d,.-]+) = 期末余额 ([\d,.-]+)/.exec(text.replace(/\s*\n\s*/g, ''));
    expect(m, text).not.toBeNull();
    const [opening, income, spending, closing] = m!.slice(1).map(amount);
    expect(opening + income - spending).toBe(closing);
    expect([opening, income, spending, closing]).toEqual([s.openingFen, s.totalInFen, s.totalOutFen, s.closingFen]);
    const unpaired = (k: 'inFen' | 'outFen') => s.rows.filter((r) => r.pair === 'normal').reduce((x, r) => x + r[k], 0);
    expect(income).toBe(unpaired('inFen'));
    expect(spending).toBe(unpaired('outFen'));
    expect(text).toMatch(new RegExp(`本期合计 ${formatFenPlain(income).replace(/\./g, '\\.')} ${formatFenPlain(spending).replace(/\./g, '\\.')}`));
    // Not cut: every word inside its page, and the last page ends with the signature block.
    const box = wordsOutsidePage(pdf);
    expect(box.outside).toEqual([]);
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages.length).toBe(box.pages);
    expect(pages.at(-1)).toContain('负责人签字：');
    expect(pages.at(-1)).toMatch(/打印日期：\d{4}-\d{2}-\d{2}/);
  });

  it('a 记账凭证 (the reversal): its lines, balanced totals, the voucher it reverses, nothing cut', async () => {
    const { html } = await t.call('custody.vouchers.print', { ids: [reversal.id] });
    const pdf = await printPdf('voucher', html);
    const text = pdfText(pdf);
    expect(text).toContain('记账凭证');
    expect(text).toContain(`凭证号：${reversal.number}`);
    expect(pdfRunText(pdf)).toContain(`本凭证冲销${reversal.reversedNo}`);
    const lines = t.core.sqlite.prepare('SELECT amount_fen FROM custody_journal WHERE voucher_id = ? ORDER BY line_no').pluck().all(reversal.id) as number[];
    const debit = lines.filter((a) => a > 0).reduce((x, a) => x + a, 0);
    const credit = -lines.filter((a) => a < 0).reduce((x, a) => x + a, 0);
    expect(debit).toBe(credit);
    const total = /合计：\S+ ([\d,.]+) ([\d,.]+)/.exec(text);
    expect(total, text).not.toBeNull();
    expect([amount(total![1]), amount(total![2])]).toEqual([debit, credit]);
    const box = wordsOutsidePage(pdf);
    expect(box.outside).toEqual([]);
    expect(box.pages).toBe(1);
    expect(text).toMatch(/制单：\S+/);
  });
});
