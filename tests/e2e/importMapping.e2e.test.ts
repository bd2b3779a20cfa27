import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Page } from 'playwright-core';
import { cleanScreenshots, login, screenshot, settle, startApp } from './harness';
import { tempDir } from '../helpers/core';

/** The import preview's mapping step (选项对应): unknown labels mapped to the hub's entries, remembered for the next file. */
describe('import mapping step end to end', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  const dir = tempDir('incubase-e2e-import-files-');
  const file = (name: string, rows: unknown[][]) => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '台账');
    const path = join(dir, name);
    writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    return path;
  };
  const HEAD = ['组织名称', '管理类别', '街道(乡镇)', '社区(村)', '服务领域', '服务对象'];
  beforeAll(async () => {
    cleanScreenshots('import-mapping');
    app = await startApp({ seed: 'demo' });
    page = await app.newPage();
    await login(page, 'zhangli');
    await page.getByTestId('main-nav').getByText('组织台账').click();
    await page.getByRole('tab', { name: '导入台账' }).click();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the unknown labels of an .xls file, maps 文艺 to 文体娱乐 and 老人 to 老年人, imports, and the next file uses the remembered mapping', async () => {
    const first = file('台账-选项.xls', [
      HEAD,
      ['选项映射甲队', '社区指导', '映射街道', '映射社区', '文艺', '老人'],
      ['选项映射乙队', '社区指导', '映射街道', '映射社区', '文艺', '儿童'],
      ['选项映射丙队', '社区指导', '映射街道', '映射社区', '为民服务', '老人、儿童'],
    ]);
    await page.locator('input[type=file]').setInputFiles(first);
    const card = page.getByTestId('label-mapping');
    await card.waitFor();
    await card.getByText('还有 2 个名称未对应').waitFor();
    expect(await page.getByTestId('import-all').isDisabled()).toBe(true);
    await page.setViewportSize({ width: 1366, height: 768 });
    await screenshot(page, 'import-mapping/01-mapping-step-1366');

    const choose = async (label: string, option: string) => {
      await page.getByTestId(`label-choice-${label}`).click();
      // The newest open list is this field's: the re-check after a choice redraws the card, and the previous
      // field's list may still be fading out (waiting for it to close made the test flaky).
      const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
      await dropdown.getByTitle(option, { exact: true }).click();
      await settle(page);
    };
    await choose('文艺', '文体娱乐');
    await card.getByText('还有 1 个名称未对应').waitFor();
    await choose('老人', '老年人');
    await card.getByText('所有名称都已对应').waitFor();
    await page.getByTestId('import-all').and(page.locator(':not([disabled])')).waitFor();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'import-mapping/02-mapping-chosen-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    await screenshot(page, 'import-mapping/03-mapping-chosen-1366');
    await page.getByTestId('import-all').click();
    await page.getByText('导入完成').waitFor();
    await page.getByText(/新增 3 个/).waitFor();

    const stored = app.core.sqlite
      .prepare("SELECT o.name, d.label FROM organizations o JOIN dictionary_entries d ON d.kind = 'org_field' AND d.code = o.field_code WHERE o.name LIKE '选项映射%' ORDER BY o.name")
      .all() as { name: string; label: string }[];
    expect(stored.map((r) => r.label)).toEqual(['为民服务', '文体娱乐', '文体娱乐']);

    // the next file: the mapping step shows the remembered choices, nothing left to map
    await page.getByRole('button', { name: /继续导入/ }).click();
    const second = file('台账-第二份.xls', [HEAD, ['选项映射丁队', '社区指导', '映射街道', '映射社区', '文艺', '老人']]);
    await page.locator('input[type=file]').setInputFiles(second);
    await card.getByText('所有名称都已对应').waitFor();
    expect(await card.getByText('沿用上次').count()).toBe(2);
    await page.getByTestId('import-all').and(page.locator(':not([disabled])')).waitFor();
    await screenshot(page, 'import-mapping/04-mapping-remembered-1366');
  }, 180_000);
});
