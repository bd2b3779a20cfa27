import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, booking, lines, post, voucher, type Engine } from './invariants';

/** The invariant scenarios, run by tests/integration/db/invariants.test.ts (SQLite) and tests/pg/invariants.test.ts. */
export function invariantSuite(open: () => Promise<Engine>): void {
  let e: Engine;
  beforeEach(async () => {
    e = await open();
    for (const s of BASE) await e.exec(s);
  });
  afterEach(async () => {
    await e.close();
  });

  describe('venue bookings: two held bookings of a venue never overlap', () => {
    it('refuses an approved booking overlapping an approved one; half-open ranges touch', async () => {
      await e.exec(booking('b1', '2026-03-05T09:00', '2026-03-05T11:00'));
      expect(await e.refusal(booking('b2', '2026-03-05T10:00', '2026-03-05T12:00'))).toMatch(/不能重叠|venue_bookings_no_overlap/);
      expect(await e.refusal(booking('b3', '2026-03-05T11:00', '2026-03-05T12:00'))).toBeNull();
      expect(await e.refusal(booking('b4', '2026-03-04T20:00', '2026-03-05T09:00'))).toBeNull();
      // a request may overlap (it does not hold the venue) but cannot be approved into the overlap
      expect(await e.refusal(booking('b5', '2026-03-05T09:30', '2026-03-05T10:30', 'requested'))).toBeNull();
      expect(await e.refusal(`UPDATE venue_bookings SET state = 'approved' WHERE id = 'b5'`)).toMatch(/不能重叠|venue_bookings_no_overlap/);
      // nor moved into it
      expect(await e.refusal(`UPDATE venue_bookings SET start_at = '2026-03-05T10:30', end_at = '2026-03-05T11:30' WHERE id = 'b3'`)).toMatch(
        /不能重叠|venue_bookings_no_overlap/,
      );
      // a cancelled booking frees the time
      await e.exec(`UPDATE venue_bookings SET state = 'cancelled', cancel_reason = '取消' WHERE id = 'b1'`);
      expect(await e.refusal(`UPDATE venue_bookings SET state = 'approved' WHERE id = 'b5'`)).toBeNull();
      const held = await e.rows<{ id: string }>(`SELECT id FROM venue_bookings WHERE state = 'approved' ORDER BY id`);
      expect(held.map((r) => r.id)).toEqual(['b3', 'b4', 'b5']);
    });

    it('refuses an occurrence longer than a day and an end before its start', async () => {
      expect(await e.refusal(booking('b1', '2026-03-05T09:00', '2026-03-06T09:01'))).not.toBeNull();
      expect(await e.refusal(booking('b2', '2026-03-05T09:00', '2026-03-05T08:00'))).not.toBeNull();
      expect(await e.refusal(booking('b3', '2026-03-05 09:00', '2026-03-05T10:00'))).not.toBeNull();
      expect(await e.refusal(booking('b4', '2026-03-05T09:00', '2026-03-06T09:00'))).toBeNull();
    });
  });

  describe('custody ledger', () => {
    it('posts only balanced lines, and the kept balances equal the sums of the journal', async () => {
      await e.exec(voucher('cv1', '2026-03-05', 10000));
      await e.exec(lines('cv1', '2026-03-05', 10000, 9000));
      expect(await e.refusal(post('cv1', '2026-03', 1))).toMatch(/借贷不平/);

      await e.exec(voucher('cv2', '2026-03-06', 25050));
      await e.exec(lines('cv2', '2026-03-06', 25050));
      expect(await e.refusal(post('cv2', '2026-03', 1))).toBeNull();
      const [bank] = await e.rows<{ ledger_balance_fen: number }>(`SELECT ledger_balance_fen FROM custody_bank_accounts WHERE id = 'ba1'`);
      const [org] = await e.rows<{ balance_fen: number }>(`SELECT balance_fen FROM custody_accounts WHERE org_id = 'o1'`);
      expect(bank.ledger_balance_fen).toBe(10000 + 25050); // the lines of cv1 are in the journal too (never posted)
      const [sums] = await e.rows<{ bank: number; org: number }>(
        `SELECT (SELECT sum(amount_fen) FROM custody_journal WHERE bank_account_id = 'ba1') AS bank,
                (SELECT -sum(amount_fen) FROM custody_journal WHERE org_id = 'o1' AND substr(account_code, 1, 4) IN ('2601', '2209')) AS org`,
      );
      expect(bank.ledger_balance_fen).toBe(sums.bank);
      expect(org.balance_fen).toBe(sums.org);
      expect(typeof org.balance_fen).toBe('number');
    });

    it('writes lines only while the voucher is approved, and a posted voucher and its lines are frozen', async () => {
      await e.exec(voucher('cv1', '2026-03-05', 10000, 'draft'));
      expect(await e.refusal(lines('cv1', '2026-03-05', 10000))).toMatch(/分录只能随凭证记账写入/);
      await e.exec(`UPDATE custody_vouchers SET status = 'approved', approver_id = 'u-approver' WHERE id = 'cv1'`);
      expect(await e.refusal(lines('cv1', '2026-03-06', 10000))).toMatch(/分录只能随凭证记账写入/); // not the voucher's date
      await e.exec(lines('cv1', '2026-03-05', 10000));
      await e.exec(post('cv1', '2026-03', 1));
      expect(await e.refusal(`UPDATE custody_vouchers SET purpose = '改' WHERE id = 'cv1'`)).toMatch(/已记账的凭证不可修改/);
      expect(await e.refusal(`DELETE FROM custody_vouchers WHERE id = 'cv1'`)).toMatch(/已记账的凭证不可删除/);
      expect(await e.refusal(`UPDATE custody_journal SET amount_fen = 1 WHERE voucher_id = 'cv1' AND line_no = 1`)).toMatch(/已记账的分录不可修改/);
      expect(await e.refusal(`DELETE FROM custody_journal WHERE voucher_id = 'cv1'`)).toMatch(/已记账的分录不可删除/);
      expect(await e.refusal(lines('cv1', '2026-03-05', 5))).toMatch(/分录只能随凭证记账写入/);
    });

    it('numbers vouchers 1..n in each month without a gap', async () => {
      for (const [id, date] of [['a', '2026-03-05'], ['b', '2026-03-06'], ['c', '2026-04-01']] as const) {
        await e.exec(voucher(id, date, 100));
        await e.exec(lines(id, date, 100));
      }
      expect(await e.refusal(post('a', '2026-03', 2))).toMatch(/不能跳号/);
      expect(await e.refusal(post('a', '2026-03', 1))).toBeNull();
      expect(await e.refusal(post('b', '2026-03', 3))).toMatch(/不能跳号/);
      expect(await e.refusal(post('b', '2026-03', 1))).not.toBeNull(); // taken
      expect(await e.refusal(post('b', '2026-03', 2))).toBeNull();
      expect(await e.refusal(post('c', '2026-04', 1))).toBeNull(); // a new month starts at 1
    });

    it('takes nothing dated in a closed month', async () => {
      await e.exec(`INSERT INTO custody_periods (period, closed, closed_at, closed_by) VALUES ('2026-02', 1, '2026-03-01T00:00:00.000Z', 'u')`);
      expect(await e.refusal(voucher('cv1', '2026-02-27', 100))).toMatch(/该月已结账/);
      expect(await e.refusal(voucher('cv2', '2026-03-01', 100))).toBeNull();
    });
  });

  describe('audit log', () => {
    it('is append-only', async () => {
      await e.exec(`INSERT INTO audit_log (at, username, action, entity, summary) VALUES ('2026-03-01T00:00:00.000Z', 'admin', 'x', 'hub', '初始化')`);
      expect(await e.refusal(`UPDATE audit_log SET summary = '改写'`)).toMatch(/审计日志不可修改/);
      expect(await e.refusal(`DELETE FROM audit_log`)).toMatch(/审计日志不可删除/);
      const rows = await e.rows<{ summary: string }>(`SELECT summary FROM audit_log`);
      expect(rows.map((r) => r.summary)).toEqual(['初始化']);
    });
  });
}
