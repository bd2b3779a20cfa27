import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { openDemoCore, openTestCore, tempDir } from '../../helpers/core';
import { rawAll } from '../../helpers/engine';
import { cli } from '../../helpers/cli';
import { idCheckChar } from '@shared/training/idNumber';
import { demoCreditCode } from '../../../electron/core/organizations/seed';
import { SeededRandom } from '../../../electron/core/seed/random';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
}, 60_000);
afterAll(async () => t?.cleanup());

const xlsx = (rows: unknown[][], sheet = '表1') => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), sheet);
  return { name: `${sheet}.xlsx`, base64: (XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64') };
};
const code = async (kind: 'org_field' | 'training_role', label: string) => (await t.call('dict.list', { kind })).find((e) => e.label === label)!.code;

describe('the mapping step for labels the hub lists do not know', () => {
  it('organizations: 文艺 in 服务领域 and 民非 in 登记类型 open the mapping step; a choice makes the rows importable and is remembered for the next file', async () => {
    const head = ['组织名称', '统一社会信用代码', '管理类别', '登记类型', '街道', '服务领域'];
    const rng = new SeededRandom(1301);
    const [c1, c2] = [demoCreditCode(rng, '2'), demoCreditCode(rng, '2')];
    const first = xlsx([
      head,
      ['映射测试甲队', '', '社区指导', '', '映射街道', '文艺'],
      ['映射测试乙队', '', '社区指导', '', '映射街道', '文 艺'],
      ['映射测试丙会', c1, '依法登记', '民非单位', '映射街道', '为民服务'],
      ['映射测试丁队', '', '社区指导', '', '映射街道', '外太空'],
    ]);
    const p1 = await t.call('organizations.import.preview', { file: first });
    expect(p1.counts.error).toBe(4);
    const labels = Object.fromEntries(p1.labels.map((l) => [l.label, l]));
    expect(labels['文艺']).toMatchObject({ vocabulary: 'org_field', column: '服务领域', rowCount: 2, rows: [2, 3], code: null, source: 'none' });
    expect(labels['民非单位']).toMatchObject({ vocabulary: 'registered_kind', column: '登记类型', rowCount: 1, code: null });
    expect(labels['外太空']).toMatchObject({ vocabulary: 'org_field', code: null });
    expect(p1.vocabularies.find((v) => v.vocabulary === 'org_field')!.options.map((o) => o.label)).toContain('文体娱乐');
    // until mapped, the row's error names the column and the label
    expect(p1.rows[0].issues).toEqual([{ column: '服务领域', message: expect.stringContaining('"文艺"不在活动领域字典中') }]);

    const wenti = await code('org_field', '文体娱乐');
    const labelMap = [
      { vocabulary: 'org_field', label: '文艺', code: wenti },
      { vocabulary: 'registered_kind', label: '民非单位', code: 'social_service' },
      { vocabulary: 'org_field', label: '外太空', code: null },
    ];
    const p2 = await t.call('organizations.import.preview', { file: first, labelMap });
    expect(p2.counts).toEqual({ create: 3, update: 0, unchanged: 0, error: 1 });
    expect(p2.labels.find((l) => l.label === '文艺')).toMatchObject({ code: wenti, source: 'chosen' });
    expect(p2.rows[3].issues[0].message).toContain('"外太空"不在活动领域字典中');
    // the preview wrote nothing, not even the choices
    const p1again = await t.call('organizations.import.preview', { file: first });
    expect(p1again.labels.every((l) => l.code === null)).toBe(true);

    const done = await t.call('organizations.import.commit', { file: first, labelMap, mode: 'validOnly' });
    expect(done.counts).toEqual({ create: 3, update: 0, unchanged: 0, error: 1 });
    const list = await t.call('organizations.list', { startRow: 0, endRow: 10, search: '映射测试' });
    expect(list.rows.map((r) => r.name).sort()).toEqual(['映射测试丙会', '映射测试乙队', '映射测试甲队'].sort());
    const stored = await rawAll<{ name: string; field_code: string | null; registered_kind: string | null }>(t.core, "SELECT name, field_code, registered_kind FROM organizations WHERE name LIKE '映射测试%' ORDER BY name");
    expect(stored.find((r) => r.name === '映射测试甲队')!.field_code).toBe(wenti);
    expect(stored.find((r) => r.name === '映射测试乙队')!.field_code).toBe(wenti);
    expect(stored.find((r) => r.name === '映射测试丙会')!.registered_kind).toBe('social_service');

    // the next file of this hub: the remembered choices apply without asking, through the same engine
    const second = xlsx([head, ['映射测试戊队', '', '社区指导', '', '映射街道', '文艺'], ['映射测试己会', c2, '依法登记', '民非单位', '映射街道', '']]);
    const p3 = await t.call('organizations.import.preview', { file: second });
    expect(p3.counts).toEqual({ create: 2, update: 0, unchanged: 0, error: 0 });
    expect(p3.labels.map((l) => [l.label, l.code, l.source])).toEqual(
      expect.arrayContaining([
        ['文艺', wenti, 'remembered'],
        ['民非单位', 'social_service', 'remembered'],
      ]),
    );
    // re-importing the first file (with the remembered mappings) changes nothing
    const again = await t.call('organizations.import.preview', { file: first });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 3, error: 1 });
  });

  it('trainees: an unknown 人员类别 label is mapped to a role in the same step, and remembered', async () => {
    const id = (s: string) => s + idCheckChar(s);
    const f = xlsx(
      [
        ['姓名', '身份证号', '手机号', '人员类别'],
        ['映射学员甲', id('51010719850612101'), '13800138101', '文艺骨干'],
        ['映射学员乙', id('51010719850612102'), '13800138102', '志愿者(文艺)'],
      ],
      '花名册',
    );
    const p1 = await t.call('training.trainees.import.preview', { file: f });
    expect(p1.counts.error).toBe(2);
    expect(p1.labels.map((l) => [l.vocabulary, l.label, l.column, l.code])).toEqual([
      ['training_role', '文艺骨干', '人员类别', null],
      ['training_role', '志愿者(文艺)', '人员类别', null],
    ]);
    const volunteer = await code('training_role', '社区志愿者');
    const labelMap = p1.labels.map((l) => ({ vocabulary: l.vocabulary, label: l.label, code: volunteer }));
    const done = await t.call('training.trainees.import.commit', { file: f, labelMap, mode: 'all' });
    expect(done.counts).toEqual({ create: 2, update: 0, unchanged: 0, error: 0 });
    const again = await t.call('training.trainees.import.preview', { file: f });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 2, error: 0 });
    expect(again.labels.every((l) => l.source === 'remembered' && l.code === volunteer)).toBe(true);
  });
});

describe('the mapping step from the command line', () => {
  it('org-import --map 文艺=文体娱乐 maps the label, the next file uses the remembered mapping, a bad target lists the choices', async () => {
    const c = await openTestCore({ seed: 'demo' });
    const work = tempDir('incubase-labelmap-cli-');
    try {
      await c.core.close();
      const path = join(work, '台账.xlsx');
      const f = xlsx([['组织名称', '管理类别', '服务领域'], ['命令行映射甲队', '社区指导', '文艺'], ['命令行映射乙队', '社区指导', '文体娱乐']]);
      writeFileSync(path, Buffer.from(f.base64, 'base64'));
      const dry = cli('org-import', path, '--dry-run', '--data-dir', c.dataDir);
      expect(dry.code).toBe(2);
      expect(dry.out).toContain('「服务领域」中的"文艺"不在活动领域中(1 行):可用 --map 文艺=<选项> 指定对应项');
      expect(dry.out).toContain('检查结果:新增 1,更新 0,未变 0,有错误 1');
      const bad = cli('org-import', path, '--map', '文艺=唱歌', '--data-dir', c.dataDir);
      expect(bad.code).toBe(2);
      expect(bad.err + bad.out).toContain('"唱歌"不是活动领域中的选项(可选:');
      const ok = cli('org-import', path, '--map', '文艺=文体娱乐', '--data-dir', c.dataDir);
      expect(ok.code).toBe(0);
      expect(ok.out).toContain('「服务领域」中的"文艺"按"文体娱乐"导入(本次指定,1 行)');
      expect(ok.out).toContain('已导入:新增 2,更新 0,未变 0,有错误 0');
      const again = cli('org-import', path, '--dry-run', '--data-dir', c.dataDir);
      expect(again.out).toContain('按"文体娱乐"导入(已记住的对应关系,1 行)');
      expect(again.out).toContain('检查结果:新增 0,更新 0,未变 2,有错误 0');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);
});
