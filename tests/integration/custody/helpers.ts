import iconv from 'iconv-lite';
import { CompiledQuery } from 'kysely';
import type { Core } from '../../../electron/core/core';
import type { Trx } from '../../../electron/core/api/context';
import { numberedParams } from '../../../electron/core/custody/engineSql';
import { caller, loginAs, openDemoCore } from '../../helpers/core';

/** Plain SQL (with `?` placeholders) straight on the core's database, past the services, on either engine. */
export interface RawSql {
  all<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | undefined>;
  /** Rows changed. */
  run(text: string, ...params: unknown[]): Promise<number>;
  /**
   * `fn` in one transaction, committed unless it throws. A statement refused inside it undoes only itself, on
   * both engines (SQLite's statement rollback; on PostgreSQL each statement runs in a savepoint).
   */
  tx<T>(fn: (r: RawSql) => Promise<T>): Promise<T>;
}

/** Thrown inside `RawSql.tx` to roll the transaction back on purpose. */
export class Rollback extends Error {}

/** `fn`'s statements in a transaction that is always rolled back. */
export async function rolledBack(raw: RawSql, fn: (r: RawSql) => Promise<void>): Promise<void> {
  await raw.tx(async (r) => {
    await fn(r);
    throw new Rollback();
  }).catch((e) => {
    if (!(e instanceof Rollback)) throw e;
  });
}

export function rawSql(core: Core): RawSql {
  if (core.engine === 'postgres') return pgRaw(core.db);
  const db = core.sqlite;
  const r: RawSql = {
    all: async <T>(text: string, ...params: unknown[]) => db.prepare(text).all(...params) as T[],
    get: async <T>(text: string, ...params: unknown[]) => db.prepare(text).get(...params) as T | undefined,
    run: async (text: string, ...params: unknown[]) => db.prepare(text).run(...params).changes,
    async tx<T>(fn: (r: RawSql) => Promise<T>): Promise<T> {
      db.exec('BEGIN');
      try {
        const out = await fn(r);
        db.exec('COMMIT');
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    },
  };
  return r;
}

function pgRaw(db: Trx, inTx = false): RawSql {
  const plain = (text: string, params: unknown[]) => db.executeQuery(CompiledQuery.raw(numberedParams(text), params));
  const exec = !inTx
    ? plain
    : async (text: string, params: unknown[]) => {
        await plain('SAVEPOINT raw_stmt', []);
        try {
          const r = await plain(text, params);
          await plain('RELEASE SAVEPOINT raw_stmt', []);
          return r;
        } catch (e) {
          await plain('ROLLBACK TO SAVEPOINT raw_stmt', []);
          await plain('RELEASE SAVEPOINT raw_stmt', []);
          throw e;
        }
      };
  return {
    all: async <T>(text: string, ...params: unknown[]) => (await exec(text, params)).rows as T[],
    get: async <T>(text: string, ...params: unknown[]) => (await exec(text, params)).rows[0] as T | undefined,
    run: async (text: string, ...params: unknown[]) => Number((await exec(text, params)).numAffectedRows ?? 0),
    tx: <T>(fn: (r: RawSql) => Promise<T>) => db.transaction().execute((trx) => fn(pgRaw(trx, true))),
  };
}

/** A demo core with the custody actors logged in and two organizations with custody accounts. */
export async function custodyFixture() {
  // Scale 0: demo users, no demo organizations or custody data, so the tests own every number.
  const t = await openDemoCore('wangfang', { demoScale: 0 });
  const tokens = {
    maker: t.token,
    cashier: await loginAs(t.core, 'chenjing'),
    approver: await loginAs(t.core, 'liming'),
    admin: await loginAs(t.core, 'admin'),
    viewer: await loginAs(t.core, 'zhaoqiang'),
  };
  const as = {
    maker: t.call,
    cashier: caller(t.core, tokens.cashier),
    approver: caller(t.core, tokens.approver),
    admin: caller(t.core, tokens.admin),
    viewer: caller(t.core, tokens.viewer),
  };
  const now = new Date().toISOString();
  const orgIds = ['org-custody-a', 'org-custody-b', 'org-custody-c'];
  const orgNames = ['幸福里邻里互助会', '夕阳红文艺队', '青苗助学服务社'];
  const raw = rawSql(t.core);
  for (const [i, id] of orgIds.entries()) {
    await raw.run(`INSERT INTO organizations (id, name, mgmt_class, created_at, updated_at) VALUES (?, ?, 'filed', ?, ?)`, id, orgNames[i], now, now);
  }
  const bank = await as.maker('custody.bankAccounts.save', {
    name: '基本户',
    bankName: '工商银行',
    accountNo: '4402 0000 0000 1234',
    formatId: 'icbc',
    openingDate: '2026-01-01',
    bankOpeningFen: 0,
  });
  for (const orgId of orgIds.slice(0, 2)) await as.maker('custody.accounts.open', { orgId, openedOn: '2026-01-01' });
  const source = await as.maker('custody.sources.save', { kind: 'Z02', name: '2026年区公益创投', grantor: '区民政局' });
  const project = await as.maker('custody.projects.save', {
    name: '邻里守望计划',
    sourceId: source.id,
    orgId: orgIds[0],
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    lines: [
      { name: '活动物料', budgetFen: 300000 },
      { name: '讲师费', budgetFen: 100000 },
    ],
  });
  const projects = await as.maker('custody.projects.list', {});
  const lines = projects.find((p) => p.id === project.id)!.lines;
  return { ...t, raw, tokens, as, orgIds, bankId: bank.id, sourceId: source.id, projectId: project.id, lineIds: lines.map((l) => l.id) };
}

export type Fixture = Awaited<ReturnType<typeof custodyFixture>>;

/** Record, submit, approve and post a voucher; returns its id and number. */
export async function postVoucher(f: Fixture, input: Parameters<Fixture['as']['maker']>[1] & object, overrideReason?: string) {
  const { id } = await f.as.maker('custody.vouchers.create', input as never);
  await f.as.maker('custody.vouchers.submit', { id });
  await f.as.approver('custody.vouchers.approve', { id, overrideReason });
  const { number } = await f.as.cashier('custody.vouchers.post', { id });
  return { id, number };
}

export function gbkCsv(rows: string[][]): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return iconv.encode(rows.map((r) => r.map(cell).join(',')).join('\r\n'), 'gbk').toString('base64');
}

/** The invariants of the ledger, checked with plain SQL against the derived balances (on either engine). */
export async function ledgerInvariants(f: { core: Core }) {
  const db = rawSql(f.core);
  const unbalanced = await db.all(`SELECT voucher_id, sum(amount_fen) AS s FROM custody_journal GROUP BY voucher_id HAVING sum(amount_fen) <> 0`);
  const orgMismatch = await db.all(
    `SELECT * FROM (SELECT a.org_id, a.balance_fen, coalesce((SELECT -sum(j.amount_fen) FROM custody_journal j WHERE j.org_id = a.org_id AND substr(j.account_code,1,4) IN ('2601','2209')), 0) AS s
       FROM custody_accounts a) x WHERE x.balance_fen <> x.s`,
  );
  const bankMismatch = await db.all(
    `SELECT * FROM (SELECT b.id, b.ledger_balance_fen, coalesce((SELECT sum(j.amount_fen) FROM custody_journal j WHERE j.bank_account_id = b.id), 0) AS s
       FROM custody_bank_accounts b) x WHERE x.ledger_balance_fen <> x.s`,
  );
  const budgetMismatch = await db.all(
    `SELECT l.id FROM custody_budget_lines l
     WHERE l.spent_fen <> coalesce((SELECT sum(j.amount_fen) FROM custody_journal j WHERE j.budget_line_id = l.id), 0)`,
  );
  const periods = await db.all<{ period: string; n: number; m: number; lo: number }>(
    `SELECT period, count(*) AS n, max(seq) AS m, min(seq) AS lo FROM custody_vouchers WHERE status = 'posted' GROUP BY period`,
  );
  const gaps = periods.filter((p) => p.n !== p.m || p.lo !== 1);
  const postedWithoutLines = await db.all(`SELECT v.id FROM custody_vouchers v WHERE v.status = 'posted' AND NOT EXISTS (SELECT 1 FROM custody_journal j WHERE j.voucher_id = v.id)`);
  const linesOfUnposted = await db.all(`SELECT j.id FROM custody_journal j JOIN custody_vouchers v ON v.id = j.voucher_id WHERE v.status <> 'posted'`);
  const negativeWithoutOverride = await db.all(
    `SELECT a.org_id FROM custody_accounts a WHERE a.balance_fen < 0 AND NOT EXISTS (
       SELECT 1 FROM custody_vouchers v JOIN custody_journal j ON j.voucher_id = v.id
       WHERE j.org_id = a.org_id AND v.override_reason IS NOT NULL)`,
  );
  const doubleMatched = await db.all(`SELECT side, item_id, count(*) AS c FROM custody_match_items GROUP BY side, item_id HAVING count(*) > 1`);
  return { unbalanced, orgMismatch, bankMismatch, budgetMismatch, gaps, postedWithoutLines, linesOfUnposted, negativeWithoutOverride, doubleMatched };
}

export const NO_VIOLATIONS = {
  unbalanced: [],
  orgMismatch: [],
  bankMismatch: [],
  budgetMismatch: [],
  gaps: [],
  postedWithoutLines: [],
  linesOfUnposted: [],
  negativeWithoutOverride: [],
  doubleMatched: [],
};
