import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, CHROMIUM } from '../../e2e/harness';
import { readTable } from '../../../electron/core/importing/readTable';
import { custodyFixture, gbkCsv, type Fixture } from './helpers';

/**
 * Bank statements given only as PDF (read from the text layer with pdf.js into the same preview as csv/xlsx), a
 * scanned PDF without text, and statements of banks the built-in formats do not know (a 农商银行): recognized by
 * the usual column names, or mapped once and recognized from then on.
 */
let f: Fixture;
let browser: Browser;
beforeAll(async () => {
  f = await custodyFixture();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await f?.cleanup();
});

const hasChromium = existsSync(CHROMIUM);

/** A statement as a bank's portal prints it: title, account line, a bordered table over several pages. */
async function pdfOf(html: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<html><body style="font-family:'Noto Sans CJK SC',sans-serif;font-size:12px">${html}</body></html>`);
    return await page.pdf({ format: 'A4', printBackground: true });
  } finally {
    await page.close();
  }
}

interface Line {
  date: string;
  summary: string;
  inYuan: string;
  outYuan: string;
  balance: string;
  party: string;
}

function statementLines(n: number): Line[] {
  let balance = 100_000; // fen
  return Array.from({ length: n }, (_, i) => {
    const day = String(Math.floor((i * 27) / n) + 1).padStart(2, '0');
    const income = i % 3 !== 2;
    const fen = 10_000 + i * 137;
    balance += income ? fen : -fen;
    const yuan = (v: number) => (v / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
    return {
      date: `2026-02-${day}`,
      summary: i % 5 === 0 ? `公益创投拨款 第${i + 1}笔 项目资金(分期拨付,附言较长需要换行)` : `转账 ${i + 1}`,
      inYuan: income ? yuan(fen) : '',
      outYuan: income ? '' : yuan(fen),
      balance: yuan(balance),
      party: i % 2 ? '区民政局' : '幸福里邻里互助会',
    };
  });
}

const table = (lines: Line[], head: string[]) =>
  `<table border="1" style="border-collapse:collapse;width:100%"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${lines
    .map(
      (l) =>
        `<tr><td>${l.date}</td><td style="width:170px">${l.summary}</td><td style="text-align:right">${l.inYuan}</td><td style="text-align:right">${l.outYuan}</td><td style="text-align:right">${l.balance}</td><td>${l.party}</td></tr>`,
    )
    .join('')}</tbody></table>`;

describe.skipIf(!hasChromium)('PDF bank statements', () => {
  it('a 农商银行 PDF over several pages reads into the same preview as its csv: every line, amount, balance and the account check', async () => {
    const lines = statementLines(90);
    const pdf = await pdfOf(
      `<h3>XX农村商业银行 单位账户交易明细</h3><p>账号:4402 0000 0000 1234 &nbsp; 户名:XX社会组织服务中心 &nbsp; 币种:人民币</p>${table(lines, ['交易日期', '摘要', '存入金额', '支取金额', '账户余额', '对方户名'])}<p>打印日期:2026-03-01 &nbsp; 经办:张丽</p>`,
    );
    const t = await readTable({ buffer: pdf }, { allowPdf: true, keepFooters: true, multiRowHeader: false });
    expect(t.format).toBe('pdf');
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: { name: '对账单.pdf', base64: pdf.toString('base64') } });
    expect(preview.formatId).toBe('syn-split');
    expect(preview.issues).toEqual([]);
    expect(preview.fileAccountNo).toBe('4402000000001234');
    expect(preview.accountMismatch).toBeNull();
    expect(preview.balanceBreaks).toEqual([]);
    expect(preview.lines).toHaveLength(lines.length);
    const fen = (y: string) => Math.round(Number(y.replace(/,/g, '')) * 100);
    expect(preview.lines.map((l) => [l.date, l.amountFen, l.balanceFen, l.counterpartyName])).toEqual(
      lines.map((l) => [l.date, l.inYuan ? fen(l.inYuan) : -fen(l.outYuan), fen(l.balance), l.party]),
    );
    // a summary wrapped inside its cell comes back whole (the blanks pdf.js drops between CJK runs aside)
    const wrapped = preview.lines.find((l) => l.summary?.includes('公益创投'))!;
    expect(wrapped.summary!.replace(/\s/g, '')).toMatch(/^公益创投拨款第\d+笔项目资金\(分期拨付,附言较长需要换行\)$/);

    // the same statement as a GBK csv gives the same lines
    const csv = gbkCsv([['交易日期', '摘要', '存入金额', '支取金额', '账户余额', '对方户名'], ...lines.map((l) => [l.date, l.summary, l.inYuan, l.outYuan, l.balance, l.party])]);
    const fromCsv = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: { name: '对账单.csv', base64: csv } });
    expect(preview.lines.map((l) => [l.date, l.amountFen, l.balanceFen])).toEqual(fromCsv.lines.map((l) => [l.date, l.amountFen, l.balanceFen]));

    const done = await f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file: { name: '对账单.pdf', base64: pdf.toString('base64') } });
    expect(done.added).toBe(lines.length);
    const again = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: { name: '对账单.pdf', base64: pdf.toString('base64') } });
    expect(again.newCount).toBe(0);
  }, 120_000);

  it('a PDF with no text layer (a scan) gets a clear message; other importers refuse a PDF with a hint', async () => {
    const scan = await pdfOf('<div style="width:500px;height:700px;background:repeating-linear-gradient(45deg,#888 0 4px,#fff 4px 8px)"></div>');
    const err = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: { name: '扫描件.pdf', base64: scan.toString('base64') } }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toContain('没有文字层');
    await expect(readTable({ buffer: scan })).rejects.toThrow(/这是 PDF 文件/);
    // a damaged PDF is refused, not crashed on
    const broken = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x41)]);
    await expect(readTable({ buffer: broken }, { allowPdf: true })).rejects.toThrow(/PDF/);
  }, 60_000);
});

describe('statements of other banks (农商银行, 村镇银行)', () => {
  const head = ['记帐日', '交易说明', '入账金额', '出账金额', '结存', '交易对方'];
  const rows = [
    ['2026-03-02', '拨款', '500.00', '', '1,500.00', '区民政局'],
    ['2026-03-05', '购物料', '', '120.00', '1,380.00', '某文具店'],
  ];
  it('recognized by the usual column names when they are there', async () => {
    const csv = gbkCsv([['XX农商银行 对公账户明细'], ['交易日期', '摘要', '存入', '支取', '余额', '对方户名'], ...rows]);
    const p = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: { name: '农商.csv', base64: csv } });
    expect(p.formatId).toBe('syn-split');
    expect(p.lines.map((l) => l.amountFen)).toEqual([50_000, -12_000]);
  });

  it('column names no rule knows: refused with the mapping hint, mapped once, then recognized in the next file by itself', async () => {
    const csv = gbkCsv([head, ...rows]);
    const file = { name: '村镇银行.csv', base64: csv };
    const refused = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file });
    expect(refused.lines).toEqual([]);
    expect(refused.issues[0].message).toContain('设置一次列对应关系');
    const mapping = {
      name: 'XX村镇银行',
      amountMode: 'split' as const,
      columns: { date: '记帐日', summary: '交易说明', credit: '入账金额', debit: '出账金额', balance: '结存', counterpartyName: '交易对方' },
    };
    const mapped = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file, formatId: 'generic', mapping });
    expect(mapped.lines.map((l) => l.amountFen)).toEqual([50_000, -12_000]);
    await f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file, formatId: 'generic', mapping, saveMapping: true });
    // next month's file of the same bank: no format chosen, the hub's saved mapping reads it
    const next = gbkCsv([head, ['2026-04-01', '拨款', '80.00', '', '1,460.00', '区民政局']]);
    const p = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: { name: '村镇银行4月.csv', base64: next } });
    expect(p.formatName).toBe('XX村镇银行');
    expect(p.lines.map((l) => l.amountFen)).toEqual([8_000]);
  });
});
