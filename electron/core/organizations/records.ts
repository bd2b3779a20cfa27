/**
 * Organization records: mapping between rows and the shared input shape, the credit-code rule (check, confirmation,
 * uniqueness), create / update / withdraw and the detail view. Every write is one transaction with its audit entry.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AppError, fail } from '@shared/errors';
import { canStoreCreditCode, checkCreditCode } from '@shared/organizations/creditCode';
import { checkFilingConditions, DEFAULT_FILING_CONDITIONS } from '@shared/organizations/filing';
import { incubationTerm, type IncubationStage } from '@shared/organizations/incubation';
import { ORG_FIELD_LABELS, REGISTERED_KIND_LABELS, type OrganizationInput } from '@shared/organizations/model';
import type { OrgDetail, IncubationEvent } from '@shared/contract/organizations';
import { todayInChina } from '@shared/dates/parse';
import type { HubSettings } from '@shared/admin/settings';
import type { CallContext, Trx } from '../api/context';
import { checkVersion, staleVersionError } from '../api/versions';
import type { Db } from '../db/connection';
import { pinyinBoth } from '../text/pinyin';
import type { IncubationEventTable, OrganizationTable } from './tables';

export type OrgRow = Selectable<OrganizationTable>;

const json = (v: unknown) => JSON.stringify(v ?? []);
const parseList = (s: string | null): string[] => {
  try {
    const v = JSON.parse(s ?? '[]');
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/** The lower-case haystack of the search box. */
export function buildSearchText(
  input: Pick<OrganizationInput, 'name' | 'shortName' | 'creditCode' | 'leaderName' | 'leaderPhone' | 'contactName' | 'contactPhone'>,
  /** The name's pinyin when the caller has it already. */
  namePinyin?: { initials: string; full: string },
): string {
  const np = namePinyin ?? pinyinBoth(input.name);
  const sp = pinyinBoth(input.shortName);
  const keys = [...new Set([np.initials, np.full, sp.initials, sp.full].filter(Boolean))].join(' ');
  return [input.name, input.shortName, input.creditCode, input.leaderName, input.leaderPhone, input.contactName, input.contactPhone, keys]
    .filter((v) => v != null && v !== '')
    .join(' ')
    .toLowerCase();
}

/**
 * Columns written from an input (the caller adds id, bookkeeping and the credit-code confirmation). `creditCode`
 * is the code as stored (a copy of the input with it replaced, `{ ...input, creditCode }`, cost an import more
 * than the rest of this function).
 */
export function inputToColumns(input: OrganizationInput, creditCode: string | null = input.creditCode) {
  const np = pinyinBoth(input.name);
  return {
    name: input.name,
    name_pinyin: np.full,
    short_name: input.shortName,
    credit_code: creditCode,
    mgmt_class: input.mgmtClass,
    registered_kind: input.registeredKind,
    region_code: input.regionCode,
    street: input.street,
    community: input.community,
    area_type: input.areaType,
    field_code: input.fieldCode,
    people_served: json(input.peopleServed),
    leader_name: input.leaderName,
    leader_phone: input.leaderPhone,
    contact_name: input.contactName,
    contact_phone: input.contactPhone,
    member_count: input.memberCount,
    volunteer_count: input.volunteerCount,
    founded_date: input.foundedDate,
    charter_adopted: input.charterAdopted ? 1 : 0,
    party_in_charter: input.partyInCharter ? 1 : 0,
    party_org_form: input.partyOrgForm,
    party_instructor: input.partyInstructor,
    mass_orgs: json(input.massOrgs),
    marks: json(input.marks),
    fixed_activity_time: input.fixedActivityTime,
    fixed_activity_place: input.fixedActivityPlace,
    remark: input.remark,
    search_text: buildSearchText(creditCode === input.creditCode ? input : { ...input, creditCode }, np),
  };
}

export function rowToInput(r: OrgRow): OrganizationInput {
  return {
    name: r.name,
    shortName: r.short_name,
    creditCode: r.credit_code,
    creditCodeConfirmed: r.credit_code_confirmed === 1,
    mgmtClass: r.mgmt_class as OrganizationInput['mgmtClass'],
    registeredKind: r.registered_kind as OrganizationInput['registeredKind'],
    regionCode: r.region_code,
    street: r.street,
    community: r.community,
    areaType: r.area_type as OrganizationInput['areaType'],
    fieldCode: r.field_code,
    peopleServed: parseList(r.people_served),
    leaderName: r.leader_name,
    leaderPhone: r.leader_phone,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    memberCount: r.member_count,
    volunteerCount: r.volunteer_count,
    foundedDate: r.founded_date,
    charterAdopted: r.charter_adopted === 1,
    partyInCharter: r.party_in_charter === 1,
    partyOrgForm: r.party_org_form as OrganizationInput['partyOrgForm'],
    partyInstructor: r.party_instructor,
    massOrgs: parseList(r.mass_orgs) as OrganizationInput['massOrgs'],
    marks: parseList(r.marks) as OrganizationInput['marks'],
    fixedActivityTime: r.fixed_activity_time,
    fixedActivityPlace: r.fixed_activity_place,
    remark: r.remark,
  };
}

export { parseList };

/**
 * Applies the credit-code rule. Returns the code to store and whether it is kept by confirmation; throws a
 * VALIDATION error naming the position otherwise (with `details.needsConfirmation` when a confirmation would do).
 */
export function resolveCreditCode(code: string | null, confirmed: boolean, field = 'creditCode'): { code: string | null; confirmed: boolean } {
  if (code == null || code === '') return { code: null, confirmed: false };
  const d = canStoreCreditCode(code, confirmed);
  if (d.ok) return { code: d.code, confirmed: d.confirmed };
  throw new AppError('VALIDATION', `统一社会信用代码:${d.message}`, {
    issues: [{ path: field, message: d.message }],
    details: { needsConfirmation: d.needsConfirmation },
  });
}

/** Another organization holding the code, if any. */
export async function findCodeHolder(db: Db, code: string, excludeId?: string): Promise<{ id: string; name: string } | null> {
  let q = db.selectFrom('organizations').select(['id', 'name']).where('credit_code', '=', code);
  if (excludeId) q = q.where('id', '!=', excludeId);
  return (await q.executeTakeFirst()) ?? null;
}

async function assertCodeFree(db: Db, code: string | null, excludeId?: string) {
  if (!code) return;
  const holder = await findCodeHolder(db, code, excludeId);
  if (holder) throw fail.conflict(`统一社会信用代码 ${code} 已被「${holder.name}」使用,两个组织不能共用一个代码`);
}

/** Notes about a stored code: warnings, the failed check of a confirmed code, a kind that disagrees with the record. */
export function creditCodeNotes(input: Pick<OrganizationInput, 'creditCode' | 'registeredKind' | 'mgmtClass'>, confirmed: boolean): string[] {
  if (!input.creditCode) return [];
  const r = checkCreditCode(input.creditCode);
  const notes = r.problems.map((p) => (p.severity === 'error' && confirmed ? `${p.message}(已核对证书确认保留)` : p.message));
  const kind = r.parts?.civilAffairsKind;
  if (input.mgmtClass === 'registered' && input.registeredKind && kind && kind !== 'other' && kind !== input.registeredKind) {
    notes.push(`代码第2位表示${r.parts!.kindLabel},与登记类型"${REGISTERED_KIND_LABELS[input.registeredKind]}"不一致`);
  }
  return notes;
}

export function filingWarnings(input: OrganizationInput, settings: HubSettings): string[] {
  if (input.mgmtClass !== 'filed') return [];
  return checkFilingConditions(
    { memberCount: input.memberCount, leaderName: input.leaderName, fixedActivityTime: input.fixedActivityTime, fixedActivityPlace: input.fixedActivityPlace },
    { ...DEFAULT_FILING_CONDITIONS, minFixedMembers: settings.filingMinMembers },
  ).map((w) => w.message);
}

const userName = (ctx: CallContext) => ctx.user?.displayName ?? ctx.user?.username ?? '系统';

export async function loadOrg(db: Db, id: string): Promise<OrgRow> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw fail.notFound('组织');
  return row;
}

/** The full row of a new organization (the credit-code rule already applied to `input.creditCode`). */
export function organizationInsertValues(input: OrganizationInput, code: { code: string | null; confirmed: boolean }, meta: { id: string; nowIso: string; confirmedBy: string | null }) {
  return {
    id: meta.id,
    ...inputToColumns(input, code.code),
    credit_code_confirmed: code.confirmed ? 1 : 0,
    credit_code_confirmed_by: code.confirmed ? meta.confirmedBy : null,
    credit_code_confirmed_at: code.confirmed ? meta.nowIso : null,
    incubation_stage: null,
    incubation_date: null,
    incubation_mode: null,
    admitted_date: null,
    mentor: null,
    agreement_end: null,
    status: 'active',
    withdrawn_date: null,
    withdrawn_reason: null,
    activity_count: 0,
    last_activity_date: null,
    latest_grade: null,
    latest_eval_year: null,
    created_at: meta.nowIso,
    updated_at: meta.nowIso,
    version: 1,
  };
}

/** Inserts one organization inside `trx` (used by create and by the importer). */
export async function insertOrganization(
  trx: Trx,
  input: OrganizationInput,
  meta: { id?: string; nowIso: string; confirmedBy: string | null; /** The importer checked codes for the whole file already. */ skipCodeCheck?: boolean },
): Promise<string> {
  const id = meta.id ?? randomUUID();
  const code = resolveCreditCode(input.creditCode, input.creditCodeConfirmed);
  if (!meta.skipCodeCheck) await assertCodeFree(trx, code.code);
  await trx.insertInto('organizations').values(organizationInsertValues(input, code, { id, nowIso: meta.nowIso, confirmedBy: meta.confirmedBy })).execute();
  return id;
}

/** The columns an update writes (always the same set of keys, so one prepared statement serves a whole import). */
export function organizationUpdateValues(before: OrgRow, input: OrganizationInput, code: { code: string | null; confirmed: boolean }, meta: { nowIso: string; confirmedBy: string | null }) {
  const sameConfirmedCode = code.confirmed && before.credit_code_confirmed === 1 && before.credit_code === code.code;
  return {
    ...inputToColumns(input, code.code),
    credit_code_confirmed: code.confirmed ? 1 : 0,
    credit_code_confirmed_by: code.confirmed ? (sameConfirmedCode ? before.credit_code_confirmed_by : meta.confirmedBy) : null,
    credit_code_confirmed_at: code.confirmed ? (sameConfirmedCode ? before.credit_code_confirmed_at : meta.nowIso) : null,
    updated_at: meta.nowIso,
    version: before.version + 1,
  };
}

/** Updates one organization inside `trx`; returns the new version. */
export async function updateOrganizationRow(
  trx: Trx,
  before: OrgRow,
  input: OrganizationInput,
  meta: { nowIso: string; confirmedBy: string | null; expectedVersion?: number; skipCodeCheck?: boolean },
): Promise<number> {
  const code = resolveCreditCode(input.creditCode, input.creditCodeConfirmed);
  if (!meta.skipCodeCheck) await assertCodeFree(trx, code.code, before.id);
  let q = trx.updateTable('organizations').set(organizationUpdateValues(before, input, code, meta)).where('id', '=', before.id);
  if (meta.expectedVersion != null) q = q.where('version', '=', meta.expectedVersion);
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    const now = await trx.selectFrom('organizations').select('version').where('id', '=', before.id).executeTakeFirst();
    if (!now) throw fail.notFound('组织');
    throw await staleVersionError(trx, 'organizations', before.id, meta.expectedVersion ?? before.version, now.version);
  }
  return before.version + 1;
}

/** Inserts an incubation event and moves the denormalized stage columns, inside `trx`. */
export async function recordIncubationEvent(
  trx: Trx,
  org: Pick<OrgRow, 'id' | 'incubation_stage' | 'version'>,
  ev: Omit<IncubationEventTable, 'id' | 'org_id' | 'from_stage' | 'recorded_at'>,
  nowIso: string,
  opts: { historical?: boolean } = {},
): Promise<void> {
  await trx
    .insertInto('org_incubation_events')
    .values({ id: randomUUID(), org_id: org.id, from_stage: org.incubation_stage, recorded_at: nowIso, ...ev })
    .execute();
  const set: Partial<OrgRow> = { incubation_stage: ev.to_stage, incubation_date: ev.date, updated_at: nowIso, version: org.version + 1 };
  // An imported organization already 孵化中 has no separate admission date: its stage date starts the term.
  if (ev.to_stage === 'admitted' || (opts.historical && ev.to_stage === 'incubating')) set.admitted_date = ev.date;
  if (ev.mode) set.incubation_mode = ev.mode;
  if (ev.mentor) set.mentor = ev.mentor;
  if (ev.agreement_end) set.agreement_end = ev.agreement_end;
  await trx.updateTable('organizations').set(set).where('id', '=', org.id).execute();
}

export async function createOrganization(
  ctx: CallContext,
  input: OrganizationInput,
  incubation?: { apply: boolean; date?: string; decidedBy?: string; reason?: string },
): Promise<{ id: string }> {
  const nowIso = ctx.now().toISOString();
  return ctx.write(async (trx) => {
    const id = await insertOrganization(trx, input, { nowIso, confirmedBy: userName(ctx) });
    if (incubation?.apply) {
      const date = incubation.date ?? todayInChina(ctx.now());
      const org = await loadOrg(trx, id);
      await recordIncubationEvent(
        trx,
        org,
        {
          to_stage: 'applied',
          date,
          decided_by: incubation.decidedBy?.trim() || userName(ctx),
          reason: incubation.reason?.trim() || '提交入驻申请',
          mode: null,
          space: null,
          mentor: null,
          agreement_start: null,
          agreement_end: null,
          recorded_by: userName(ctx),
        },
        nowIso,
      );
    }
    await ctx.audit(trx, { entity: 'organization', entityId: id, summary: `新建组织「${input.name}」`, after: input });
    return { id };
  });
}

export async function updateOrganization(ctx: CallContext, id: string, version: number, input: OrganizationInput): Promise<{ version: number }> {
  const nowIso = ctx.now().toISOString();
  return ctx.write(async (trx) => {
    const before = await loadOrg(trx, id);
    if (before.version !== version) throw await staleVersionError(trx, 'organizations', id, version, before.version);
    const newVersion = await updateOrganizationRow(trx, before, input, { nowIso, confirmedBy: userName(ctx), expectedVersion: version });
    const beforeInput = rowToInput(before);
    const changed = (Object.keys(ORG_FIELD_LABELS) as (keyof OrganizationInput)[]).filter(
      (k) => JSON.stringify(beforeInput[k] ?? null) !== JSON.stringify(input[k] ?? null),
    );
    await ctx.audit(trx, {
      entity: 'organization',
      entityId: id,
      summary: `修改组织「${input.name}」${changed.length ? `:${changed.map((k) => ORG_FIELD_LABELS[k]).join('、')}` : '(无变化)'}`,
      before: beforeInput,
      after: input,
    });
    return { version: newVersion };
  });
}

/** 退出: the record stays with its date and reason; an incubation in progress is closed as withdrawn too. */
export async function withdrawOrganization(ctx: CallContext, id: string, date: string, reason: string, version?: number): Promise<void> {
  const nowIso = ctx.now().toISOString();
  const today = todayInChina(ctx.now());
  if (date > today) throw fail.validation(`退出日期 ${date} 晚于今天(${today})`, [{ path: 'date', message: '退出日期不能晚于今天' }]);
  await ctx.write(async (trx) => {
    const before = await loadOrg(trx, id);
    await checkVersion(trx, 'organizations', id, version);
    if (before.status === 'withdrawn') throw fail.rule(`「${before.name}」已于 ${before.withdrawn_date} 退出`);
    const stage = before.incubation_stage as IncubationStage | null;
    if (stage && stage !== 'graduated' && stage !== 'withdrawn') {
      if (before.incubation_date && date < before.incubation_date) {
        throw fail.validation(`退出日期不能早于最近一次孵化阶段变更(${before.incubation_date})`);
      }
      await recordIncubationEvent(
        trx,
        before,
        { to_stage: 'withdrawn', date, decided_by: userName(ctx), reason, mode: null, space: null, mentor: null, agreement_start: null, agreement_end: null, recorded_by: userName(ctx) },
        nowIso,
      );
    }
    const current = await loadOrg(trx, id);
    await trx
      .updateTable('organizations')
      .set({ status: 'withdrawn', withdrawn_date: date, withdrawn_reason: reason, updated_at: nowIso, version: current.version + 1 })
      .where('id', '=', id)
      .execute();
    await ctx.audit(trx, {
      entity: 'organization',
      entityId: id,
      summary: `组织「${before.name}」退出:${reason}`,
      before: { status: before.status },
      after: { status: 'withdrawn', withdrawnDate: date, withdrawnReason: reason },
    });
  });
}

export function eventFromRow(e: Selectable<IncubationEventTable>): IncubationEvent {
  return {
    id: e.id,
    fromStage: e.from_stage as IncubationStage | null,
    toStage: e.to_stage as IncubationStage,
    date: e.date,
    decidedBy: e.decided_by,
    reason: e.reason,
    mode: e.mode,
    space: e.space,
    mentor: e.mentor,
    agreementStart: e.agreement_start,
    agreementEnd: e.agreement_end,
    recordedBy: e.recorded_by,
    recordedAt: e.recorded_at,
  };
}

export async function getOrganization(ctx: CallContext, id: string): Promise<OrgDetail> {
  const row = await loadOrg(ctx.db, id);
  const settings = await ctx.core.settings();
  const history = await ctx.db.selectFrom('org_incubation_events').selectAll().where('org_id', '=', id).orderBy('recorded_at').orderBy('date').execute();
  const input = rowToInput(row);
  const today = todayInChina(ctx.now());
  return {
    id: row.id,
    version: row.version,
    input,
    creditCodeConfirmedBy: row.credit_code_confirmed_by,
    creditCodeConfirmedAt: row.credit_code_confirmed_at,
    creditCodeNotes: creditCodeNotes(input, row.credit_code_confirmed === 1),
    incubationStage: row.incubation_stage as IncubationStage | null,
    incubationDate: row.incubation_date,
    incubationMode: row.incubation_mode,
    admittedDate: row.admitted_date,
    mentor: row.mentor,
    agreementEnd: row.agreement_end,
    term: incubationTerm({
      stage: row.incubation_stage as IncubationStage | null,
      admittedDate: row.admitted_date,
      agreementEnd: row.agreement_end,
      termMonths: settings.incubationTermMonths,
      today,
    }),
    status: row.status,
    withdrawnDate: row.withdrawn_date,
    withdrawnReason: row.withdrawn_reason,
    filingWarnings: filingWarnings(input, settings),
    history: history.map(eventFromRow),
    activityCount: row.activity_count,
    lastActivityDate: row.last_activity_date,
    latestGrade: row.latest_grade,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function checkCode(ctx: CallContext, code: string, excludeId?: string) {
  const r = checkCreditCode(code);
  const duplicateOf = r.status !== 'invalid' ? await findCodeHolder(ctx.db, r.code, excludeId) : null;
  return {
    code: r.code,
    status: r.status,
    confirmable: r.confirmable,
    messages: r.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    warnings: r.problems.filter((p) => p.severity === 'warning').map((p) => p.message),
    kindLabel: r.parts?.kindLabel ?? null,
    authorityLabel: r.parts?.authorityLabel ?? null,
    regionCode: r.parts?.regionCode ?? null,
    duplicateOf,
  };
}
