import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Locator, Page } from 'playwright-core';
import { addMonths, todayInChina } from '@shared/dates/parse';
import { cleanScreenshots, login, screenshot, SCREENSHOT_DIR, startApp } from './harness';

/**
 * The month-end of a custody accountant, on the demo hub: record a receipt, have it approved and posted by two
 * other people, import the bank statement (GBK CSV), auto-match, see the 银行存款余额调节表 agree, close the
 * month, and print an organization's 代管资金对账单.
 */
describe('custody end to end (Node host + Chromium)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let accountant: Page;
  const lastMonth = addMonths(`${todayInChina().slice(0, 7)}-01`, -1).slice(0, 7);
  const date = `${lastMonth}-20`;

  beforeAll(async () => {
    cleanScreenshots('custody');
    app = await startApp({ seed: 'demo' });
    accountant = await pageAs('wangfang');
    await accountant.getByTestId('main-nav').getByText('资金代管').click();
    await accountant.getByRole('tab', { name: '记账凭证' }).waitFor();
  });
  afterAll(async () => app?.close());

  /** Opens a page already logged in; the first load of the bundles can be slow on a busy machine. */
  async function pageAs(username: string): Promise<Page> {
    const page = await app.newPage();
    await page.getByLabel('用户名').waitFor({ timeout: 120_000 });
    await login(page, username);
    await page.getByTestId('main-nav').waitFor({ timeout: 60_000 });
    return page;
  }

  /** Picks the first option of the select labelled `label`, waiting out the previous dropdown's closing animation. */
  async function pickFirst(page: Page, dialog: Locator, label: string) {
    const open = page.locator('.ant-select-dropdown:visible');
    await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(0);
    await dialog.getByLabel(label).click();
    await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(1);
    await open.locator('.ant-select-item-option').first().click();
    await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(0);
  }

  async function openVoucher(page: Page, filter: string) {
    await page.getByTestId('main-nav').getByText('资金代管').click();
    await page.getByText(filter, { exact: true }).click();
    await page.getByTestId('voucher-grid').getByText('社区活动补助拨款').first().click();
    await page.locator('.ant-drawer').getByText('社区活动补助拨款').first().waitFor();
  }

  it('records a receipt, refusing an ambiguous amount', async () => {
    await accountant.getByTestId('voucher-grid').locator('.ag-row').first().waitFor();
    await screenshot(accountant, 'custody/01-vouchers');
    await accountant.getByRole('button', { name: '录入凭证' }).click();
    const dialog = accountant.locator('.ant-modal');
    await dialog.getByLabel('日期').click();
    await dialog.getByLabel('日期').fill(date);
    await dialog.getByLabel('日期').press('Enter');
    await pickFirst(accountant, dialog, '组织');
    await pickFirst(accountant, dialog, '银行账户');
    await dialog.getByLabel('金额（元）').fill('1,23.4');
    await dialog.getByLabel('对方单位').click();
    await dialog.getByText('千分位逗号位置不对').waitFor();
    await screenshot(accountant, 'custody/02-ambiguous-amount-refused');
    await dialog.getByLabel('金额（元）').fill('￥1,234.50');
    await dialog.getByLabel('对方单位').fill('武侯区民政局');
    await dialog.getByLabel('摘要/用途').fill('社区活动补助拨款');
    await dialog.getByRole('button', { name: /保存草稿/ }).click();
    const drawer = accountant.locator('.ant-drawer');
    await drawer.getByText('¥1,234.50', { exact: true }).first().waitFor();
    await drawer.getByRole('button', { name: /提交审批/ }).click();
    await drawer.getByText('待审批').first().waitFor();
    await screenshot(accountant, 'custody/03-submitted');
    // The maker sees no approve button on their own voucher.
    expect(await drawer.getByRole('button', { name: /审批通过/ }).count()).toBe(0);
    await drawer.locator('.ant-drawer-close').click();
  });

  it('is approved by the director and posted by the cashier with the next number of its month', async () => {
    const director = await pageAs('liming');
    await openVoucher(director, '待我审批');
    await director.locator('.ant-drawer').getByRole('button', { name: /审批通过/ }).click();
    await director.locator('.ant-drawer').getByText('已审批').first().waitFor();
    await screenshot(director, 'custody/04-approved');
    const cashier = await pageAs('chenjing');
    await openVoucher(cashier, '待记账');
    await cashier.locator('.ant-drawer').getByRole('button', { name: /记\s*账/ }).click();
    await cashier.getByTestId('confirm-ok').click(); // 记账 asks first: a posted voucher can only be reversed
    const title = cashier.locator('.ant-drawer-title');
    await expect.poll(async () => title.textContent()).toMatch(new RegExp(`记-${lastMonth}-\\d{4}`));
    await cashier.locator('.ant-drawer').getByText('1002 银行存款').first().waitFor();
    await screenshot(cashier, 'custody/05-posted');
  });

  it('imports the GBK bank statement twice (the second adds nothing), auto-matches, reconciles and closes the month', async () => {
    const page = accountant;
    await page.getByRole('tab', { name: '银行对账' }).click();
    const month = page.locator('.ant-picker').first().locator('input');
    await month.click();
    await month.fill(lastMonth);
    await month.press('Enter');
    await page.getByTestId('recon-card').waitFor();
    const csv = [
      ['中国工商银行 账户历史明细'],
      ['交易时间', '借方发生额', '贷方发生额', '余额', '对方单位名称', '摘要', '用途'],
      [`${lastMonth}-21 10:00:00`, '', '"1,234.50"', '', '武侯区民政局', '转账', '社区活动补助'],
    ]
      .map((r) => r.join(','))
      .join('\r\n');
    const dir = join(SCREENSHOT_DIR, 'custody');
    mkdirSync(dir, { recursive: true });
    const file = { name: 'icbc-statement.csv', mimeType: 'text/csv', buffer: iconv.encode(csv, 'gbk') };
    for (const round of [1, 2]) {
      await page.getByRole('button', { name: '导入对账单' }).click();
      const dialog = page.locator('.ant-modal').filter({ hasText: '导入银行对账单' });
      await dialog.locator('input[type=file]').setInputFiles(file);
      if (round === 1) {
        await dialog.getByText(/新流水 1 条/).waitFor();
        await screenshot(page, 'custody/06-statement-preview');
        await dialog.getByRole('button', { name: /导入 1 条新流水/ }).click();
        await dialog.waitFor({ state: 'hidden' });
      } else {
        await dialog.getByText(/新流水 0 条，已导入过 1 条/).waitFor();
        expect(await dialog.getByRole('button', { name: /导入 0 条新流水/ }).isDisabled()).toBe(true);
        await dialog.getByRole('button', { name: /取\s*消/ }).click();
      }
    }
    await page.getByRole('button', { name: '自动勾对' }).click();
    const auto = page.locator('.ant-modal').filter({ hasText: '自动勾对结果' });
    await auto.getByText(/找到 \d+ 组/).waitFor();
    await screenshot(page, 'custody/07-auto-match');
    await auto.getByRole('button', { name: /确认 \d+ 组/ }).click();
    await auto.waitFor({ state: 'hidden' });
    const card = page.getByTestId('recon-card');
    await card.getByText('调节后余额相符').waitFor();
    await screenshot(page, 'custody/08-reconciled');
    await card.getByRole('button', { name: new RegExp(`结账 ${lastMonth}`) }).click();
    await page.getByTestId('confirm-ok').click(); // 结账 asks first
    await page.getByText('已结账', { exact: true }).first().waitFor();
    await screenshot(page, 'custody/09-closed');
    // A closed month accepts no voucher.
    const r = await page.evaluate(async (d) => {
      const res = await fetch('/api/custody.vouchers.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-incubase-client': '1' },
        body: JSON.stringify({ kind: 'receipt', date: d, amountFen: 100, orgId: 'x', bankAccountId: 'y', purpose: '补录' }),
      });
      return res.json();
    }, date);
    expect(r.error.message).toContain('已结账');
  });

  it("prints an organization's 代管资金对账单", async () => {
    const page = accountant;
    await page.getByRole('tab', { name: '代管账户' }).click();
    await page.getByTestId('accounts-grid').getByRole('button', { name: '对账单' }).first().click();
    const modal = page.locator('.ant-modal').filter({ hasText: '代管资金对账单' });
    await modal.getByText('期末余额').waitFor();
    // Let the modal's zoom-in finish so the screenshot shows it, not a half-transparent frame.
    await page.waitForFunction(() => document.querySelectorAll('.ant-modal[class*="zoom-"], .ant-modal-mask[class*="fade-"]').length === 0);
    await screenshot(page, 'custody/10-org-statement');
    const orgId = await page.evaluate(async () => {
      const res = await fetch('/api/custody.accounts.list', { method: 'POST', headers: { 'content-type': 'application/json', 'x-incubase-client': '1' }, body: '{}' });
      return (await res.json()).data[0].orgId as string;
    });
    const html = await page.evaluate(async ({ orgId, from, to }) => {
      const res = await fetch('/api/custody.orgStatement.print', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-incubase-client': '1' },
        body: JSON.stringify({ orgId, from, to }),
      });
      return (await res.json()).data.html as string;
    }, { orgId, from: `${lastMonth.slice(0, 4)}-01-01`, to: todayInChina() });
    expect(html).toContain('代管资金对账单');
    // The same page Chromium prints to PDF in the Node host.
    const printPage = await app.browser.newPage();
    await printPage.setContent(html);
    await printPage.screenshot({ path: join(SCREENSHOT_DIR, 'custody', '11-statement-print.png'), fullPage: true });
    const pdf = join(SCREENSHOT_DIR, 'custody', 'statement.pdf');
    await printPage.pdf({ path: pdf, format: 'A4' });
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
  });
  it('shows the periods, the source and project summary, the in-kind register and the setup', async () => {
    const page = accountant;
    const statement = page.locator('.ant-modal').filter({ hasText: '代管资金对账单' });
    await statement.locator('.ant-modal-close').click();
    await statement.waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: '期间与结账' }).click();
    await page.getByRole('row').filter({ has: page.getByRole('cell', { name: lastMonth, exact: true }) }).getByText('已结账').waitFor();
    await screenshot(page, 'custody/12-periods');
    await page.getByRole('tab', { name: '来源与项目' }).click();
    await page.getByText('项目预算执行').waitFor();
    await page.locator('.ant-card').filter({ hasText: '按资金来源' }).locator('.ant-table-row').first().waitFor();
    await screenshot(page, 'custody/13-summary');
    await page.getByRole('tab', { name: '物资登记' }).click();
    await page.getByRole('button', { name: /登\s*记物资/ }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await screenshot(page, 'custody/14-inkind');
    await page.getByRole('tab', { name: '基础设置' }).click();
    await page.getByText('银行账户').first().waitFor();
    await screenshot(page, 'custody/15-setup');

    // The closed month's 银行存款余额调节表 and the year's summary, as the printed pages.
    const pages = await page.evaluate(async ({ asOf, year }) => {
      const post = async (name: string, body: unknown) => {
        const res = await fetch(`/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-incubase-client': '1' }, body: JSON.stringify(body) });
        return (await res.json()).data;
      };
      const overview = await post('custody.overview', {});
      const recon = await post('custody.reconcile.print', { bankAccountId: overview.bankAccounts[0].id, asOf });
      const summary = await post('custody.summary.print', { from: `${year}-01-01`, to: `${year}-12-31` });
      return { recon: recon.html as string, summary: summary.html as string };
    }, { asOf: `${lastMonth}-${String(new Date(Date.UTC(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)), 0)).getUTCDate())}`, year: lastMonth.slice(0, 4) });
    expect(pages.recon).toContain('调节后两方余额相符');
    expect(pages.summary).toContain('项目预算执行');
    const printPage = await app.browser.newPage();
    for (const [name, html] of [['16-reconciliation-print', pages.recon], ['17-summary-print', pages.summary]] as const) {
      await printPage.setContent(html);
      await printPage.screenshot({ path: join(SCREENSHOT_DIR, 'custody', `${name}.png`), fullPage: true });
    }
  });
});
