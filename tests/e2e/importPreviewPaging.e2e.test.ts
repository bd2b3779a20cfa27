import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { addMonths, todayInChina } from '@shared/dates/parse';
import { cleanScreenshots, login, screenshot, startApp } from './harness';

/**
 * The statement import dialog pages a statement the preview did not send whole (its first lines come with the
 * preview, the later pages from the lines the core kept); the exports in the importers' shape have their buttons
 * beside the import buttons; the 记账凭证 toolbar fits on one line at 1366×768. Screens at 1366×768 and 1920×1080.
 */
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const LINES = 450;

describe('import previews page their rows; export buttons; the voucher toolbar fits (Node host + Chromium)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  const lastMonth = addMonths(`${todayInChina().slice(0, 7)}-01`, -1).slice(0, 7);

  beforeAll(async () => {
    cleanScreenshots('import-paging');
    app = await startApp({ seed: 'demo' });
  });
  afterAll(async () => app?.close());

  async function pageAs(username: string, size: (typeof SIZES)[number]): Promise<Page> {
    const page = await app.newPage();
    await page.setViewportSize(size);
    await page.getByLabel('用户名').waitFor({ timeout: 120_000 });
    await login(page, username);
    await page.getByTestId('main-nav').waitFor({ timeout: 60_000 });
    return page;
  }

  it('the 记账凭证 toolbar is one line at both sizes', async () => {
    for (const size of SIZES) {
      const page = await pageAs('wangfang', size);
      await page.getByTestId('main-nav').getByText('资金代管').click();
      await page.getByTestId('voucher-grid').locator('.ag-row').first().waitFor({ timeout: 60_000 });
      const toolbar = page.getByTestId('voucher-toolbar');
      const items = await toolbar.locator(':scope > .ant-space-item').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), right: r.right })));
      expect(new Set(items.map((i) => i.top)).size, JSON.stringify(items)).toBe(1);
      expect(Math.max(...items.map((i) => i.right))).toBeLessThanOrEqual(size.width);
      await screenshot(page, `import-paging/01-vouchers-${size.width}`);
      await page.close();
    }
  });

  it('a statement of 450 lines: the first pages from the preview, the last one from the core', async () => {
    const rows: string[][] = [['中国工商银行 账户历史明细'], ['凭证号', '交易时间', '借方发生额', '贷方发生额', '对方单位名称', '摘要', '余额']];
    let balance = 0;
    for (let i = 0; i < LINES; i++) {
      const fen = 100 + i;
      balance += fen;
      rows.push([`E${String(i).padStart(5, '0')}`, `${lastMonth}-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`, '', (fen / 100).toFixed(2), `翻页对方${i}`, '拨款', (balance / 100).toFixed(2)]);
    }
    const file = { name: '工行450条.csv', mimeType: 'text/csv', buffer: iconv.encode(rows.map((r) => r.join(',')).join('\r\n'), 'gbk') };
    for (const size of SIZES) {
      const page = await pageAs('wangfang', size);
      await page.getByTestId('main-nav').getByText('资金代管').click();
      await page.getByRole('tab', { name: '银行对账' }).click();
      await page.getByRole('button', { name: '导入对账单' }).click();
      const dialog = page.locator('.ant-modal').filter({ hasText: '导入银行对账单' });
      await dialog.locator('input[type=file]').setInputFiles(file);
      await dialog.getByText(`新流水 ${LINES} 条`, { exact: false }).waitFor({ timeout: 60_000 });
      const lines = dialog.getByTestId('statement-lines');
      await lines.getByText(`共 ${LINES} 条`).waitFor();
      await lines.getByText('翻页对方0', { exact: true }).waitFor();
      await screenshot(page, `import-paging/02-statement-first-${size.width}`);
      // the last page (lines 443–450) is beyond what the preview sent: the dialog asks the core for it
      await lines.locator('.ant-pagination-item').last().click();
      await lines.getByText(`翻页对方${LINES - 1}`, { exact: true }).waitFor({ timeout: 30_000 });
      await screenshot(page, `import-paging/03-statement-last-${size.width}`);
      await dialog.getByRole('button', { name: /取\s*消/ }).click();
      await page.close();
    }
  });

  it('the exports in the importers’ shape sit beside their import buttons (the roster for the admin only)', async () => {
    for (const size of SIZES) {
      const admin = await pageAs('admin', size);
      await admin.getByTestId('main-nav').getByText('安家场地').click();
      await admin.getByRole('tab', { name: '场地管理' }).click();
      await admin.getByTestId('venue-export').waitFor({ timeout: 60_000 });
      await screenshot(admin, `import-paging/04-venues-${size.width}`);
      await admin.getByTestId('main-nav').getByText('组织台账').click();
      await admin.getByRole('tab', { name: '活动与重大活动报告' }).click();
      await admin.getByTestId('activity-export').waitFor({ timeout: 60_000 });
      await screenshot(admin, `import-paging/05-activities-${size.width}`);
      await admin.getByTestId('main-nav').getByText('人员培训').click();
      await admin.getByRole('tab', { name: '学员' }).click();
      await admin.getByTestId('trainee-roster-export').waitFor({ timeout: 60_000 });
      await screenshot(admin, `import-paging/06-trainees-${size.width}`);
      await admin.close();
    }
    const staff = await pageAs('zhangli', SIZES[0]);
    await staff.getByTestId('main-nav').getByText('人员培训').click();
    await staff.getByRole('tab', { name: '学员' }).click();
    await staff.getByTestId('trainee-import').waitFor({ timeout: 60_000 });
    expect(await staff.getByTestId('trainee-roster-export').count()).toBe(0);
    await staff.close();
  });
});
