import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { openDemoCore, refusal } from '../../helpers/core';
import { ORG_COLUMNS } from '@shared/organizations/columns';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
});
afterAll(async () => {
  await t.cleanup();
});

const file = (name: string, buf: Buffer) => ({ name, base64: buf.toString('base64') });

async function workbook(rows: unknown[][], titleRows: unknown[][] = [['玉林街道社区社会组织台账'], ['填报单位:玉林街道', null, null, '日期:2026-03-05']]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  for (const r of titleRows) ws.addRow(r);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEAD = ['组织名称', '统一社会信用代码', '管理类别', '登记类型', '街道', '社区', '活动领域', '服务对象', '负责人', '负责人电话', '成员人数', '成立日期', '孵化阶段', '阶段日期'];

describe('台账 import', () => {
  it('previews a workbook full of bad rows with row, column and reason, writes nothing in all-or-nothing mode, and imports the valid rows only', async () => {
    const before = await t.call('organizations.list', { startRow: 0, endRow: 1 });
    const buf = await workbook([
      HEAD,
      ['导入测试甲队', '', '社区指导', '', '玉林街道', '玉林北路社区', '邻里互助', '老年人、儿童', '张三', '１３８００１３８０００', '１２', '2021年3月5日', '孵化中', '2025/3/1'],
      ['导入测试乙会', '53640000MJX173672G', '登记', '基金会', '玉林街道', '', '公益慈善', '', '李四', '', 30, 44260, '', ''],
      ['导入测试丙社', '', '大型', '', '玉林街道', '', '养老', '外星人', '王五', '', '十二', '2021-02-30', '毕业', ''],
      ['', '', '备案', '', '玉林街道', '', '', '', '', '', '', '', '', ''],
      ['导入测试丁队', '91350211M00013FA1N', '依法登记', '社会团体', '玉林街道', '', '', '', '赵六', '', 15, '2020.1.2', '', ''],
      ['导入测试甲队', '', '社区指导', '', '玉林街道', '', '', '', '', '', '', '', '', ''],
      ['导入测试戊会', '', '街道备案', '', '浆洗街街道', '', '', '', '钱七', '', 5, '20200102', '出壳', '2025-01-01'],
    ]);
    const preview = await t.call('organizations.import.preview', { file: file('台账.xlsx', buf) });
    expect(preview.headerRowNumber).toBe(3);
    expect(preview.counts).toEqual({ create: 2, update: 0, unchanged: 0, error: 5 });
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.rowNumber, r]));
    expect(byRow[4]).toMatchObject({ action: 'create', name: '导入测试甲队' });
    expect(byRow[5].issues).toEqual([{ column: '统一社会信用代码', message: '第18位校验码应为 F;如与证书一致,请在"代码已核对证书"列填"是"' }]);
    expect(byRow[6].issues.map((i) => i.column)).toEqual(['管理类别', '活动领域', '服务对象', '成员人数', '成立日期', '阶段日期']);
    expect(byRow[6].issues[4].message).toBe('2021年2月没有30日(该月只有 28 天)');
    expect(byRow[7].issues).toEqual(expect.arrayContaining([{ column: '组织名称', message: '组织名称不能为空' }]));
    expect(byRow[8].issues[0]).toEqual({ column: '统一社会信用代码', message: '第18位校验码应为 3;如与证书一致,请在"代码已核对证书"列填"是"' });
    expect(byRow[9].issues).toEqual([{ column: '组织名称', message: '与第 4 行重复(同名且同街道)' }]);
    // 毕业 is accepted for 出壳, but a historical stage needs its date
    expect(byRow[6].issues[5].message).toBe('孵化阶段为"出壳"时请填写阶段日期');
    // a valid historical stage on a new organization: 出壳 since 2025-01-01
    expect(byRow[10]).toMatchObject({ action: 'create', issues: [] });

    const refused = await refusal(t.core, 'organizations.import.commit', { file: file('台账.xlsx', buf), mode: 'all' }, t.token);
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toContain('共有 5 行有错误,未导入任何数据');
    expect(refused.issues).toEqual(expect.arrayContaining([{ row: 5, path: '统一社会信用代码', message: expect.stringContaining('第18位') }]));
    expect((await t.call('organizations.list', { startRow: 0, endRow: 1 })).total).toBe(before.total);

    const auditBefore = await t.core.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const done = await t.call('organizations.import.commit', { file: file('台账.xlsx', buf), mode: 'validOnly' });
    expect(done.committed).toBe(true);
    expect(done.counts.create).toBe(2);
    expect((await t.call('organizations.list', { startRow: 0, endRow: 1 })).total).toBe(before.total! + 2);
    const audits = await t.core.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(5).execute();
    const auditAfter = await t.core.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(auditAfter.n) - Number(auditBefore.n)).toBe(1);
    expect(audits[0].summary).toBe('导入组织台账「台账.xlsx」:新增 2、更新 0、未变 0、跳过有错误的 5 行');
    expect(JSON.parse(audits[0].after_json!).skipped).toHaveLength(5);

    const found = await t.call('organizations.list', { startRow: 0, endRow: 5, search: '导入测试甲队' });
    const detail = await t.call('organizations.get', { id: found.rows[0].id });
    expect(detail.input).toMatchObject({ leaderPhone: '13800138000', memberCount: 12, foundedDate: '2021-03-05', peopleServed: ['P01', 'P02'], fieldCode: 'F03' });
    expect(detail.incubationStage).toBe('incubating');
    expect(detail.history).toEqual([expect.objectContaining({ fromStage: null, toStage: 'incubating', date: '2025-03-01', decidedBy: '台账导入' })]);
    expect(detail.admittedDate).toBe('2025-03-01');

    // fixed and re-imported: the created row is now unchanged, the fixed rows are new
    const fixed = await workbook([
      HEAD,
      ['导入测试甲队', '', '社区指导', '', '玉林街道', '玉林北路社区', '邻里互助', '老年人、儿童', '张三', '13800138000', 12, '2021-03-05', '孵化中', '2025-03-01'],
      ['导入测试乙会', '53640000MJX173672F', '登记', '基金会', '玉林街道', '', '公益慈善', '', '李四', '', 30, 44260, '', ''],
    ]);
    const again = await t.call('organizations.import.commit', { file: file('台账.xlsx', fixed), mode: 'all' });
    expect(again.counts).toEqual({ create: 1, update: 0, unchanged: 1, error: 0 });
  });

  it('matches existing organizations by code, then by name in the same street, and lists the changed columns', async () => {
    const [a] = (await t.call('organizations.list', { startRow: 0, endRow: 1, quick: { mgmtClass: ['registered'] }, sortModel: [{ colId: 'name', sort: 'asc' }] })).rows;
    const [g] = (await t.call('organizations.list', { startRow: 0, endRow: 1, quick: { mgmtClass: ['guided'] }, sortModel: [{ colId: 'name', sort: 'asc' }] })).rows;
    const da = await t.call('organizations.get', { id: a.id });
    const buf = await workbook(
      [
        ['组织名称', '统一社会信用代码', '街道', '成员人数'],
        ['改了名字的组织', a.creditCode, a.street, da.input.memberCount],
        [g.name, '', g.street, (g.memberCount ?? 0) + 1],
        [g.name, '', '不存在的街道', 3],
      ],
      [],
    );
    const p = await t.call('organizations.import.preview', { file: file('更新.xlsx', buf) });
    expect(p.rows.map((r) => [r.action, r.orgId, r.changes])).toEqual([
      ['update', a.id, ['组织名称']],
      ['update', g.id, ['成员人数']],
      ['error', null, []],
    ]);
    // a new organization (no match in that street) needs its class
    expect(p.rows[2].issues).toEqual([{ column: '管理类别', message: expect.stringContaining('管理类别') }]);
  });

  it('reads a GBK CSV with aliases, remembers a corrected mapping, and refuses a mapping without the name', async () => {
    const csv = iconv.encode('单位名称,类别,所属街道,联系电话,说明\r\n"GBK 测试队",社区指导,簇桥街道,13900000000,"第一行\r\n第二行"\r\n', 'gbk');
    const p = await t.call('organizations.import.preview', { file: file('台账.csv', csv) });
    expect(p.encoding).toBe('gb18030');
    expect(p.mapping).toEqual(['name', 'mgmtClass', 'street', 'contactPhone', 'remark']);
    expect(p.rows[0]).toMatchObject({ action: 'create', name: 'GBK 测试队' });
    const bad = await t.call('organizations.import.preview', { file: file('台账.csv', csv), mapping: [null, 'mgmtClass', 'street', null, null] });
    expect(bad.mappingIssues).toEqual(['必须有一列对应"组织名称"']);
    expect(bad.rows).toEqual([]);
    const mapping = ['name', 'mgmtClass', 'street', 'leaderPhone', 'remark'];
    const done = await t.call('organizations.import.commit', { file: file('台账.csv', csv), mapping, mode: 'all' });
    expect(done.counts.create).toBe(1);
    const again = await t.call('organizations.import.preview', { file: file('另一个.csv', csv) });
    expect(again.mappingRemembered).toBe(true);
    expect(again.mapping).toEqual(mapping);
    expect(again.rows[0].action).toBe('unchanged');
    const org = (await t.call('organizations.list', { startRow: 0, endRow: 1, search: 'GBK 测试队' })).rows[0];
    expect(org.leaderPhone).toBe('13900000000');
    expect((await t.call('organizations.get', { id: org.id })).input.remark).toBe('第一行\n第二行');
  });

  it('refuses files that are not tables', async () => {
    const e = await refusal(t.core, 'organizations.import.preview', { file: { name: 'x.xlsx', base64: Buffer.from('not a zip').toString('base64') } }, t.token);
    expect(e.message).toContain('内容是文本而不是 Excel 工作簿');
  });
});

describe('export and re-import round trip', () => {
  it('exporting everything and importing the file changes nothing; an edited cell is the only change', async () => {
    const exported = await t.call('organizations.export', {});
    const total = (await t.call('organizations.list', { startRow: 0, endRow: 1 })).total;
    expect(exported.rowCount).toBe(total);
    const auditCount = async () => Number((await t.core.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const snapshot = async () => JSON.stringify(await t.core.db.selectFrom('organizations').selectAll().orderBy('id').execute());
    const before = await snapshot();
    const result = await t.call('organizations.import.commit', { file: { name: exported.fileName, base64: exported.base64 }, mode: 'all' });
    expect(result.counts).toEqual({ create: 0, update: 0, unchanged: total, error: 0 });
    expect(await snapshot()).toBe(before);

    // edit one cell with exceljs and import again
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(exported.base64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    // dates are real Excel dates shown as 2021-03-05, counts are numbers, empty cells stay empty
    const foundedCol = ORG_COLUMNS.findIndex((c) => c.key === 'foundedDate') + 1;
    const founded = ws.getRow(3).getCell(foundedCol);
    expect(founded.value).toBeInstanceOf(Date);
    expect(founded.numFmt).toBe('yyyy-mm-dd');
    const remarkCol = ORG_COLUMNS.findIndex((c) => c.key === 'remark') + 1;
    expect(ws.getRow(3).getCell(remarkCol).value).toBeNull();
    const memberCol = ORG_COLUMNS.findIndex((c) => c.key === 'memberCount') + 1;
    expect(typeof ws.getRow(3).getCell(memberCol).value).toBe('number');
    const old = Number(ws.getRow(3).getCell(memberCol).value);
    ws.getRow(3).getCell(memberCol).value = old + 100;
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const n0 = await auditCount();
    const r2 = await t.call('organizations.import.commit', { file: { name: '编辑后.xlsx', base64: edited.toString('base64') }, mode: 'all' });
    expect(r2.counts).toEqual({ create: 0, update: 1, unchanged: total! - 1, error: 0 });
    expect(r2.rows.find((r) => r.action === 'update')!.changes).toEqual(['成员人数']);
    expect((await auditCount()) - n0).toBe(1);
  });

  it('keeps markup characters, quotes and line breaks of a cell through export and re-import', async () => {
    const first = (await t.call('organizations.list', { startRow: 0, endRow: 1 })).rows[0];
    const detail = await t.call('organizations.get', { id: first.id });
    const remark = `甲&乙 <丙> "丁" '戊' ]]> &amp;\n第二行`;
    await t.call('organizations.update', { id: first.id, version: detail.version, input: { ...detail.input, remark, shortName: 'A&B<C>' } });
    const exported = await t.call('organizations.export', {});
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(exported.base64, 'base64') as unknown as ArrayBuffer);
    const remarkCol = ORG_COLUMNS.findIndex((c) => c.key === 'remark') + 1;
    const cells: unknown[] = [];
    wb.worksheets[0].getColumn(remarkCol).eachCell((c) => void cells.push(c.value));
    const stored = (await t.call('organizations.get', { id: first.id })).input.remark;
    expect(stored).toContain('甲&乙 <丙> "丁"');
    expect(cells.filter((c) => String(c).startsWith('甲&乙'))).toEqual([stored]);
    const result = await t.call('organizations.import.commit', { file: { name: exported.fileName, base64: exported.base64 }, mode: 'all' });
    expect(result.rows.filter((r) => r.action !== 'unchanged')).toEqual([]);
    expect((await t.call('organizations.get', { id: first.id })).input).toMatchObject({ remark: stored, shortName: 'A&B<C>' });
  });

  it('exports the current view only', async () => {
    const view = { quick: { mgmtClass: ['filed' as const] }, search: '社区' };
    const count = (await t.call('organizations.list', { startRow: 0, endRow: 1, ...view })).total;
    const e = await t.call('organizations.export', view);
    expect(e.rowCount).toBe(count);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(e.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(2).values).toEqual([undefined, ...ORG_COLUMNS.map((c) => c.header)]);
    expect(wb.worksheets[0].rowCount).toBe(count! + 2);
  });
});
