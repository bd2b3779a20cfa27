import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cleanScreenshots, login, screenshot, startApp } from './harness';

/**
 * Issue 18: a form says what is wrong where it is wrong (all at once, by Chinese labels), never changes what was
 * typed, and asks before throwing away a filled form.
 */
describe('forms: refusals by field, no clamping, no lost input', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  beforeAll(async () => {
    cleanScreenshots('usability');
    app = await startApp({ seed: 'demo' });
    page = await app.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, 'zhangli');
    await page.getByTestId('main-nav').getByText('组织台账').click();
    await page.locator('.ag-row').first().waitFor();
  });
  afterAll(async () => app?.close());

  it('registering an organization with four problems shows all four beside their fields after one save', async () => {
    await page.getByRole('button', { name: /新建组织/ }).click();
    const drawer = page.locator('.ant-drawer-content-wrapper');
    await page.getByTestId('org-name').fill('甲');
    await drawer.getByText('依法登记').click();
    await drawer.getByLabel('负责人电话').fill('12a');
    await drawer.getByLabel('成员人数').fill('-5');
    await drawer.getByLabel('联系人', { exact: true }).click(); // blur: antd would clamp −5 to 0 here
    expect(await drawer.getByLabel('成员人数').inputValue()).toBe('-5');
    await page.getByTestId('org-save').click();
    const item = (label: string) => drawer.locator('.ant-form-item').filter({ has: page.locator(`label:text-is("${label}")`) });
    await item('组织名称').locator('.ant-form-item-explain-error').getByText('组织名称至少 2 个字').waitFor();
    await item('登记类型').locator('.ant-form-item-explain-error').waitFor();
    await item('统一社会信用代码').locator('.ant-form-item-explain-error').waitFor();
    await item('负责人电话').locator('.ant-form-item-explain-error').waitFor();
    await item('成员人数').locator('.ant-form-item-explain-error').getByText(/不能为负数|不能小于 0/).first().waitFor();
    await page.getByTestId('form-refusal').getByText(/有 \d+ 处需要修改/).waitFor();
    expect(await drawer.getByLabel('成员人数').inputValue()).toBe('-5');
    const text = await drawer.innerText();
    expect(text).not.toMatch(/input\.|leaderPhone|memberCount|registeredKind|creditCode|期望|undefined/);
    await screenshot(page, 'usability/01-org-all-refusals');

    // Esc on a filled form asks first; 继续填写 keeps everything
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal-confirm-title', { hasText: '放弃填写的内容？' }).waitFor();
    await screenshot(page, 'usability/02-org-esc-asks');
    await page.getByRole('button', { name: /继续填写/ }).click();
    expect(await page.getByTestId('org-name').inputValue()).toBe('甲');

    // fix everything: one more save registers it
    await page.getByTestId('org-name').fill('簇桥一次保存测试社');
    await drawer.getByText('社区(村)指导').click();
    await drawer.getByLabel('负责人电话').fill('13800001111');
    await drawer.getByLabel('成员人数').fill('12');
    await page.getByTestId('org-save').click();
    await page.getByTestId('org-title').getByText('簇桥一次保存测试社').waitFor();
  });

  it('the settings screen refuses an out-of-range number instead of changing it', async () => {
    page = await app.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, 'admin');
    await page.getByTestId('main-nav').getByText('系统管理').click();
    await page.getByRole('tab', { name: '基地设置' }).click();
    await page.getByLabel('培训迟到宽限(分钟)').waitFor();
    await page.getByLabel('培训迟到宽限(分钟)').fill('500');
    await page.getByLabel('基地名称').click();
    expect(await page.getByLabel('培训迟到宽限(分钟)').inputValue()).toBe('500');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.locator('.ant-form-item-explain-error').getByText('不能大于 120').waitFor();
    await screenshot(page, 'usability/03-settings-refused');
  });

  it('结账 asks first, saying what will happen; 取消 leaves the month open', async () => {
    page = await app.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, 'wangfang');
    await page.getByTestId('main-nav').getByText('资金代管').click();
    await page.getByRole('tab', { name: '期间与结账' }).click();
    const close = page.getByTestId('period-close').first();
    await close.waitFor();
    await close.click();
    await page.locator('.ant-modal-confirm-content').getByText(/结账后本月不再接受任何凭证/).waitFor();
    await screenshot(page, 'usability/04-close-asks');
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /取\s*消/ }).click();
    await page.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
    expect(await page.locator('.ant-message').getByText(/已结账/).count()).toBe(0);
    await close.waitFor();
  });
});
