import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { fail } from '@shared/errors';
import { openDemoCore } from '../../helpers/core';
import { onPostgres, rawAll, rawGet } from '../../helpers/engine';
import { orgWriter } from '../../../electron/core/organizations/engineSql';

/**
 * The 台账 import plans and writes its rows a chunk at a time (electron/core/organizations/engineSql.ts: on
 * PostgreSQL one lookup query and one multi-row write per chunk of 1,000 rows; on SQLite prepared statements per
 * row). A file of several chunks must come out exactly as row by row would: matches and in-file duplicates across
 * chunk borders, a stage or a withdrawal in the middle of a chunk (it reads and writes the row the chunk has not
 * sent yet), updates with their version check.
 */
type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('zhangli');
});
afterAll(async () => {
  await t.cleanup();
});

const N = 2_300;
const STAGE_ROW = 1_500; // index of the row that also starts an incubation record
const WITHDRAWN_ROW = 1_700; // index of the row imported as 已退出
const DUP_OF = 50; // row index 2,100 repeats this row's name and street
const DUP_ROW = 2_100;
const nameOf = (i: number) => `分块导入组织${String(i).padStart(4, '0')}`;
const csvFile = (name: string, lines: (string | number)[][]) => ({ name, base64: Buffer.from(lines.map((l) => l.join(',')).join('\r\n') + '\r\n', 'utf8').toString('base64') });

function firstFile() {
  const lines: (string | number)[][] = [['组织名称', '管理类别', '街道(乡镇)', '社区(村)', '成员人数', '孵化阶段', '阶段日期', '状态', '退出日期', '退出原因']];
  for (let i = 0; i < N; i++) {
    const name = nameOf(i === DUP_ROW ? DUP_OF : i);
    lines.push([
      name,
      '社区指导',
      '玉林街道',
      `第${(i % 9) + 1}社区`,
      10 + (i % 50),
      i === STAGE_ROW ? '申请' : '',
      i === STAGE_ROW ? '2025-06-01' : '',
      i === WITHDRAWN_ROW ? '已退出' : '',
      i === WITHDRAWN_ROW ? '2025-12-01' : '',
      i === WITHDRAWN_ROW ? '活动停止' : '',
    ]);
  }
  return csvFile('分块台账.csv', lines);
}

/** Every imported organization's member count and version, by name. */
async function stored(): Promise<Map<string, { member_count: number; version: number; status: string; incubation_stage: string | null }>> {
  const rows = await rawAll<{ name: string; member_count: number; version: number; status: string; incubation_stage: string | null }>(
    t.core,
    "SELECT name, member_count, version, status, incubation_stage FROM organizations WHERE name LIKE '分块导入组织%'",
  );
  return new Map(rows.map((r) => [r.name, r]));
}

/** Counts the statements the core sends to PostgreSQL while `fn` runs (every query goes through pg.Client#query). */
async function pgStatements(fn: () => Promise<unknown>): Promise<number> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let n = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return n;
}

describe('台账 import in chunks', () => {
  it('imports a file of several chunks as row by row would: duplicates across chunks, a stage and a withdrawal mid-chunk, then updates and unchanged rows', async () => {
    let done!: Awaited<ReturnType<T['call']>>;
    const statements = await pgStatements(async () => {
      done = await t.call('organizations.import.commit', { file: firstFile(), mode: 'validOnly' });
    });
    const first = done as { counts: Record<string, number>; rows: { rowNumber: number; action: string; issues: { column: string; message: string }[] }[] };
    expect(first.counts).toEqual({ create: N - 1, update: 0, unchanged: 0, error: 1 });
    // CSV row numbers: the header is row 1, index i is row i + 2
    expect(first.rows.find((r) => r.action === 'error')).toMatchObject({ rowNumber: DUP_ROW + 2, issues: [{ column: '组织名称', message: `与第 ${DUP_OF + 2} 行重复(同名且同街道)` }] });
    if (onPostgres) {
      // a lookup query and a multi-row INSERT per chunk of 1,000 rows, plus the import's own few statements — it
      // was two round trips per row (4,600 here)
      expect(statements).toBeLessThan(60);
    }

    let rows = await stored();
    expect(rows.size).toBe(N - 1);
    expect(rows.get(nameOf(STAGE_ROW))).toMatchObject({ incubation_stage: 'applied', version: 2 });
    expect(rows.get(nameOf(WITHDRAWN_ROW))).toMatchObject({ status: 'withdrawn', version: 1 });
    expect(rows.get(nameOf(DUP_OF))).toMatchObject({ member_count: 10 + (DUP_OF % 50), version: 1 });
    const events = await rawGet<{ n: number }>(
      t.core,
      "SELECT count(*) AS n FROM org_incubation_events e JOIN organizations o ON o.id = e.org_id WHERE o.name = ? AND e.to_stage = 'applied'",
      nameOf(STAGE_ROW),
    );
    expect(Number(events!.n)).toBe(1);

    // the same organizations again: every even row with a new member count (updates, matched by name and street)
    const lines: (string | number)[][] = [['组织名称', '街道(乡镇)', '成员人数']];
    for (let i = 0; i < N; i++) if (i !== DUP_ROW) lines.push([nameOf(i), '玉林街道', 10 + (i % 50) + (i % 2 === 0 ? 1000 : 0)]);
    const update = csvFile('分块台账-修改.csv', lines);
    const second = await t.call('organizations.import.commit', { file: update, mode: 'all' });
    const evens = Math.ceil(N / 2) - (DUP_ROW % 2 === 0 ? 1 : 0);
    expect(second.counts).toEqual({ create: 0, update: evens, unchanged: N - 1 - evens, error: 0 });
    rows = await stored();
    for (let i = 0; i < N; i++) {
      if (i === DUP_ROW) continue;
      const r = rows.get(nameOf(i))!;
      const base = i === STAGE_ROW ? 2 : 1;
      expect([i, r.member_count, r.version]).toEqual([i, 10 + (i % 50) + (i % 2 === 0 ? 1000 : 0), base + (i % 2 === 0 ? 1 : 0)]);
    }

    const again = await t.call('organizations.import.commit', { file: update, mode: 'all' });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: N - 1, error: 0 });
  }, 120_000);

  it('refuses an update whose row changed since it was planned, naming the row, and writes nothing of it', async () => {
    const org = (await rawGet<{ id: string; version: number; member_count: number | null }>(t.core, 'SELECT id, version, member_count FROM organizations ORDER BY id LIMIT 1'))!;
    const writer = orgWriter(t.core.db, t.core.sqlite, (row) => fail.conflict(`第 ${row} 行的组织在导入时被其他人修改,请重新导入`));
    const stale = async () => {
      await writer.update({ member_count: 4321, updated_at: new Date().toISOString(), version: org.version + 1 }, org.id, org.version + 7, 42);
      await writer.flush();
    };
    await expect(stale()).rejects.toMatchObject({ code: 'CONFLICT', message: '第 42 行的组织在导入时被其他人修改,请重新导入' });
    expect(await rawGet(t.core, 'SELECT version, member_count FROM organizations WHERE id = ?', org.id)).toEqual({ version: org.version, member_count: org.member_count });
  });
});
