import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { login, screenshot, settle, startApp } from './harness';

/** The shared import dialog on the venues screen: upload, preview with problems by row and column, import the valid rows. */
let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const book = (rows: unknown[][]) => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '场地');
  return XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
};

describe('import dialog (venues)', () => {
  it('previews a file with an error by row and column and imports the valid rows', async () => {
    const page = await app.newPage();
    await login(page, 'zhangli');
    await settle(page);
    await page.goto(`${app.url}/#/venues/manage`);
    await settle(page);
    await page.getByTestId('venue-import').click();
    const dialog = page.getByRole('dialog').filter({ hasText: '导入场地' });
    await dialog.waitFor();
    const file = book([
      ['场地名称', '依托设施类型', '容纳人数', '开放时间'],
      ['界面导入·活动室', '党群服务中心', 30, '周一至周五 09:00-17:00'],
      ['界面导入·坏行', '党群服务中心', '三十', '上午'],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '场地.xls', mimeType: 'application/vnd.ms-excel', buffer: file });
    await expect.poll(() => dialog.getByText('「容纳人数」"三十"不是整数').count(), { timeout: 30_000 }).toBe(1);
    await page.setViewportSize({ width: 1366, height: 768 });
    await screenshot(page, 'importing/01-venue-preview-1366');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'importing/02-venue-preview-1920');
    await dialog.getByTestId('import-valid').click();
    await expect.poll(() => dialog.getByText('已导入:新增 1,更新 0,未变 0,有错误 1').count(), { timeout: 30_000 }).toBe(1);
    expect(await app.core.db.selectFrom('venues').select('name').where('name', '=', '界面导入·活动室').executeTakeFirst()).toBeTruthy();
  }, 180_000);
});
