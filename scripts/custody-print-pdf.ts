/**
 * Renders the printable 代管资金对账单 (with a reversal pair) and a 记账凭证 of a fresh demo hub to PDF with Chromium
 * (page.pdf), for looking at them: `npx tsx scripts/custody-print-pdf.ts OUTDIR` then `pdftoppm -png OUTDIR/statement.pdf`.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { Core } from '../electron/core/core';
import { DEMO_PASSWORD } from '../electron/core/seed';

const OUT = process.argv[2] ?? '.';

async function main() {
  const dir = mkdtempSync(join(OUT, 'core-'));
  const core = await Core.open({ dataDir: dir, seed: 'demo', autoBackup: false });
  const token = (await core.invoke('auth.login', { username: 'wangfang', password: DEMO_PASSWORD })).sessionToken!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (n: string, i: unknown): Promise<any> => {
    const r = await core.invoke(n, i, token);
    if (!r.ok) throw new Error(r.error!.message);
    return r.data;
  };
  // An organization with a reversal pair within the period: reverse a posted receipt of the first account.
  const accounts = await call('custody.accounts.list', {});
  const org = accounts[0].orgId;
  const v = core.sqlite.prepare(`SELECT v.id, v.date FROM custody_vouchers v WHERE v.org_id = ? AND v.kind = 'receipt' AND v.status='posted' AND v.period NOT IN (SELECT period FROM custody_periods WHERE closed = 1) ORDER BY v.date DESC LIMIT 1`).get(org) as { id: string; date: string } | undefined;
  if (v) {
    const { id } = await call('custody.vouchers.reverse', { id: v.id, date: v.date, reason: '金额录错' });
    await call('custody.vouchers.submit', { id });
    const approver = (await core.invoke('auth.login', { username: 'liming', password: DEMO_PASSWORD })).sessionToken!;
    const r1 = await core.invoke('custody.vouchers.approve', { id }, approver); if (!r1.ok) console.log(r1.error);
    const cashier = (await core.invoke('auth.login', { username: 'chenjing', password: DEMO_PASSWORD })).sessionToken!;
    const r2 = await core.invoke('custody.vouchers.post', { id }, cashier); if (!r2.ok) console.log(r2.error);
  }
  const to = v?.date ?? new Date().toISOString().slice(0, 10);
  const from = `${to.slice(0, 4)}-01-01`;
  const st = await call('custody.orgStatement.print', { orgId: org, from, to });
  writeFileSync(join(OUT, 'statement.html'), st.html);
  const one = (core.sqlite.prepare(`SELECT id FROM custody_vouchers WHERE status='posted' ORDER BY kind = 'reversal' DESC LIMIT 1`).get() as { id: string });
  const vp = await call('custody.vouchers.print', { ids: [one.id] });
  writeFileSync(join(OUT, 'voucher.html'), vp.html);
  await core.close();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  for (const n of ['statement', 'voucher']) {
    await page.goto(`file://${resolve(OUT, `${n}.html`)}`);
    await page.pdf({ path: join(OUT, `${n}.pdf`), format: 'A4', printBackground: true });
  }
  await browser.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
