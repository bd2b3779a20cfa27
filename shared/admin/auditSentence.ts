/**
 * The audit log as sentences (issue 18): «张丽 修改了组织「…」：联系电话 由 … 改为 …». Who (the user's name),
 * what (the call's Chinese title), which named record (from the row's Chinese summary, or the record's name),
 * and the changed fields by their Chinese labels. Never an English code, a UUID or raw JSON: a field without a
 * Chinese label, an id, a version or a timestamp is left out of the sentence, and codes go through label tables.
 */
import { contract, isCallName } from '../contract';
import { FIELD_LABELS } from '../contract/labels';
import { ROLE_LABELS } from '../roles';
import { AREA_TYPE_LABELS, MGMT_CLASS_LABELS, ORG_STATUS_LABELS, REGISTERED_KIND_LABELS } from '../organizations/model';
import { INCUBATION_STAGE_LABELS } from '../organizations/incubation';
import { VOUCHER_STATUS_LABELS } from '../custody/workflow';
import { BOOKING_STATE_LABELS } from '../venues/state';
import { formatFen } from '../money';

export { AUDIT_AREAS, auditAreaOf, type AuditArea } from './auditAreas';

/** What was done, in Chinese: the call's title (新建组织), or a word for the few non-call actions. */
export function auditActionLabel(action: string): string {
  if (isCallName(action)) return contract[action].title;
  const extra: Record<string, string> = { seed: '生成演示数据', 'seed.demo': '生成演示数据', migrate: '升级数据库', setup: '初始化', restore: '从备份恢复', login: '登录', logout: '退出登录' };
  const last = action.split('.').pop() ?? action;
  return extra[action] ?? extra[last] ?? '其他操作';
}

const VALUE_LABELS: Record<string, Record<string, string>> = {
  mgmtClass: MGMT_CLASS_LABELS,
  registeredKind: REGISTERED_KIND_LABELS,
  areaType: AREA_TYPE_LABELS,
  status: { ...ORG_STATUS_LABELS, ...VOUCHER_STATUS_LABELS, ...BOOKING_STATE_LABELS },
  incubationStage: INCUBATION_STAGE_LABELS,
  stage: INCUBATION_STAGE_LABELS,
  state: BOOKING_STATE_LABELS,
  roles: ROLE_LABELS,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SKIP = /(^id$|Id$|_id$|^ids$|^version$|At$|_at$|^password|Hash$|_hash$|^token|^salt)/;
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function fieldLabel(key: string): string | undefined {
  return FIELD_LABELS[key] ?? FIELD_LABELS[camel(key)];
}

/** A value as a sentence shows it; undefined when it cannot be said without codes (an id, an object). */
export function auditValueText(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return '空';
  const k = camel(key);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return /Fen$/.test(k) ? formatFen(value) : String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => auditValueText(key, v));
    return parts.every((p) => p !== undefined) ? parts.join('、') || '空' : undefined;
  }
  if (typeof value === 'object') return undefined;
  const s = String(value);
  if (UUID.test(s)) return undefined;
  const mapped = VALUE_LABELS[k]?.[s];
  if (mapped) return mapped;
  // An English code with no label table would be a code on screen: leave it out.
  if (/^[a-z][a-z_]*$/.test(s) && s.length > 1) return undefined;
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

export interface AuditChange {
  label: string;
  from: string;
  to: string;
}

function parse(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields that changed between before and after, by Chinese label (a creation lists what was filled in). */
export function auditChanges(beforeJson: string | null, afterJson: string | null): AuditChange[] {
  const before = parse(beforeJson);
  const after = parse(afterJson);
  if (!before && !after) return [];
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const out: AuditChange[] = [];
  for (const key of keys) {
    if (SKIP.test(key)) continue;
    const label = fieldLabel(key);
    if (!label) continue;
    const b = before?.[key];
    const a = after?.[key];
    if (before && after && same(a, b)) continue;
    if (!before && (a === null || a === undefined || a === '' || (Array.isArray(a) && a.length === 0))) continue;
    const from = before ? auditValueText(key, b) : '';
    const to = after ? auditValueText(key, a) : '空';
    if (from === undefined || to === undefined) {
      out.push({ label, from: '', to: '已修改' });
      continue;
    }
    out.push({ label, from: before ? from : '', to });
  }
  return out;
}

/** The named record: the first 「…」 of the summary, else a name-like field of the record. */
export function auditRecordName(summary: string, beforeJson: string | null, afterJson: string | null): string {
  const m = /「([^」]+)」/.exec(summary);
  if (m) return m[1];
  for (const o of [parse(afterJson), parse(beforeJson)]) {
    for (const k of ['name', 'title', 'displayName', 'display_name', 'number', 'period']) {
      const v = o?.[k];
      if (typeof v === 'string' && v && !UUID.test(v)) return v;
    }
  }
  return '';
}

export interface AuditSentenceInput {
  actorName: string | null;
  username: string | null;
  action: string;
  summary: string;
  before: string | null;
  after: string | null;
}

/** One sentence: who, what to which record, and what changed (at most `maxChanges` fields, the rest counted). */
export function auditSentence(row: AuditSentenceInput, maxChanges = 6): { sentence: string; changes: AuditChange[]; recordName: string } {
  const who = row.actorName || (row.username === 'cli' ? '命令行' : row.username) || '系统';
  const changes = auditChanges(row.before, row.after);
  // The summary is Chinese already (修改组织「…」:名称、电话); its own field list gives way to the detailed one.
  let base = changes.length > 0 ? row.summary.replace(/[:：][^「」]*$/, '') : row.summary;
  // 用户「zhangli」登录 said by 张丽 herself: the login name adds nothing to her name.
  if (row.username && row.actorName) base = base.replace(`用户「${row.username}」`, '').replace(`「${row.username}」`, `「${row.actorName}」`);
  const recordName = auditRecordName(base, row.before, row.after);
  const said = changes
    .slice(0, maxChanges)
    .map((c) => (c.from ? `${c.label} 由 ${c.from} 改为 ${c.to}` : c.to === '已修改' ? `${c.label} 已修改` : `${c.label} 为 ${c.to}`));
  const more = changes.length > maxChanges ? `等 ${changes.length} 项` : '';
  return { sentence: `${who} ${base}${said.length ? `：${said.join('；')}${more}` : ''}`, changes, recordName };
}
