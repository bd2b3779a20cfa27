import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { login, screenshot, startApp } from './harness';
import { tempDir } from '../helpers/core';
import { caller } from '../helpers/core';
import { addOrganizations } from '../integration/submission/helpers';

/**
 * Two data folders: a street hub builds and signs its package and exports its key; the county federation
 * (the demo hub, which already collects four streets) registers the hub, imports the package and shows the
 * consolidated picture, with drill-down. Screenshots of the dashboard and the consolidated view.
 */
describe('submission end to end: hub → federation (two data folders)', () => {
  let hub: Awaited<ReturnType<typeof startApp>>;
  let fed: Awaited<ReturnType<typeof startApp>>;
  let hubPage: Page;
  let fedPage: Page;
  const files = tempDir('incubase-e2e-files-');
  let packagePath = '';
  let keyPath = '';

  beforeAll(async () => {
    hub = await startApp({ seed: 'empty' });
    await caller(hub.core)('system.setup', {
      hubName: '火车南站街道孵化基地',
      regionCode: '510107007',
      level: 'township',
      adminUsername: 'director',
      adminDisplayName: '刘主任',
      adminPassword: 'Nanzhan@2026',
    });
    await addOrganizations(hub.core, [
      { id: 'n1', name: '南站社区阳光合唱团', stage: 'incubating' },
      { id: 'n2', name: '桐梓林国际社区志愿者协会', mgmtClass: 'registered', creditCode: '53640000MJX173672F' },
      { id: 'n3', name: '南站邻里调解队', areaType: null },
    ]);
    fed = await startApp({ seed: 'demo' });
    hubPage = await hub.newPage();
    fedPage = await fed.newPage();
    mkdirSync(files, { recursive: true });
  });
  afterAll(async () => {
    await hub?.close();
    await fed?.close();
  });

  it('the federation opens on the dashboard, whose tiles open the screens behind them', async () => {
    await login(fedPage, 'admin');
    await fedPage.getByTestId('tile-organizations').waitFor();
    await fedPage.getByTestId('tile-submission').getByText('已登记下级单位').waitFor();
    await fedPage.waitForTimeout(800); // let the charts finish drawing for the screenshot
    await screenshot(fedPage, 'submission/01-dashboard');
    await fedPage.getByTestId('tile-submission').scrollIntoViewIfNeeded();
    await screenshot(fedPage, 'submission/01b-dashboard-lower');
    // The unreconciled months open bank reconciliation, not the custody landing screen.
    await fedPage.getByTestId('unreconciled-months').click();
    await fedPage.waitForURL(/\/custody\/bank/);
    await fedPage.getByTestId('main-nav').getByText('工作台').click();
    await fedPage.getByTestId('tile-submission').click();
    await fedPage.waitForURL(/\/submission\/build/);
    await fedPage.getByText('本单位签名密钥').waitFor();
  });

  it('the hub checks, confirms, builds and signs its package, and exports its key', async () => {
    await login(hubPage, 'director', 'Nanzhan@2026');
    await hubPage.getByTestId('main-nav').getByText('上报汇总').click();
    await hubPage.getByText('上报前检查').waitFor();
    await hubPage.getByText('组织未标注城市/农村').waitFor();
    const build = hubPage.getByRole('button', { name: /生成并签名上报包/ });
    expect(await build.isDisabled()).toBe(true);
    await hubPage.getByText('已知悉，照此上报').first().click();
    await screenshot(hubPage, 'submission/02-hub-checks');
    await build.click();
    // Signing a package cannot be undone: it asks first (issue 18).
    await hubPage.getByTestId('irreversible-question').getByText(/生成后内容不能修改/).waitFor();
    const [download] = await Promise.all([hubPage.waitForEvent('download'), hubPage.getByTestId('confirm-ok').click()]);
    packagePath = join(files, download.suggestedFilename());
    await download.saveAs(packagePath);
    expect(packagePath).toMatch(/\.incubase$/);
    await hubPage.getByText('上报包已生成并签名').waitFor();
    const [keyDownload] = await Promise.all([hubPage.waitForEvent('download'), hubPage.getByRole('button', { name: /导出公钥登记文件/ }).click()]);
    keyPath = join(files, 'hub-key.json');
    await keyDownload.saveAs(keyPath);
    await screenshot(hubPage, 'submission/03-hub-built');
  });

  it('the federation refuses the package before the hub is registered, then registers it and imports', async () => {
    await fedPage.getByRole('tab', { name: '导入上报包' }).click();
    await fedPage.getByTestId('import-files').setInputFiles(packagePath);
    await fedPage.getByText(/未登记，请先登记该单位及其公钥/).waitFor();
    await screenshot(fedPage, 'submission/04-refused-unknown');

    await fedPage.getByRole('tab', { name: '下级单位' }).click();
    await fedPage.getByRole('button', { name: /登记下级单位/ }).click();
    await fedPage.locator('.ant-modal input[type=file]').setInputFiles(keyPath);
    await fedPage.locator('.ant-modal textarea').waitFor();
    await expect.poll(async () => (await fedPage.locator('.ant-modal textarea').inputValue()).length).toBeGreaterThan(100);
    await fedPage.locator('.ant-modal').getByRole('button', { name: /^登\s*记$/ }).click();
    await fedPage.getByText('火车南站街道孵化基地').waitFor();
    await screenshot(fedPage, 'submission/05-hubs');

    await fedPage.getByRole('tab', { name: '导入上报包' }).click();
    // Expecting another period, the package is refused; expecting its own, it is imported.
    await fedPage.getByLabel('只收报送期').click();
    await fedPage.locator('.ant-select-item-option', { hasText: '2026年第2季度' }).click();
    await fedPage.getByTestId('import-files').setInputFiles(packagePath);
    await fedPage.getByText('报送期不符：包内为 2026-Q3，应为 2026-Q2').waitFor();
    await fedPage.getByLabel('只收报送期').click();
    await fedPage.locator('.ant-select-item-option', { hasText: '2026年第3季度' }).click();
    await fedPage.getByTestId('import-files').setInputFiles(packagePath);
    await fedPage.getByText(/已导入火车南站街道孵化基地/).waitFor();
    await fedPage.getByTestId('import-files').setInputFiles(packagePath);
    await fedPage.getByText('该上报包已导入过，未做任何改动').waitFor();
    await screenshot(fedPage, 'submission/06-imported');
  });

  it('shows the consolidated view with drill-down to the new hub', async () => {
    await fedPage.getByRole('tab', { name: '汇总数据' }).click();
    await fedPage.getByTestId('children-chart').waitFor();
    await fedPage.getByRole('cell', { name: /火车南站街道孵化基地/ }).first().waitFor();
    await fedPage.waitForTimeout(800);
    await screenshot(fedPage, 'submission/07-consolidated');
    // From the list of hubs whose data counts, straight to one hub.
    await fedPage.getByTestId('hub-sources').getByRole('cell', { name: '簇桥街道社会组织服务中心' }).click();
    await fedPage.getByText('乡镇：簇桥街道社会组织服务中心').first().waitFor();
    await fedPage.getByText(/^县：/).first().click();
    await fedPage.getByRole('cell', { name: /火车南站街道孵化基地/ }).first().click();
    await fedPage.getByText('乡镇：火车南站街道孵化基地').first().waitFor();
    await fedPage.getByRole('tab', { name: '社会组织分类统计' }).waitFor();
    await screenshot(fedPage, 'submission/08-drilldown');
  });

  it('shows the check list before the federation signs its consolidated package for the level above', async () => {
    await fedPage.getByRole('button', { name: /生成汇总上报包/ }).click();
    const confirm = fedPage.locator('.ant-modal-confirm');
    // The demo county's own quarter has major activities without report (its months are closed, so reconciled).
    await confirm.getByText('重大活动未报告').waitFor();
    await fedPage.waitForTimeout(400); // the modal's zoom-in, for the screenshot
    await screenshot(fedPage, 'submission/10-consolidated-build-checks');
    await confirm.getByRole('button', { name: /已知悉/ }).click();
    await fedPage.getByTestId('irreversible-question').getByText(/汇总包以本单位的密钥签名/).waitFor();
    const [download] = await Promise.all([fedPage.waitForEvent('download'), fedPage.getByTestId('confirm-ok').click()]);
    expect(download.suggestedFilename()).toMatch(/-汇总-2026-Q3-.+\.incubase$/);
    await fedPage.getByText('汇总上报包已生成并签名').waitFor();
  });

  it('keeps member organizations with their dues', async () => {
    await fedPage.getByRole('tab', { name: '会员单位与会费' }).click();
    await fedPage.getByText('武侯区志愿者协会').waitFor();
    await fedPage.getByText('2026 年已缴', { exact: false }).first().waitFor();
    await fedPage.waitForTimeout(500); // the tab's fade-in, for the screenshot
    await screenshot(fedPage, 'submission/09-members');
  });
});
