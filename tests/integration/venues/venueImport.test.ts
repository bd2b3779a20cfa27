import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { openDemoCore, openTestCore, refusal, tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';
import { DEFAULT_OPENING_HOURS } from '@shared/venues/rules';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
});
afterAll(async () => {
  await t.cleanup();
});

const file = (name: string, buf: Buffer) => ({ name, base64: buf.toString('base64') });
const book = (rows: unknown[][], bookType: XLSX.BookType = 'xlsx') => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '场地');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
};

describe('场地 import (import engine)', () => {
  it('reads host types, capacity, 是/否 and opening hours, reports each bad cell by row and column, and re-importing changes nothing', async () => {
    const header = ['场地名称', '设施类型', '依托设施名称', '地址', '容量', '设备', '是否可预约', '需要审批', '开放时间'];
    const rows = [
      ['XX街道阵地清单'],
      header,
      ['导入·多功能厅', '党群服务中心', 'XX街道党群服务中心', 'XX路1号', '80人', '投影仪、音响', '是', '否', '周一至周五 08:30-12:00,14:00-21:00;周六 09:00-17:00'],
      ['导入·书画室', '社会工作服务站', '', '', 20, '书桌', '否', '', ''],
      ['导入·坏容量', '党群服务中心', '', '', '二十', '', '也许', '', '周一 上午'],
      ['导入·无类型', '', '', '', 10, '', '', '', ''],
      ['导入·多功能厅', '党群服务中心', '', '', 80, '', '', '', ''],
    ];
    const buf = book(rows, 'biff8');
    const preview = await t.call('venues.import.preview', { file: file('场地.xls', buf) });
    expect(preview.mappingIssues).toEqual([]);
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.rowNumber, r]));
    expect(byRow[3].action).toBe('create');
    expect(byRow[4].action).toBe('create');
    expect(byRow[4].warnings[0]).toContain('按默认时间导入');
    expect(byRow[5].issues.map((i) => i.column).sort()).toEqual(['容量', '开放时间', '是否可预约'].sort());
    expect(byRow[5].issues.find((i) => i.column === '容量')!.message).toContain('"二十"不是整数');
    expect(byRow[6].issues).toEqual([{ column: '设施类型', message: expect.stringContaining('新场地请填写依托设施类型') }]);
    expect(byRow[7].issues).toEqual([{ column: '场地名称', message: '与第 3 行的场地名称相同,同一场地只能出现一次' }]);

    expect((await refusal(t.core, 'venues.import.commit', { file: file('场地.xls', buf), mode: 'all' }, t.token)).code).toBe('VALIDATION');
    const done = await t.call('venues.import.commit', { file: file('场地.xls', buf), mode: 'validOnly' });
    expect(done.counts).toMatchObject({ create: 2, error: 3 });
    const hall = await t.core.db.selectFrom('venues').selectAll().where('name', '=', '导入·多功能厅').executeTakeFirstOrThrow();
    expect(hall.capacity).toBe(80);
    expect(hall.bookable).toBe(1);
    expect(hall.approval_required).toBe(0);
    expect(JSON.parse(hall.opening_hours_json)).toEqual(DEFAULT_OPENING_HOURS);
    expect(JSON.parse(hall.equipment_json)).toEqual(['投影仪', '音响']);
    // the venue is bookable through the usual calls
    const list = await t.call('venues.list', {});
    expect(list.rows.some((v) => v.name === '导入·书画室')).toBe(true);

    const again = await t.call('venues.import.preview', { file: file('场地.xls', buf) });
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 2 });
    // a file with fewer columns keeps what is stored in the others
    const cap = await t.call('venues.import.preview', { file: file('容量.xlsx', book([['场地名称', '容纳人数'], ['导入·书画室', 25]])) });
    expect(cap.rows[0]).toMatchObject({ action: 'update', changes: ['容纳人数'] });
  });

  it('venue-import CLI prints 检查结果 and imports with --valid-only', async () => {
    const c = await openTestCore({ seed: 'demo' });
    await c.core.close();
    // the CLI opens the same hub: its folder, and on PostgreSQL its database (tests/helpers/cli adds --database)
    const work = tempDir('incubase-venue-cli-');
    const path = join(work, '场地.xlsx');
    writeFileSync(path, book([['场地名称', '依托设施类型', '容纳人数'], ['命令行·活动室', '党群服务中心', 30], ['命令行·坏', '党群服务中心', -3]]));
    const dry = cli('venue-import', path, '--dry-run', '--data-dir', c.dataDir);
    expect(dry.code).toBe(2);
    expect(dry.out).toContain('检查结果:新增 1,更新 0,未变 0,有错误 1');
    expect(dry.out).toContain('第 3 行「容纳人数」');
    const ok = cli('venue-import', path, '--valid-only', '--data-dir', c.dataDir);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('已导入:新增 1,更新 0,未变 0,有错误 1');
    await c.cleanup();
  }, 180_000); // a demo hub and several CLI processes, each starting its own core

  it('a venue typed in the form with full-width text and double spaces is 未变 when the same text comes in a file (one text rule)', async () => {
    const host = (await t.call('dict.list', { kind: 'venue_host_type' }))[0];
    const typed = { name: '表单·活动室（二楼）', hostName: '玉林  社区（党群）服务中心', address: 'XX路１号　 ２楼', equipment: ['投影仪 ', '音响　设备'], note: ' 第一行  \n第二行（备用）' };
    const { id } = await t.call('venues.create', { ...typed, hostTypeCode: host.code, capacity: 30, openingHours: DEFAULT_OPENING_HOURS });
    const stored = await t.core.db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([stored.name, stored.host_name, stored.address, stored.note]).toEqual(['表单·活动室(二楼)', '玉林 社区(党群)服务中心', 'XX路1号 2楼', '第一行\n第二行(备用)']);
    expect(JSON.parse(stored.equipment_json)).toEqual(['投影仪', '音响 设备']);
    const buf = book([
      ['场地名称', '依托设施类型', '依托设施名称', '地址', '容纳人数', '设施设备', '备注'],
      [typed.name, host.label, typed.hostName, typed.address, 30, typed.equipment.join('、'), typed.note],
    ]);
    const preview = await t.call('venues.import.preview', { file: file('场地.xlsx', buf) });
    expect(preview.rows[0]).toMatchObject({ action: 'unchanged', changes: [] });
  });
});
