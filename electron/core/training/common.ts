import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { todayInChina } from '@shared/dates/parse';
import type { DictionaryKind } from '@shared/admin/dictionaries';
import { DEFAULT_ATTENDANCE_POLICY, type AttendancePolicy } from '@shared/training/attendance';
import type { CallContext } from '../api/context';
import type { Db } from '../db/connection';

export const chinaToday = (now: Date): string => todayInChina(now);

/** Names of organizations (the organizations area's table, made by 0002 before training's 0005), for display; unknown ids are left out. */
export async function organizationNames(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  if (list.length === 0) return out;
  for (let i = 0; i < list.length; i += 500) {
    const chunk = list.slice(i, i + 500);
    const r = await sql<{ id: string; name: string }>`SELECT id, name FROM organizations WHERE id IN (${sql.join(chunk)})`.execute(db);
    for (const row of r.rows) out.set(row.id, row.name);
  }
  return out;
}

/** An organization id given by a user must exist in the organizations register. */
export async function checkOrganization(db: Db, organizationId: string | null | undefined): Promise<void> {
  if (!organizationId) return;
  const exists = (await organizationNames(db, [organizationId])).has(organizationId);
  if (!exists) throw fail.validation('所属组织不存在', [{ path: 'organizationId', message: '所属组织不存在' }]);
}

/** Organization id by exact name (sign-in sheets name the organization). */
export async function organizationIdsByName(db: Db, names: readonly string[]): Promise<Map<string, string>> {
  const list = [...new Set(names.filter(Boolean))];
  const out = new Map<string, string>();
  if (list.length === 0) return out;
  for (let i = 0; i < list.length; i += 500) {
    const chunk = list.slice(i, i + 500);
    const r = await sql<{ id: string; name: string }>`SELECT id, name FROM organizations WHERE name IN (${sql.join(chunk)})`.execute(db);
    for (const row of r.rows) if (!out.has(row.name)) out.set(row.name, row.id);
  }
  return out;
}

export async function dictEntries(db: Db, kind: DictionaryKind): Promise<{ code: string; label: string; active: boolean }[]> {
  const rows = await db
    .selectFrom('dictionary_entries')
    .select(['code', 'label', 'active'])
    .where('kind', '=', kind)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, label: r.label, active: r.active === 1 }));
}

export async function dictLabels(db: Db, kind: DictionaryKind): Promise<Map<string, string>> {
  return new Map((await dictEntries(db, kind)).map((e) => [e.code, e.label]));
}

/** A code must be an active entry of its dictionary; the message names the field. */
export async function requireDictCode(db: Db, kind: DictionaryKind, code: string, path: string, label: string): Promise<void> {
  const row = await db.selectFrom('dictionary_entries').select('active').where('kind', '=', kind).where('code', '=', code).executeTakeFirst();
  if (!row || row.active !== 1) throw fail.validation(`${label}“${code}”不在字典中或已停用`, [{ path, message: `${label}不在字典中或已停用` }]);
}

/** The hub's attendance policy, from the training block of the hub settings. */
export async function attendancePolicy(ctx: Pick<CallContext, 'core'>): Promise<AttendancePolicy> {
  const s = await ctx.core.settings();
  return {
    ...DEFAULT_ATTENDANCE_POLICY,
    completionPercent: s.trainingCompletionPercent,
    lateGraceMinutes: s.trainingLateGraceMinutes,
  };
}

/** Current clock in China ('HH:MM'), for keyboard sign-in. */
export function chinaClock(now: Date): string {
  const t = new Date(now.getTime() + 8 * 3600_000);
  return `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

/** Choices for the training forms: bookable venues, active organizations, the attendance policy. */
export async function trainingOptions(ctx: Pick<CallContext, 'core' | 'db'>) {
  const venues = await sql<{ id: string; name: string; capacity: number | null }>`SELECT id, name, capacity FROM venues WHERE bookable = 1 ORDER BY name`.execute(ctx.db);
  const orgs = (await sql<{ id: string; name: string }>`SELECT id, name FROM organizations WHERE status = 'active' ORDER BY name_pinyin, name`.execute(ctx.db)).rows;
  const policy = await attendancePolicy(ctx);
  return { venues: venues.rows, organizations: orgs, completionPercent: policy.completionPercent, lateGraceMinutes: policy.lateGraceMinutes };
}
