import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { cleanScreenshots, login, screenshot, startApp } from './harness';
import { tempDir } from '../helpers/core';

async function workbookFile(dir: string, name: string, rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(['簇桥街道社区社会组织台账(2026年)']);
  for (const r of rows) ws.addRow(r);
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

const HEAD = ['组织名称', '统一社会信用代码', '管理类别', '登记类型', '街道(乡镇)', '社区(村)', '负责人', '成员人数', '成立日期'];

describe('organizations end to end', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  const dir = tempDir('incubase-e2e-org-files-');
  beforeAll(async () => {
    cleanScreenshots('organizations');
    app = await startApp({ seed: 'demo' });
    page = await app.newPage();
    await login(page, 'zhangli');
    await page.getByTestId('main-nav').getByText('组织台账').click();
    await page.locator('.ag-row').first().waitFor();
  });
  afterAll(async () => app?.close());

  it('lists the demo organizations from SQL and finds 邻里守望 by typing llsw', async () => {
    await screenshot(page, 'organizations/01-list');
    await page.getByTestId('org-search').locator('input').fill('llsw');
    await page.getByTestId('org-search').locator('input').press('Enter');
    // the grid re-asks the core: wait until every row shown is a 邻里守望 organization
    await page.waitForFunction(() => {
      const names = [...document.querySelectorAll('.ag-row [col-id="name"]')].map((e) => e.textContent ?? '');
      return names.length > 0 && names.every((n) => n.includes('邻里守望'));
    });
    const names = await page.locator('.ag-row [col-id="name"]').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.includes('邻里守望'))).toBe(true);
    await page.getByText(new RegExp(`共 ${names.length} 个组织`)).waitFor();
    await screenshot(page, 'organizations/02-search-llsw');

    // keep the search as a saved view, clear it, and bring it back from the view list
    await page.getByTestId('org-view-save').click();
    await page.getByTestId('org-view-name').fill('邻里守望组织');
    await page.locator('.ant-modal').getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存视图「邻里守望组织」').waitFor();
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await page.getByTestId('org-search').locator('input').fill('');
    await page.getByTestId('org-search').locator('input').press('Enter');
    await page.getByText(/共 1\d\d 个组织/).waitFor();
    await page.getByTestId('org-views').click();
    await page.locator('.ant-select-item-option', { hasText: '邻里守望组织' }).click();
    await page.getByText(new RegExp(`共 ${names.length} 个组织`)).waitFor();
    expect(await page.getByTestId('org-search').locator('input').inputValue()).toBe('llsw');
    await screenshot(page, 'organizations/02b-saved-view');
  });

  it('creates an organization, refusing a wrong credit code by its position first', async () => {
    await page.getByRole('button', { name: /新建组织/ }).click();
    await page.getByTestId('org-name').fill('簇桥新建测试志愿服务队');
    const drawer = page.locator('.ant-drawer-content-wrapper');
    await drawer.getByText('依法登记').click();
    await drawer.getByLabel('登记类型').click();
    await page.locator('.ant-select-item-option', { hasText: '基金会' }).click();
    await page.getByTestId('org-code').fill('53640000MJX173672G');
    await page.getByTestId('org-code').blur();
    await page.getByTestId('code-problem').getByText('第18位校验码应为 F').waitFor();
    await screenshot(page, 'organizations/03-create-wrong-code');
    await page.getByTestId('org-code').fill('53640000MJX173672F');
    await page.getByTestId('org-code').blur();
    await page.getByText(/代码有效/).waitFor();
    await page.getByTestId('org-save').click();
    await page.getByTestId('org-title').getByText('簇桥新建测试志愿服务队').waitFor();
    await screenshot(page, 'organizations/04-detail-created');
  });

  it('imports a workbook with errors, shows them by row and column, then imports the fixed file', async () => {
    const bad = await workbookFile(dir, '台账-有错误.xlsx', [
      HEAD,
      ['簇桥导入甲队', '', '社区指导', '', '簇桥街道', '七里社区', '张三', 12, '2021/3/5'],
      ['簇桥导入乙会', '52420000MJH233402X', '依法登记', '社会服务机构', '簇桥街道', '', '李四', 20, '2021年3月5日'],
      ['簇桥导入丙社', '', '未知类别', '', '簇桥街道', '', '王五', '十二', '2021-02-30'],
    ]);
    await page.getByRole('tab', { name: '导入台账' }).click();
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByText('第18位校验码应为 K').waitFor();
    await page.getByText('2021年2月没有30日(该月只有 28 天)').waitFor();
    expect(await page.getByTestId('import-all').isDisabled()).toBe(true);
    await screenshot(page, 'organizations/05-import-errors');

    const fixed = await workbookFile(dir, '台账-已修正.xlsx', [
      HEAD,
      ['簇桥导入甲队', '', '社区指导', '', '簇桥街道', '七里社区', '张三', 12, '2021/3/5'],
      ['簇桥导入乙会', '52420000MJH233402K', '依法登记', '社会服务机构', '簇桥街道', '', '李四', 20, '2021年3月5日'],
      ['簇桥导入丙社', '', '社区指导', '', '簇桥街道', '', '王五', 12, '2021-02-28'],
    ]);
    await page.locator('input[type=file]').setInputFiles(fixed);
    await page.getByTestId('import-all').and(page.locator(':not([disabled])')).waitFor();
    await screenshot(page, 'organizations/06-import-preview-clean');
    await page.getByTestId('import-all').click();
    await page.getByText('导入完成').waitFor();
    await page.getByText(/新增 3 个/).waitFor();
    await screenshot(page, 'organizations/07-import-done');
  });

  it('opens the detail page of an imported organization with its tabs', async () => {
    await page.getByRole('button', { name: /查看台账/ }).click();
    await page.getByTestId('org-search').locator('input').fill('簇桥导入乙会');
    await page.getByTestId('org-search').locator('input').press('Enter');
    await page.locator('.ag-row [col-id="name"]', { hasText: '簇桥导入乙会' }).click();
    await page.getByTestId('org-title').getByText('簇桥导入乙会').waitFor();
    await page.getByText('52420000MJH233402K').waitFor();
    await screenshot(page, 'organizations/08-detail-basic');
    await page.getByRole('tab', { name: '孵化记录' }).click();
    await page.getByText('尚无孵化记录').waitFor();
    await screenshot(page, 'organizations/09-detail-incubation');
    const tabs: [string, RegExp | string, string][] = [
      ['党建', '党组织形式', '09b-detail-party'],
      ['评估', '登记年度评估', '09c-detail-evaluations'],
      ['活动', /登记活动/, '09d-detail-activities'],
      ['工作报告与信息公开', '登记工作报告或信息公开', '09e-detail-reports'],
      ['附件', /上传附件/, '09f-detail-attachments'],
    ];
    for (const [tab, marker, shot] of tabs) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await page.getByRole('tabpanel').getByText(marker).first().waitFor();
      await screenshot(page, `organizations/${shot}`);
    }
  });

  it('shows the incubation board, the per-street summary and the major activities needing reports', async () => {
    await page.getByRole('tab', { name: '孵化看板' }).click();
    await page.getByTestId('board-incubating').waitFor();
    await screenshot(page, 'organizations/10-board');
    await page.getByRole('tab', { name: '分街道汇总' }).click();
    await page.getByText('合计').waitFor();
    await screenshot(page, 'organizations/11-streets');
    await page.getByRole('tab', { name: '活动与重大活动报告' }).click();
    await page.getByText(/重大活动:须在活动日期之前/).waitFor();
    await screenshot(page, 'organizations/12-activities');
  });
});
