import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { openDemoCore, openTestCore, refusal, tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';
import { idCheckChar } from '@shared/training/idNumber';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
});
afterAll(async () => {
  await t.cleanup();
});

const id = (first17: string) => first17 + idCheckChar(first17);
const file = (name: string, buf: Buffer) => ({ name, base64: buf.toString('base64') });

describe('学员花名册 import (import engine)', () => {
  it('checks ID numbers, accepts a lower-case x, refuses duplicates by ID, maps 人员类别 labels, and re-importing changes nothing', async () => {
    // an ID number whose check character is X, typed with a lower-case x
    let seq = 100;
    while (idCheckChar(`11010119900307${seq}`) !== 'X') seq++;
    const x = id(`11010119900307${seq}`);
    expect(x.endsWith('X')).toBe(true);
    const good = id('51010719850612002');
    const rows = [
      ['XX街道2026年培训学员花名册'],
      ['序号', '姓名', '身份证号', '手机号', '人员类别', '工作单位'],
      [1, '花名册王芳', x.toLowerCase(), '13800138001', '社区志愿者', 'XX社区居委会'],
      [2, '花名册陈静', good, '13800138002', '社区社会组织负责人', ''],
      [3, '花名册李明', '110101199003071235', '13800138003', '社区志愿者', ''],
      [4, '花名册重复', good, '13800138004', '社区志愿者', ''],
      [5, '花名册赵强', '', '13800138005', '文艺骨干', ''],
      ['填表人:张丽', null, null, '审核人:李明'],
    ];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '花名册');
    const buf = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const preview = await t.call('training.trainees.import.preview', { file: file('花名册.xls', buf) });
    expect(preview.format).toBe('xls');
    expect(preview.footerRows).toEqual([8]);
    expect(preview.counts).toEqual({ create: 2, update: 0, unchanged: 0, error: 3 });
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.rowNumber, r]));
    expect(byRow[3].action).toBe('create');
    expect(byRow[5].issues[0].column).toBe('身份证号');
    expect(byRow[6].issues).toEqual([{ column: '身份证号', message: '与第 4 行的身份证号相同,同一人只能出现一次' }]);
    expect(byRow[7].issues[0]).toMatchObject({ column: '人员类别', message: expect.stringContaining('"文艺骨干"不在字典中') });

    const all = await refusal(t.core, 'training.trainees.import.commit', { file: file('花名册.xls', buf), mode: 'all' }, t.token);
    expect(all.code).toBe('VALIDATION');
    const done = await t.call('training.trainees.import.commit', { file: file('花名册.xls', buf), mode: 'validOnly' });
    expect(done.committed).toBe(true);
    expect(done.counts.create).toBe(2);
    const stored = await t.core.db.selectFrom('training_trainees').select(['name', 'id_number', 'role']).where('name', 'like', '花名册%').orderBy('name').execute();
    expect(stored.map((s) => s.id_number)).toEqual(expect.arrayContaining([x.toUpperCase(), good]));
    const again = await t.call('training.trainees.import.preview', { file: file('花名册.xls', buf) });
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 2 });
    const template = await t.call('training.trainees.import.template', {});
    const tpl = await t.call('training.trainees.import.preview', { file: { name: template.fileName, base64: template.base64 } });
    expect(tpl.headers.slice(0, 4)).toEqual(['*姓名', '身份证号', '手机号', '人员类别']);
    expect(tpl.rows[0].issues).toEqual([]);
  });

  it('trainee-import CLI: --dry-run prints 检查结果 and exits 2 on errors, --valid-only imports the good rows', async () => {
    const c = await openTestCore({ seed: 'demo' });
    await c.core.close();
    // the CLI opens the same hub: its folder, and on PostgreSQL its database (tests/helpers/cli adds --database)
    const work = tempDir('incubase-trainee-cli-');
    const csv = ['姓名,手机号,人员类别', '命令行学员甲,13900139001,社区志愿者', '命令行学员乙,1390013900,社区志愿者'].join('\r\n') + '\r\n';
    const path = join(work, '学员.csv');
    writeFileSync(path, iconv.encode(csv, 'gbk'));
    const dry = cli('trainee-import', path, '--dry-run', '--data-dir', c.dataDir);
    expect(dry.code).toBe(2);
    expect(dry.out).toContain('检查结果:新增 1,更新 0,未变 0,有错误 1');
    expect(dry.out).toContain('第 3 行「手机号」');
    const refused = cli('trainee-import', path, '--data-dir', c.dataDir);
    expect(refused.code).toBe(2);
    const ok = cli('trainee-import', path, '--valid-only', '--data-dir', c.dataDir);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('已导入:新增 1,更新 0,未变 0,有错误 1');
    const again = cli('trainee-import', path, '--dry-run', '--data-dir', c.dataDir);
    expect(again.out).toContain('检查结果:新增 0,更新 0,未变 1,有错误 1');
    await c.cleanup();
  }, 180_000); // a demo hub and several CLI processes, each starting its own core

  it('a trainee typed in the form with full-width text and double spaces is 未变 when the same text comes in a file (one text rule)', async () => {
    const role = (await t.call('dict.list', { kind: 'training_role' }))[0];
    const typed = { name: '表单 学员', phone: '13800138099', unitName: '玉林  社区（居委会）１组', note: ' 第一行  \n第二行（备用）' };
    const saved = await t.call('training.trainees.save', { ...typed, role: role.code });
    expect([saved.unitName, saved.note]).toEqual(['玉林 社区(居委会)1组', '第一行\n第二行(备用)']);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['姓名', '手机号', '人员类别', '工作单位', '备注'], [typed.name, typed.phone, role.label, typed.unitName, typed.note]]), '花名册');
    const preview = await t.call('training.trainees.import.preview', { file: file('花名册.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer) });
    expect(preview.rows[0]).toMatchObject({ action: 'unchanged', changes: [] });
  });
});
