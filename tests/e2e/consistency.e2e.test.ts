/**
 * No lost updates on screen: zhangli edits an organization while liming saves it from another desk. Her save is
 * refused naming him and when; the dialog shows what he changed beside what she typed, and 「载入最新并保留我的
 * 修改」 puts his change and hers in the form at the new version, so her second save keeps both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cleanScreenshots, login, screenshot, startApp } from './harness';
import { caller, loginAs } from '../helpers/core';

describe('a record changed at another desk while it is being edited', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  beforeAll(async () => {
    cleanScreenshots('consistency');
    app = await startApp();
    page = await app.newPage();
    await login(page, 'zhangli');
    await page.getByText('工作台').first().waitFor();
  }, 120_000);
  afterAll(async () => app?.close());

  it('refuses the stale save, shows what changed, and re-applies what she typed on the latest version', async () => {
    const id = (app.core.sqlite.prepare(`SELECT id FROM organizations WHERE status = 'active' ORDER BY id LIMIT 1`).get() as { id: string }).id;
    await page.goto(`${app.url}/#/organizations/org/${id}`);
    await page.getByRole('button', { name: /修\s*改/ }).first().click();
    const drawer = page.locator('.ant-drawer-content-wrapper');
    await drawer.getByLabel('简称').fill('张丽改的简称');

    // Meanwhile liming saves the same organization at his desk.
    const li = caller(app.core, await loginAs(app.core, 'liming'));
    const read = await li('organizations.get', { id });
    await li('organizations.update', { id, version: read.version, input: { ...read.input, remark: '李明加的备注' } });

    await page.getByTestId('org-save').click();
    const dialog = page.locator('.ant-modal', { hasText: '记录已被他人修改' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('stale-message').innerText()).toMatch(/^该组织已被 李明\(主任\) 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 修改，请刷新后重新填写$/);
    await dialog.getByText('李明加的备注').waitFor();
    await screenshot(page, 'consistency/01-stale-dialog-1366');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'consistency/02-stale-dialog-1920');
    await page.setViewportSize({ width: 1366, height: 768 });

    await dialog.getByTestId('stale-keep-mine').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await drawer.getByLabel('简称').inputValue()).toBe('张丽改的简称');
    expect(await drawer.getByLabel('备注').inputValue()).toBe('李明加的备注');
    await page.getByTestId('org-save').click();
    await drawer.waitFor({ state: 'hidden' });
    const now = await li('organizations.get', { id });
    expect([now.input.shortName, now.input.remark]).toEqual(['张丽改的简称', '李明加的备注']);
    expect(now.version).toBe(read.version + 2);
  }, 120_000);
});
