import { sql } from 'kysely';
import { fail } from '@shared/errors';
import type { Actor } from '@shared/custody/workflow';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import type { Op } from './ledger';

/** The service view of a call: its transaction, who acts, the time, and the audit writer bound to `trx`. */
export function opOf(ctx: CallContext, trx: Trx): Op {
  const u = ctx.requireUser();
  const actor: Actor = { userId: u.id, roles: u.roles };
  return { trx, sqlite: ctx.core.sqlite, actor, nowIso: ctx.now().toISOString(), audit: (e) => ctx.audit(trx, e) };
}

type Reader = Db | Trx;

export async function userNames(db: Reader, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const list = [...new Set([...ids].filter((x): x is string => !!x))];
  if (list.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function orgNames(db: Reader, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const list = [...new Set([...ids].filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  // Chunked to stay under SQLite's bound-parameter limit.
  for (let i = 0; i < list.length; i += 500) {
    const chunk = list.slice(i, i + 500);
    const rows = await sql<{ id: string; name: string }>`SELECT id, name FROM organizations WHERE id IN (${sql.join(chunk)})`.execute(db);
    for (const r of rows.rows) out.set(r.id, r.name);
  }
  return out;
}

export async function requireOrg(db: Reader, orgId: string): Promise<{ id: string; name: string }> {
  const r = await sql<{ id: string; name: string }>`SELECT id, name FROM organizations WHERE id = ${orgId}`.execute(db);
  if (!r.rows[0]) throw fail.notFound('组织');
  return r.rows[0];
}

export async function requireBankAccount(db: Reader, id: string) {
  const b = await db.selectFrom('custody_bank_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!b) throw fail.notFound('银行账户');
  return b;
}

/** A file name safe on Windows: no reserved characters. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\r\n]+/g, '_').slice(0, 120);
}
