import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { caller, loginAs, unregisteredOrganizationInput } from '../helpers/core';
import { cleanScreenshots, login, screenshot, settle, startApp } from './harness';

/**
 * Issue 18 point 7 and the keyboard/large-font items, walked as staff would: a 200-character organization name
 * keeps the detail page usable, the trainee list exports real number cells, the audit log reads as sentences,
 * the admin sees masked ID numbers (full only on an explicit, audited request), a duplicate name warns in the
 * form, the shortcuts are shown and work, focus is visible, and 系统管理 → 显示 → 字号 enlarges the app.
 */
// The longest name the ledger takes (100 characters) and a 200-character remark, without a break opportunity but CJK.
const LONG_NAME = `${'成都市锦江区书院街街道和平社区邻里守望互助志愿服务'.repeat(5)}`.slice(0, 99) + '队';
const LONG_TEXT = '锦江区书院街街道和平社区邻里守望互助志愿服务队活动场地位于和平社区党群服务中心二楼多功能厅'.repeat(5).slice(0, 200);

describe('meeting-ready lists, readable log, keyboard and large font', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  let longId: string;
  let firstName: string;
  beforeAll(async () => {
    cleanScreenshots('meeting');
    app = await startApp({ seed: 'demo' });
    const staff = caller(app.core, await loginAs(app.core, 'zhangli'));
    const d = { input: await unregisteredOrganizationInput(staff) };
    firstName = d.input.name;
    ({ id: longId } = await staff('organizations.create', { input: { ...d.input, name: LONG_NAME, creditCode: null, shortName: null, remark: LONG_TEXT, street: '书院街街道和平社区邻里守望互助志愿服务队所在的街道名称特别长的一个街道办事处' } }));
    page = await app.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, 'admin');
    await page.getByTestId('main-nav').waitFor();
  });
  afterAll(async () => app?.close());

  it('a 100-character name (the longest allowed) and a 200-character remark: the header wraps to two lines at most, the buttons stay in view, nothing overflows', async () => {
    for (const size of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      await page.goto(`${app.url}/#/organizations/org/${longId}`);
      await page.getByTestId('org-title').waitFor();
      await settle(page);
      const title = await page.getByTestId('org-title').boundingBox();
      const edit = await page.getByRole('button', { name: /修\s*改/ }).first().boundingBox();
      expect(title!.height).toBeLessThan(80);
      expect(edit!.x + edit!.width).toBeLessThanOrEqual(size.width);
      expect(edit!.y + edit!.height).toBeLessThan(size.height / 3);
      const overflow = await page.evaluate(() => {
        const c = document.querySelector('.ant-layout-content') as HTMLElement;
        return c.scrollWidth - c.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(1);
      await screenshot(page, `meeting/01-long-name-${size.width}`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the trainee list exports to .xlsx with number cells; the admin sees masked ID numbers until 显示完整号码', async () => {
    await page.goto(`${app.url}/#/training/trainees`);
    await page.locator('.ag-row').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-trainees').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).getCell(6).value).toBe('参训人次');
    expect(typeof ws.getRow(3).getCell(6).value).toBe('number');
    expect(ws.getRow(3).getCell(8).value).toBeInstanceOf(Date);
    expect(String(ws.getRow(3).getCell(3).value ?? '')).toMatch(/^$|\*{8}/);
    // masked in the list for the admin too
    const idCell = page.locator('.ag-row').first().locator('[col-id="idNumber"]');
    const shown = (await idCell.innerText()).trim();
    if (shown) expect(shown).toMatch(/\*{8}/);
    await screenshot(page, 'meeting/02-trainees-export');
  });

  it('the audit log reads as sentences with named records and no codes', async () => {
    await page.goto(`${app.url}/#/admin/audit`);
    await page.locator('.ag-row').first().waitFor();
    await settle(page);
    const text = await page.getByTestId('audit-grid').innerText();
    expect(text).toMatch(/张丽\(孵化专员\) 新建组织「成都市锦江区/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|organizations\.|"[a-z]+":/);
    await screenshot(page, 'meeting/03-audit-sentences');
    await page.locator('.ag-row').first().click();
    await page.getByTestId('audit-sentence').waitFor();
    await screenshot(page, 'meeting/04-audit-detail');
    await page.keyboard.press('Escape');
  });

  it('a duplicate name warns in the form and does not block', async () => {
    await page.goto(`${app.url}/#/organizations/list`);
    await page.locator('.ag-row').first().waitFor();
    await page.keyboard.press('Alt+n');
    await page.getByTestId('org-name').fill(` ${firstName.slice(0, 2)} ${firstName.slice(2)} `);
    await page.getByTestId('org-name').blur();
    await page.getByTestId('org-name-duplicate').getByText(/已有同名组织|仅全角半角/).waitFor();
    await screenshot(page, 'meeting/05-duplicate-name');
    await page.keyboard.press('Escape');
    const giveUp = page.getByRole('button', { name: /放\s*弃/ });
    if (await giveUp.isVisible().catch(() => false)) await giveUp.click();
  });

  it('shortcuts are listed (F1) and work; focus is visible', async () => {
    await page.goto(`${app.url}/#/training/trainees`);
    await page.locator('.ag-row').first().waitFor();
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Control+k');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).closest('[data-shortcut="search"]') !== null || (document.activeElement as HTMLInputElement).placeholder.includes('Ctrl+K'))).toBe(true);
    await page.keyboard.press('F1');
    await page.getByTestId('shortcut-help').getByText('Ctrl+Enter').waitFor();
    await screenshot(page, 'meeting/06-shortcut-help');
    await page.keyboard.press('Escape');
    await page.getByTestId('export-trainees').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe('solid');
  });

  it('系统管理 → 显示 → 字号 特大 enlarges the app and the grids, kept for this user', async () => {
    await page.goto(`${app.url}/#/admin/display`);
    await page.getByTestId('font-size').getByText('特大(18)').click();
    expect(await page.evaluate(() => document.documentElement.dataset.fontSize)).toBe('18');
    await page.goto(`${app.url}/#/organizations/list`);
    await page.locator('.ag-row').first().waitFor();
    // Read again if the grid redrew its rows in between (a detached cell has no computed style).
    await expect
      .poll(() => page.locator('.ag-row').first().locator('.ag-cell').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize) || 0))
      .toBeGreaterThanOrEqual(17);
    await screenshot(page, 'meeting/07-large-font-list');
    await page.reload();
    await page.locator('.ag-row').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.fontSize)).toBe('18');
    await page.goto(`${app.url}/#/admin/display`);
    await page.getByTestId('font-size').getByText('标准(14)').click();
  });
});
