import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { addMonths, todayInChina } from '@shared/dates/parse';
import { Core } from '../../electron/core/core';
import { startOfficeServer, type OfficeServer } from '../../electron/host/office';
import { tempDir } from '../helpers/core';
import { cleanScreenshots, launchBrowser, login, screenshot } from './harness';

/**
 * Two people on two PCs against one office server over HTTPS, live: the accountant (wangfang — vouchers are
 * made by admin/accountant, so zhangli, a staff member, cannot submit one) submits a voucher; the director
 * (liming, approver) has the approval queue open and sees it arrive without a reload, approves it, and the
 * accountant's open voucher shows 已审批 by itself.
 */
describe('office server: live screens for two users (Chromium, HTTPS)', () => {
  let core: Core;
  let server: OfficeServer;
  let browser: Browser;
  let url: string;
  const lastMonth = addMonths(`${todayInChina().slice(0, 7)}-01`, -1).slice(0, 7);

  beforeAll(async () => {
    cleanScreenshots('server');
    core = await Core.open({ dataDir: tempDir('incubase-e2e-server-'), seed: 'demo', autoBackup: false });
    server = await startOfficeServer({ core, port: 0, host: '127.0.0.1', rendererDir: resolve(__dirname, '../../out/renderer') });
    url = `https://127.0.0.1:${server.port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
  });

  async function pageAs(username: string): Promise<Page> {
    // A browser on another PC: it accepts the server's own certificate once (the fingerprint is compared by eye).
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('用户名').waitFor({ timeout: 120_000 });
    await login(page, username);
    await page.getByTestId('main-nav').waitFor({ timeout: 60_000 });
    await page.getByTestId('main-nav').getByText('资金代管').click();
    await page.getByRole('tab', { name: '记账凭证' }).waitFor();
    return page;
  }

  async function pickFirst(page: Page, dialog: Locator, label: string) {
    const open = page.locator('.ant-select-dropdown:visible');
    await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(0);
    await dialog.getByLabel(label).click();
    await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(1);
    await open.locator('.ant-select-item-option').first().click();
    await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(0);
  }

  it('a voucher submitted by one appears in the other’s queue, is approved there, and shows 已审批 back in the first', async () => {
    const accountant = await pageAs('wangfang');
    const director = await pageAs('liming');
    // The director's approval queue is open before anything is submitted.
    await director.getByText('待我审批', { exact: true }).click();
    const queue = director.getByTestId('voucher-grid');
    await director.waitForTimeout(500);
    expect(await queue.getByText('服务器联动测试拨款').count()).toBe(0);

    await accountant.getByRole('button', { name: '录入凭证' }).click();
    const dialog = accountant.locator('.ant-modal');
    await dialog.getByLabel('日期').click();
    await dialog.getByLabel('日期').fill(`${lastMonth}-21`);
    await dialog.getByLabel('日期').press('Enter');
    await pickFirst(accountant, dialog, '组织');
    await pickFirst(accountant, dialog, '银行账户');
    await dialog.getByLabel('金额（元）').fill('880.00');
    await dialog.getByLabel('对方单位').fill('武侯区民政局');
    await dialog.getByLabel('摘要/用途').fill('服务器联动测试拨款');
    await dialog.getByRole('button', { name: /保存草稿/ }).click();
    const drawer = accountant.locator('.ant-drawer');
    await drawer.getByRole('button', { name: /提交审批/ }).click();
    await drawer.getByText('待审批').first().waitFor();

    // No reload on the director's side: the change feed brings it.
    await queue.getByText('服务器联动测试拨款').first().waitFor({ timeout: 10_000 });
    await screenshot(director, 'server/01-queue-live');
    await queue.getByText('服务器联动测试拨款').first().click();
    const dDrawer = director.locator('.ant-drawer');
    await dDrawer.getByRole('button', { name: /审批通过/ }).click();
    await dDrawer.getByText('已审批').first().waitFor();

    // The accountant's drawer, still open, follows.
    await drawer.locator('.ant-drawer-extra').getByText('已审批').waitFor({ timeout: 10_000 });
    await screenshot(accountant, 'server/02-approved-live');
    const online = await core.invoke('office.sessions.list', {}, null);
    expect(online.ok).toBe(false); // the admin's list needs an admin session: nothing leaks without one
  });
});
