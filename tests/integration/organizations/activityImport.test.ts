import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { openDemoCore, openTestCore, refusal, tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
let orgA: string;
let orgB: string;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
  const orgs = await t.core.db.selectFrom('organizations').select('name').orderBy('name').limit(2).execute();
  [orgA, orgB] = orgs.map((o) => o.name);
});
afterAll(async () => {
  await t.cleanup();
});

const file = (name: string, buf: Buffer) => ({ name, base64: buf.toString('base64') });
const xls = (rows: unknown[][], bookType: XLSX.BookType = 'biff8') => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '活动');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
};

describe('活动记录 import (import engine)', () => {
  it('maps dictionary labels, checks dates, counts and the major-activity report by row and column, and re-importing changes nothing', async () => {
    const rows = [
      ['2025年度社区社会组织活动台账'],
      ['序号', '组织名称', '活动名称', '活动日期', '品牌系列', '活动类型', '地点', '参与人数', '志愿者人数', '服务对象', '状态', '重大活动报告日期'],
      [1, orgA, '导入测试·邻里茶话会', 20250315, '邻里守望', '志愿服务', '社区活动室', 30, 5, '老年人、空巢老人', '已举办', null],
      [2, orgA, '导入测试·重阳晚会', '2025年10月28日', '文化铸魂', '文化演出', '广场', 80, 10, '社区居民', '已举办', '2025/10/20'],
      [3, orgB, '导入测试·春节游园', '2025.01.25', '文化铸魂', '节庆活动', '广场', 120, 12, '社区居民', '已举办', null],
      [4, orgB, '导入测试·日期错', '2025-02-30', '邻里守望', '志愿服务', null, '三十', null, '外星人', null, null],
      [5, '不存在的组织', '导入测试·无组织', '2025-03-01', '不存在的系列', null, null, null, null, null, '搞砸了', null],
      [6, orgA, '导入测试·邻里茶话会', '2025-03-15', '邻里守望', null, null, null, null, null, null, null],
      ['合计', null, null, null, null, null, null, 230],
      ['填表人:张丽', null, null, '审核人:李明'],
    ];
    const buf = xls(rows);
    const preview = await t.call('organizations.activities.import.preview', { file: file('活动台账.xls', buf) });
    expect(preview.format).toBe('xls');
    expect(preview.headerRowNumber).toBe(2);
    expect(preview.footerRows).toEqual([9, 10]);
    expect(preview.mappingIssues).toEqual([]);
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.rowNumber, r]));
    expect(byRow[3].action).toBe('create');
    expect(byRow[4].action).toBe('create');
    // a festival held without its report before the date
    expect(byRow[5].issues).toEqual([{ column: '重大活动报告日期', message: expect.stringContaining('没有重大活动报告') }]);
    // every problem of the row at once, each under its column
    expect(byRow[6].issues.map((i) => i.column).sort()).toEqual(['参与人数', '服务对象', '活动日期'].sort());
    expect(byRow[6].issues.find((i) => i.column === '活动日期')!.message).toContain('2月');
    expect(byRow[6].issues.find((i) => i.column === '参与人数')!.message).toContain('"三十"不是整数');
    expect(byRow[7].issues.map((i) => i.column).sort()).toEqual(['品牌系列', '状态', '组织名称'].sort());
    expect(byRow[8].issues).toEqual([{ column: '活动名称', message: '与第 3 行是同一活动(同一组织、同一日期、同一名称),同一活动只能出现一次' }]);
    expect(preview.counts).toEqual({ create: 2, update: 0, unchanged: 0, error: 4 });
    // labels the hub's lists do not know go to the mapping step; mapped, the row reads (the one row left of its errors)
    expect(preview.labels.map((l) => [l.vocabulary, l.label])).toEqual(expect.arrayContaining([['people_served', '外星人'], ['activity_series', '不存在的系列']]));
    const mapped = await t.call('organizations.activities.import.preview', {
      file: file('活动台账.xls', buf),
      labelMap: [{ vocabulary: 'people_served', label: '外星人', code: 'P12' }],
    });
    expect(mapped.rows.find((r) => r.rowNumber === 6)!.issues.map((i) => i.column).sort()).toEqual(['参与人数', '活动日期'].sort());

    const all = await refusal(t.core, 'organizations.activities.import.commit', { file: file('活动台账.xls', buf), mode: 'all' }, t.token);
    expect(all.code).toBe('VALIDATION');
    expect(all.issues?.some((i) => i.row === 6 && i.path === '活动日期')).toBe(true);
    expect(await t.core.db.selectFrom('org_activities').select('id').where('title', 'like', '导入测试%').execute()).toHaveLength(0);

    const done = await t.call('organizations.activities.import.commit', { file: file('活动台账.xls', buf), mode: 'validOnly' });
    expect(done.committed).toBe(true);
    expect(done.counts.create).toBe(2);
    const stored = await t.core.db.selectFrom('org_activities').selectAll().where('title', 'like', '导入测试%').orderBy('date').execute();
    expect(stored.map((s) => [s.date, s.status, s.is_major, s.report_filed_date])).toEqual([
      ['2025-03-15', 'held', 0, null],
      ['2025-10-28', 'held', 1, '2025-10-20'],
    ]);
    expect(JSON.parse(stored[0].people_served)).toHaveLength(2);
    const org = await t.core.db.selectFrom('organizations').select(['activity_count', 'last_activity_date', 'id']).where('name', '=', orgA).executeTakeFirstOrThrow();
    expect(org.last_activity_date! >= '2025-10-28').toBe(true);

    const again = await t.call('organizations.activities.import.preview', { file: file('活动台账.xls', buf) });
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 2 });
    const redo = await t.call('organizations.activities.import.commit', { file: file('活动台账.xls', buf), mode: 'validOnly' });
    expect(redo.counts).toMatchObject({ create: 0, update: 0, unchanged: 2 });

    // the same activity with more people: an update of that column only
    const changed = xls([rows[1], [1, orgA, '导入测试·邻里茶话会', '2025-03-15', '邻里守望', '志愿服务', '社区活动室', 35, 5, '老年人、空巢老人', '已举办', null]], 'xlsx');
    const upd = await t.call('organizations.activities.import.preview', { file: file('改.xlsx', changed) });
    expect(upd.rows[0]).toMatchObject({ action: 'update', changes: ['参与人数'] });
  });

  it('a missing required column is named before any row is read; the template reads back without errors', async () => {
    const buf = xls([['组织名称', '活动名称'], [orgA, '没有日期列']]);
    const p = await t.call('organizations.activities.import.preview', { file: file('缺列.xls', buf) });
    expect(p.mappingIssues).toEqual(['必须有一列对应"活动日期"']);
    const template = await t.call('organizations.activities.import.template', {});
    const tpl = await t.call('organizations.activities.import.preview', { file: { name: template.fileName, base64: template.base64 } });
    expect(tpl.headers.slice(0, 3)).toEqual(['*组织名称', '*活动名称', '*活动日期']);
    // the example names an organization this hub may not have; every other column reads
    expect(tpl.rows[0].issues.map((i) => i.column)).toEqual(['*组织名称']);
  });

  it('activity-import CLI: --dry-run prints 检查结果 and exits 2 on errors, --valid-only imports the good rows', async () => {
    const c = await openTestCore({ seed: 'demo' });
    const name = (await c.core.db.selectFrom('organizations').select('name').orderBy('name').executeTakeFirstOrThrow()).name;
    await c.core.close();
    const work = tempDir('incubase-activity-cli-');
    const csv = ['组织名称,活动名称,活动日期,活动品牌系列', `${name},命令行活动甲,2025-04-01,邻里守望`, `${name},命令行活动乙,2025-13-01,邻里守望`].join('\r\n') + '\r\n';
    const path = join(work, '活动.csv');
    writeFileSync(path, iconv.encode(csv, 'gbk'));
    const dry = cli('activity-import', path, '--dry-run', '--data-dir', c.dataDir);
    expect(dry.code).toBe(2);
    expect(dry.out).toContain('检查结果:新增 1,更新 0,未变 0,有错误 1');
    expect(dry.out).toContain('第 3 行「活动日期」');
    const refused = cli('activity-import', path, '--data-dir', c.dataDir);
    expect(refused.code).toBe(2);
    const ok = cli('activity-import', path, '--valid-only', '--data-dir', c.dataDir);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('已导入:新增 1,更新 0,未变 0,有错误 1');
    const again = cli('activity-import', path, '--dry-run', '--data-dir', c.dataDir);
    expect(again.out).toContain('检查结果:新增 0,更新 0,未变 1,有错误 1');
    await c.cleanup();
  }, 180_000); // a demo hub and several CLI processes, each starting its own core
});
