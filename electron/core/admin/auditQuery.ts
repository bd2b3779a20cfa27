import { sql } from 'kysely';
import type { AuditRow } from '@shared/contract/admin';
import { AUDIT_AREAS, type AuditArea } from '@shared/admin/auditAreas';
import { auditActionLabel, auditAreaOf, auditSentence } from '@shared/admin/auditSentence';
import type { Db } from '../db/connection';

export interface AuditQuery {
  startRow: number;
  endRow: number;
  sort?: { colId: string; sort: 'asc' | 'desc' }[];
  filter?: { from?: string; to?: string; username?: string; action?: string; entity?: string; entityId?: string; text?: string; area?: AuditArea };
}

const SORTABLE: Record<string, 'at' | 'username' | 'action' | 'entity' | 'id'> = {
  at: 'at',
  username: 'username',
  action: 'action',
  entity: 'entity',
  id: 'id',
};

/** China business date → the UTC instant where that day starts. */
const chinaDayStartUtc = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
const nextDay = (date: string) => {
  const d = new Date(`${date}T00:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
};

/** Paged audit rows for the ag-grid infinite model: filters and sort run in SQL. */
export async function queryAudit(db: Db, q: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
  let base = db.selectFrom('audit_log');
  const f = q.filter ?? {};
  if (f.from) base = base.where('at', '>=', chinaDayStartUtc(f.from));
  if (f.to) base = base.where('at', '<', nextDay(f.to));
  if (f.username) base = base.where('username', '=', f.username);
  if (f.action) base = base.where('action', 'like', `${f.action}%`);
  if (f.entity) base = base.where('entity', '=', f.entity);
  if (f.entityId) base = base.where('entity_id', '=', f.entityId);
  if (f.text) base = base.where('summary', 'like', `%${f.text.replace(/[%_]/g, '')}%`);
  if (f.area) {
    const prefixes = AUDIT_AREAS[f.area].prefixes;
    base = base.where((eb) => eb.or(prefixes.map((p) => eb('entity', 'like', `${p}%`))));
  }
  const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  let rowsQ = base.selectAll();
  const sorts = (q.sort ?? []).filter((s) => SORTABLE[s.colId]);
  if (sorts.length === 0) rowsQ = rowsQ.orderBy('id', 'desc');
  for (const s of sorts) rowsQ = rowsQ.orderBy(SORTABLE[s.colId], s.sort);
  if (sorts.length) rowsQ = rowsQ.orderBy('id', 'desc'); // ties keep one order from page to page (PostgreSQL gives them none)
  const limit = Math.min(Math.max(q.endRow - q.startRow, 1), 5000);
  const rows = await rowsQ.limit(limit).offset(q.startRow).execute();
  const userIds = [...new Set(rows.map((r) => r.user_id).filter((x): x is string => !!x))];
  const names = new Map(
    userIds.length ? (await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.display_name]) : [],
  );
  return {
    total,
    rows: rows.map((r) => {
      const actorName = (r.user_id && names.get(r.user_id)) || (r.username === 'cli' ? '命令行' : r.username) || '系统';
      const area = auditAreaOf(r.entity);
      const said = auditSentence({ actorName, username: r.username, action: r.action, summary: r.summary, before: r.before_json, after: r.after_json });
      return {
      id: r.id,
      at: r.at,
      userId: r.user_id,
      username: r.username,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      summary: r.summary,
      before: r.before_json,
      after: r.after_json,
      actorName,
      actionLabel: auditActionLabel(r.action),
      areaLabel: area ? AUDIT_AREAS[area].label : '其他',
      recordName: said.recordName,
      sentence: said.sentence,
      changes: said.changes,
      };
    }),
  };
}
