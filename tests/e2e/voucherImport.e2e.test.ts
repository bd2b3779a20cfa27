import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { addMonths, todayInChina } from '@shared/dates/parse';
import { login, screenshot, settle, startApp } from './harness';

/** 代管资金 → 记账凭证 → 导入历史台账: the approver chosen, the preview with a 余额 mismatch by row, the valid rows imported. */
let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const book = (rows: unknown[][]) => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '代管台账');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
};

describe('custody history import dialog', () => {
  it('previews the history with its problems by row and imports the valid rows as posted vouchers', async () => {
    // two organizations of the demo hub with custody accounts; the history goes before the demo's live books
    const orgs = await app.core.db
      .selectFrom('custody_accounts as a')
      .innerJoin('organizations as o', 'o.id', 'a.org_id')
      .select(['o.id', 'o.name'])
      .orderBy('a.seq')
      .limit(2)
      .execute();
    const first = await app.core.db.selectFrom('custody_vouchers').select((eb) => eb.fn.min('period').as('p')).executeTakeFirstOrThrow();
    const month = addMonths(`${first.p as string}-01`, -3).slice(0, 7);
    expect(month < todayInChina(new Date()).slice(0, 7)).toBe(true);
    const d = (day: number) => `${month}-${String(day).padStart(2, '0')}`;
    const file = book([
      ['代管资金台账'],
      ['日期', '组织', '摘要', '收入', '支出', '余额', '经办人', '审批人'],
      [d(1), orgs[0].name, '期初余额', null, null, 3000, '', ''],
      [d(10), orgs[0].name, '社区活动经费', 2000, null, 5000, '王芳', '李明'],
      [d(12), orgs[0].name, '活动物料', null, 800, 4300, '王芳', '李明'],
      [d(2), orgs[1].name, '期初余额', null, null, 1500, '', ''],
      [d(15), orgs[1].name, '讲师费', null, 500, 1000, '王芳', '李明'],
    ]);
    const page = await app.newPage();
    await login(page, 'wangfang');
    await settle(page);
    await page.goto(`${app.url}/#/custody/vouchers`);
    await settle(page);
    await page.getByRole('button', { name: /导入历史/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '导入代管资金历史台账' });
    await dialog.waitFor();
    await dialog.getByTestId('history-approver').click();
    await page.locator('.ant-select-dropdown:visible').getByText('李明', { exact: false }).first().click();
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await dialog.locator('input[type=file]').setInputFiles({ name: '代管台账.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await expect.poll(() => dialog.getByText(/应为 ¥4,200\.00,文件中为 ¥4,300\.00/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1366, height: 768 });
    await screenshot(page, 'custody-history/01-preview-1366');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'custody-history/02-preview-1920');
    await dialog.getByTestId('import-valid').click();
    await expect.poll(() => dialog.getByText('已导入:新增 4,更新 0,未变 0,有错误 1').count(), { timeout: 60_000 }).toBe(1);
    await screenshot(page, 'custody-history/03-done-1920');
    const posted = await app.core.db
      .selectFrom('custody_vouchers')
      .select(['status', 'kind'])
      .where('period', '=', month)
      .execute();
    expect(posted.map((v) => v.status)).toEqual(['posted', 'posted', 'posted', 'posted']);
    expect(posted.filter((v) => v.kind === 'opening')).toHaveLength(2);
    await page.setViewportSize({ width: 1366, height: 768 });
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
    await settle(page);
    await screenshot(page, 'custody-history/04-vouchers-1366');
  }, 300_000);
});
