import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CallError } from '../../helpers/core';
import { custodyFixture, gbkCsv, ledgerInvariants, NO_VIOLATIONS, type Fixture } from './helpers';

/**
 * Random sequences of drafts, submissions, approvals (with and without overrides), postings, reversals,
 * statement imports, auto and manual matches, unmatches, period closes and reopens, and raw tampering, run
 * through the real core. After every step the ledger's invariants hold, and nothing in a closed month changes.
 */
let f: Fixture;
let run = 0;
beforeAll(async () => {
  f = await custodyFixture();
});
afterAll(async () => {
  await f?.cleanup();
});

type Op =
  | { t: 'draft'; kind: 'receipt' | 'disbursement' | 'transfer'; org: number; amount: number; month: number; day: number; budget: boolean }
  | { t: 'submit' | 'approve' | 'override' | 'post' | 'reject' | 'withdraw' | 'delete'; pick: number }
  | { t: 'reverse'; pick: number; days: number }
  | { t: 'import'; picks: number[]; noise: number; dup: boolean }
  | { t: 'auto' }
  | { t: 'manual'; pick: number }
  | { t: 'unmatch'; pick: number }
  | { t: 'close' | 'reopen'; month: number }
  | { t: 'tamper'; pick: number }
  | { t: 'flow'; pick: number; override: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('draft' as const), kind: fc.constantFrom('receipt' as const, 'disbursement' as const, 'transfer' as const), org: fc.nat(1), amount: fc.integer({ min: 1, max: 500_000 }), month: fc.integer({ min: 1, max: 3 }), day: fc.integer({ min: 1, max: 28 }), budget: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constantFrom('submit' as const, 'approve' as const, 'post' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('override' as const, 'reject' as const, 'withdraw' as const, 'delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reverse' as const), pick: fc.nat(), days: fc.integer({ min: -3, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('import' as const), picks: fc.array(fc.nat(), { maxLength: 6 }), noise: fc.nat(3), dup: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('auto' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('manual' as const, 'unmatch' as const, 'tamper' as const), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('flow' as const), pick: fc.nat(), override: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('close' as const, 'reopen' as const), month: fc.integer({ min: 1, max: 3 }) }) },
);

const pad = (n: number) => String(n).padStart(2, '0');

async function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof CallError)) throw e;
    // A refusal is fine; an internal error is not.
    expect(['RULE', 'VALIDATION', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN']).toContain(e.error.code);
  }
}

async function closedSnapshot(year: number) {
  const db = f.raw;
  const closed = (await db.all<{ period: string }>(`SELECT period FROM custody_periods WHERE closed = 1 AND period LIKE ?`, `${year}-%`)).map((r) => r.period);
  const out: Record<string, string> = {};
  for (const p of closed) {
    const j = await db.get(`SELECT count(*) AS n, coalesce(sum(amount_fen),0) AS s, coalesce(sum(abs(amount_fen)),0) AS a FROM custody_journal WHERE period = ?`, p);
    const v = (await db.all<{ id: string; status: string }>(`SELECT id, status FROM custody_vouchers WHERE period = ? ORDER BY id`, p)).map((r) => r.id + r.status).join(',');
    const l = await db.get(`SELECT count(*) AS n FROM custody_statement_lines WHERE substr(date,1,7) = ?`, p);
    const m = await db.get(`SELECT count(*) AS n FROM custody_match_items WHERE substr(date,1,7) = ?`, p);
    out[p] = JSON.stringify([j, v, l, m]);
  }
  return out;
}

describe('property: random operation sequences keep the ledger sound', () => {
  it('holds the invariants after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 35 }), async (ops) => {
        // Each run uses its own year, counting down, so earlier runs' open months never block a close here.
        const year = 2099 - run++;
        const db = f.raw;
        const vouchers = () => db.all<{ id: string; status: string; kind: string }>(`SELECT id, status, kind FROM custody_vouchers WHERE period LIKE ? ORDER BY created_at, id`, `${year}-%`);
        const pick = <T,>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
        for (const op of ops) {
          const before = await closedSnapshot(year);
          const vs = await vouchers();
          switch (op.t) {
            case 'draft': {
              const date = `${year}-${pad(op.month)}-${pad(op.day)}`;
              const base = { date, amountFen: op.amount, purpose: '随机测试', counterparty: `对方${op.amount % 3}` };
              if (op.kind === 'transfer') await attempt(() => f.as.maker('custody.vouchers.create', { ...base, kind: 'transfer', orgId: f.orgIds[op.org], toOrgId: f.orgIds[1 - op.org] }));
              else
                await attempt(() =>
                  f.as.maker('custody.vouchers.create', {
                    ...base,
                    kind: op.kind,
                    orgId: f.orgIds[op.org],
                    bankAccountId: f.bankId,
                    budgetLineId: op.kind === 'disbursement' && op.budget && op.org === 0 ? f.lineIds[0] : null,
                  }),
                );
              break;
            }
            case 'submit':
            case 'withdraw':
            case 'delete': {
              const v = pick(vs, op.pick);
              if (v) await attempt(() => f.as.maker(`custody.vouchers.${op.t}`, { id: v.id }));
              break;
            }
            case 'approve': {
              const v = pick(vs, op.pick);
              if (v) await attempt(() => f.as.approver('custody.vouchers.approve', { id: v.id, overrideReason: op.pick % 4 === 0 ? '随机测试中的特批理由' : undefined }));
              break;
            }
            case 'flow': {
              // Take one voucher as far along the workflow as the rules allow.
              const v = pick(vs.filter((x) => x.status !== 'posted'), op.pick);
              if (!v) break;
              await attempt(async () => {
                const status = async () => (await db.get<{ status: string }>(`SELECT status FROM custody_vouchers WHERE id = ?`, v.id))!.status;
                if ((await status()) === 'draft') await f.as.maker('custody.vouchers.submit', { id: v.id });
                if ((await status()) === 'submitted') await f.as.approver('custody.vouchers.approve', { id: v.id, overrideReason: op.override ? '随机测试中的特批理由' : undefined });
                await f.as.cashier('custody.vouchers.post', { id: v.id });
              });
              break;
            }
            case 'override': {
              const v = pick(vs, op.pick);
              if (v) await attempt(() => f.as.approver('custody.vouchers.override', { id: v.id, reason: '随机测试中的特批理由' }));
              break;
            }
            case 'reject': {
              const v = pick(vs, op.pick);
              if (v) await attempt(() => f.as.approver('custody.vouchers.reject', { id: v.id, reason: '退回测试' }));
              break;
            }
            case 'post': {
              const v = pick(vs, op.pick);
              if (v) await attempt(() => f.as.cashier('custody.vouchers.post', { id: v.id }));
              break;
            }
            case 'reverse': {
              const v = pick(vs.filter((x) => x.status === 'posted'), op.pick);
              if (!v) break;
              const d = (await db.get<{ date: string }>(`SELECT date FROM custody_vouchers WHERE id = ?`, v.id))!;
              const date = new Date(Date.parse(`${d.date}T00:00:00Z`) + op.days * 86400000).toISOString().slice(0, 10);
              await attempt(() => f.as.maker('custody.vouchers.reverse', { id: v.id, date, reason: '随机冲销' }));
              break;
            }
            case 'import': {
              const posted = await db.all<{ date: string; a: number; counterparty: string }>(
                `SELECT v.date, sum(j.amount_fen) AS a, v.counterparty FROM custody_vouchers v JOIN custody_journal j ON j.voucher_id = v.id AND j.bank_account_id = ? WHERE v.period LIKE ? GROUP BY v.id ORDER BY v.id`,
                f.bankId,
                `${year}-%`,
              );
              const rows = [['交易日期', '借方发生额', '贷方发生额', '对方户名']];
              for (const i of op.picks) {
                const p = pick(posted, i);
                if (p && p.a !== 0) rows.push([p.date, p.a < 0 ? String(-p.a / 100) : '', p.a > 0 ? (p.a / 100).toFixed(2) : '', p.counterparty]);
              }
              for (let k = 0; k < op.noise; k++) rows.push([`${year}-0${1 + (k % 3)}-1${k}`, '', `${k + 1}.00`, '利息']);
              if (op.dup && rows.length > 1) rows.push(rows[rows.length - 1]);
              if (rows.length > 1) await attempt(() => f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file: { name: 's.csv', base64: gbkCsv(rows) } }));
              break;
            }
            case 'auto': {
              await attempt(async () => {
                const { proposals } = await f.as.maker('custody.match.auto', { bankAccountId: f.bankId, from: `${year}-01-01`, to: `${year}-12-31` });
                if (proposals.length) await f.as.maker('custody.match.confirm', { bankAccountId: f.bankId, pairs: proposals.map(({ bankLineId, entryId }) => ({ bankLineId, entryId })) });
              });
              break;
            }
            case 'manual': {
              const data = await f.as.maker('custody.match.data', { bankAccountId: f.bankId, from: `${year}-01-01`, to: `${year}-12-31` });
              const l = pick(data.bankLines.filter((x) => !x.groupId), op.pick);
              const e = pick(data.entries.filter((x) => !x.groupId), op.pick + 1);
              if (l && e) await attempt(() => f.as.maker('custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [l.id], entryIds: [e.id] }));
              break;
            }
            case 'unmatch': {
              const groups = await db.all<{ group_id: string }>(`SELECT DISTINCT group_id FROM custody_match_items WHERE date LIKE ? ORDER BY group_id`, `${year}-%`);
              const g = pick(groups, op.pick);
              if (g) await attempt(() => f.as.maker('custody.match.unmatch', { groupId: g.group_id }));
              break;
            }
            case 'close':
              await attempt(() => f.as.maker('custody.periods.close', { period: `${year}-${pad(op.month)}` }));
              break;
            case 'reopen':
              await attempt(() => f.as.admin('custody.periods.reopen', { period: `${year}-${pad(op.month)}`, reason: '随机测试反结账' }));
              break;
            case 'tamper': {
              if (!(await db.get(`SELECT 1 AS x FROM custody_journal LIMIT 1`))) break;
              await expect(db.run(`UPDATE custody_journal SET amount_fen = amount_fen * 2 WHERE id = (SELECT max(id) FROM custody_journal)`)).rejects.toThrow('已记账的分录不可修改');
              await expect(db.run(`DELETE FROM custody_journal WHERE id = (SELECT max(id) FROM custody_journal)`)).rejects.toThrow('已记账的分录不可删除');
              break;
            }
          }
          expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
          const after = await closedSnapshot(year);
          // Periods closed before the step and still closed after it are unchanged.
          for (const [p, snap] of Object.entries(before)) if (after[p] !== undefined) expect(after[p]).toBe(snap);
        }
      }),
      // Seeded: the coverage check below needs the same sequences every run (an unseeded run sometimes never posts a statement line).
      { numRuns: 12, seed: 20261203 },
    );
    // The sequences did reach the interesting states (not only refusals).
    const count = async (q: string) => (await f.raw.get<{ n: number }>(q))!.n;
    expect(await count(`SELECT count(*) AS n FROM custody_vouchers WHERE status = 'posted' AND date >= '2080'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM custody_statement_lines WHERE date >= '2080'`)).toBeGreaterThan(0);
  });
});
