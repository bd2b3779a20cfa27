/**
 * 台账 workbook import, on the import engine every importer shares (`electron/core/importing/engine.ts`): the
 * preview is the real import run dry, errors name the row and the column, unknown labels of the lists (活动领域,
 * 服务对象, 登记类型…) go through the engine's mapping step, and the import is all-or-nothing or valid rows only,
 * in one transaction with one audit entry. Rows matching an existing organization (same credit code; else same
 * name in the same street) are updates, and unchanged rows are reported as such, so re-importing an export
 * changes nothing. What is the organization ledger's own is here: parsing its columns, matching, the checks of a
 * row (every problem at once), and writing the rows (engineSql.ts, per engine: prepared statements per row on SQLite,
 * a query per chunk of rows on PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import { orgLookups, orgWriter } from './engineSql';
import { fail } from '@shared/errors';
import { todayInChina } from '@shared/dates/parse';
import { DICTIONARY_KINDS } from '@shared/admin/dictionaries';
import { CIVIL_AFFAIRS_KIND_BY_CHAR, canStoreCreditCode } from '@shared/organizations/creditCode';
import { ORG_COLUMNS, ORG_COLUMN_BY_KEY, type Cell, type OrgSheetKey, type OrgSheetRecord } from '@shared/organizations/columns';
import {
  INCUBATION_MODE_LABELS,
  INCUBATION_STAGE_LABELS,
  TRANSITION_FIELD_LABELS,
  validateInitialStage,
  validateTransition,
  type IncubationStage,
} from '@shared/organizations/incubation';
import {
  AREA_TYPE_LABELS,
  MASS_ORG_LABELS,
  MGMT_CLASS_LABELS,
  ORG_FIELD_LABELS,
  ORG_MARK_LABELS,
  ORG_STATUS_LABELS,
  PARTY_ORG_FORM_LABELS,
  REGISTERED_KIND_LABELS,
  zOrganizationInput,
  type OrganizationInput,
  type RegisteredKind,
} from '@shared/organizations/model';
import type { ImportResult } from '@shared/contract/organizations';
import type { TableImportInput } from '@shared/importing/contract';
import type { CallContext, Trx } from '../api/context';
import { breathe } from '../api/breathe';
import { outgoingRows, runTableImportCommit, runTableImportPreview, type EngineRun, type Importer, type PlannedRow, type Vocabulary } from '../importing/engine';
import { orgDictionaries } from './exporter';
import {
  creditCodeNotes,
  filingWarnings,
  organizationInsertValues,
  organizationUpdateValues,
  recordIncubationEvent,
  rowToInput,
  type OrgRow,
} from './records';
import { nameKeyIndex } from './duplicateNames';
import { duplicateNameWarning, orgNameKey } from '@shared/organizations/duplicateName';

export const IMPORTER_NAME = 'organizations';
const IMPORT_DECIDER = '台账导入';

const INPUT_KEYS = new Set<string>(Object.keys(ORG_FIELD_LABELS));
/** Rows parsed and looked up together (one query per chunk on PostgreSQL). */
const PLAN_CHUNK = 1000;

export type ImportRequest = TableImportInput;

interface Payload {
  input: OrganizationInput;
  /** The credit code as stored and its confirmation (what `resolveCreditCode` gives), decided by the plan. */
  code: { code: string | null; confirmed: boolean };
  existing?: OrgRow;
  stage: { to: IncubationStage; date: string; mode: string | null; historical: boolean } | null;
  withdraw: { date: string; reason: string } | null;
}

/** The registered kind position 2 of a civil-affairs credit code (position 1 = 5) names, or null. */
export function inferRegisteredKind(code: string): RegisteredKind | null {
  const c = code.trim().toUpperCase();
  if (c.length !== 18 || c[0] !== '5') return null;
  const kind = CIVIL_AFFAIRS_KIND_BY_CHAR[c[1] as keyof typeof CIVIL_AFFAIRS_KIND_BY_CHAR];
  return kind && kind !== 'other' ? kind : null;
}

const sortedJson = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...v].sort() : (v ?? null));

/**
 * The defaults of a new organization, as a new object literal per row: a copy made with `{ ...BLANK }` that then
 * took the file's columns cost V8 a new hidden class per row (about 10 KB and 30 µs per row, a second of a
 * 30,000-row import and much of its garbage).
 */
const blankInput = (): Record<string, unknown> => ({
  creditCodeConfirmed: false,
  peopleServed: [],
  massOrgs: [],
  marks: [],
  charterAdopted: false,
  partyInCharter: false,
  partyOrgForm: 'none',
});

const FIELDS = ORG_COLUMNS.map((c) => ({ key: c.key, title: c.header, aliases: c.aliases, required: c.key === 'name' }));

/** The ledger's list columns for the mapping step: a label is known when the column's own parser reads it. */
async function orgVocabularies(db: Parameters<NonNullable<Importer<OrgSheetKey, Payload>['vocabularies']>>[0]) {
  const dicts = await orgDictionaries(db);
  const fixed = (labels: Record<string, string>) => Object.entries(labels).map(([code, label]) => ({ code, label }));
  const list = (key: OrgSheetKey, kind: string, title: string, options: { code: string; label: string }[], multi = false): Vocabulary => {
    const column = ORG_COLUMN_BY_KEY.get(key)!;
    return { kind, title, multi, options, knows: (label) => !('error' in column.parse(label, dicts)) };
  };
  const out: Partial<Record<OrgSheetKey, Vocabulary>> = {
    fieldCode: list('fieldCode', 'org_field', DICTIONARY_KINDS.org_field, dicts.org_field),
    peopleServed: list('peopleServed', 'people_served', DICTIONARY_KINDS.people_served, dicts.people_served, true),
    mgmtClass: list('mgmtClass', 'mgmt_class', '管理类别', fixed(MGMT_CLASS_LABELS)),
    registeredKind: list('registeredKind', 'registered_kind', '登记类型', fixed(REGISTERED_KIND_LABELS)),
    areaType: list('areaType', 'area_type', '城市/农村', fixed(AREA_TYPE_LABELS)),
    partyOrgForm: list('partyOrgForm', 'party_org_form', '党组织形式', fixed(PARTY_ORG_FORM_LABELS)),
    massOrgs: list('massOrgs', 'mass_org', '群团组织', fixed(MASS_ORG_LABELS), true),
    marks: list('marks', 'org_mark', '标识', fixed(ORG_MARK_LABELS), true),
    incubationStage: list('incubationStage', 'incubation_stage', '孵化阶段', fixed(INCUBATION_STAGE_LABELS)),
    incubationMode: list('incubationMode', 'incubation_mode', '孵化方式', fixed(INCUBATION_MODE_LABELS)),
    status: list('status', 'org_status', '状态', fixed(ORG_STATUS_LABELS)),
  };
  return out;
}

export const organizationImporter: Importer<OrgSheetKey, Payload> = {
  name: IMPORTER_NAME,
  title: '组织台账',
  entity: 'organization',
  fields: FIELDS,
  minHeaderMatches: 2,
  firstRowWhenNoHeader: true,
  vocabularies: orgVocabularies,

  async plan(ctx, rows, p) {
    const db = p.db;
    const today = p.today;
    const settings = await ctx.core.settings();
    const dicts = await orgDictionaries(db);
    const colTitle = (key: string) =>
      p.has(key as OrgSheetKey) ? p.column(key as OrgSheetKey) : (ORG_FIELD_LABELS[key as keyof OrganizationInput] ?? ORG_COLUMN_BY_KEY.get(key as OrgSheetKey)?.header ?? key);
    const streetMapped = p.has('street');
    const kindMapped = p.has('registeredKind');
    const mapped = FIELDS.filter((f) => p.has(f.key)).map((f) => [f.key, ORG_COLUMN_BY_KEY.get(f.key)!, p.column(f.key)] as const);

    // Existing organizations are looked up through their indexes (credit code; name and street), not loaded whole:
    // an index of 50,000 organizations in maps was tens of megabytes held through the whole import. The rows are
    // planned a chunk at a time: the chunk's cells are parsed first, so its keys can be looked up together
    // (PostgreSQL: one query per chunk instead of round trips per row; SQLite: prepared statements per row).
    const find = orgLookups(db, ctx.core.sqlite);

    const firstRowOfOrg = new Map<string, number>();
    const firstRowOfCode = new Map<string, number>();
    const firstRowOfNew = new Map<string, number>();
    // Issue 18: a name equal to another organization's (width, blanks, bracket variants aside) is a warning.
    const nameKeys = await nameKeyIndex(db);
    const firstRowOfNameKey = new Map<string, { row: number; name: string }>();
    const out: PlannedRow<Payload>[] = new Array(rows.length);
    const parsed: { rowNumber: number; rec: OrgSheetRecord; cellIssues: { column: string; message: string }[] }[] = [];
    for (let n = 0; n < rows.length; n++) {
      if (n % PLAN_CHUNK === 0) {
        if (n > 0) await breathe(); // reads keep answering on their own connection meanwhile
        // cells → record for the chunk; a cell that does not parse is an issue naming the file's column
        parsed.length = 0;
        for (let m = n; m < Math.min(rows.length, n + PLAN_CHUNK); m++) {
          const { rowNumber, values } = rows[m];
          rows[m] = null as never; // a row's cells are let go as soon as it is parsed
          const record: Record<string, unknown> = {};
          const cellIssues: { column: string; message: string }[] = [];
          for (const [key, column, title] of mapped) {
            const r = column.parse((values[key] ?? null) as Cell, dicts);
            if ('error' in r) cellIssues.push({ column: title, message: r.error });
            else record[key] = r.value;
          }
          parsed.push({ rowNumber, rec: record as OrgSheetRecord, cellIssues });
        }
        await find.prefetch(parsed.map((r) => r.rec));
      }
      const { rowNumber, rec, cellIssues } = parsed[n % PLAN_CHUNK];

      // the organization the row refers to
      let matchId: string | null = null;
      let matchName: string | null = null;
      const codeHolder = rec.creditCode ? ((await find.codeHolder(rec.creditCode)) ?? null) : null;
      if (codeHolder) {
        matchId = codeHolder.id;
        matchName = codeHolder.name;
      } else if (rec.name) {
        const candidates = await (streetMapped ? find.idsByNameStreet(rec.name, rec.street ?? '') : find.idsByName(rec.name));
        if (candidates.length === 1) {
          matchId = candidates[0];
          matchName = rec.name;
        } else if (candidates.length > 1) {
          cellIssues.push({ column: colTitle('name'), message: `有 ${candidates.length} 个同名组织,请填写统一社会信用代码或街道以区分` });
        }
      }

      const warnings: string[] = [];
      const row: PlannedRow<Payload> = { rowNumber, label: rec.name ?? '', action: 'error', ref: matchId, issues: cellIssues, changes: [], warnings };
      out[n] = row;
      const err = (key: string, message: string) => cellIssues.push({ column: colTitle(key), message });
      const record_ = rec;
      if (!record_.name && !cellIssues.some((i) => i.column === colTitle('name'))) err('name', '组织名称不能为空');
      if (record_.name) {
        const key = orgNameKey(record_.name);
        const others = (nameKeys.get(key) ?? []).filter((o) => o.id !== matchId);
        if (others.length) warnings.push(duplicateNameWarning(record_.name, others.map((o) => o.name)));
        const first = firstRowOfNameKey.get(key);
        if (first && first.name !== record_.name) warnings.push(`名称与本文件第 ${first.row} 行「${first.name}」仅全角半角、空格或括号写法不同，请核对是否为同一组织`);
        else if (!first) firstRowOfNameKey.set(key, { row: rowNumber, name: record_.name });
      }
      const existing = matchId ? await find.byId(matchId) : undefined;
      // duplicates inside the file
      if (matchId) {
        const first = firstRowOfOrg.get(matchId);
        if (first != null) err('name', `与第 ${first} 行是同一个组织(${matchName}),同一组织只能出现一次`);
        else firstRowOfOrg.set(matchId, rowNumber);
      } else if (record_.name) {
        const k = `${record_.name}\u0000${streetMapped ? (record_.street ?? '') : ''}`;
        const first = firstRowOfNew.get(k);
        if (first != null) err('name', `与第 ${first} 行重复(同名${streetMapped ? '且同街道' : ''})`);
        else firstRowOfNew.set(k, rowNumber);
      }
      if (record_.creditCode) {
        const first = firstRowOfCode.get(record_.creditCode);
        if (first != null) err('creditCode', `与第 ${first} 行的统一社会信用代码相同`);
        else firstRowOfCode.set(record_.creditCode, rowNumber);
        if (codeHolder && matchId && codeHolder.id !== matchId) err('creditCode', `已被「${codeHolder.name}」使用`);
      }

      // the stored values (or the blank defaults) overlaid with the file's columns: `rowToInput` gives a new object
      const merged: Record<string, unknown> = existing ? rowToInput(existing) : blankInput();
      for (const k in record_) if (INPUT_KEYS.has(k)) merged[k] = record_[k as OrgSheetKey];
      // A confirmation belongs to one code: a changed code must be confirmed again (by the column, if present).
      if (existing && record_.creditCode !== undefined && record_.creditCode !== existing.credit_code && record_.creditCodeConfirmed === undefined) {
        merged.creditCodeConfirmed = false;
      }
      // No 登记类型 column: a registered organization's kind is what position 2 of its civil-affairs code says.
      if (!kindMapped && merged.mgmtClass === 'registered' && !merged.registeredKind && typeof merged.creditCode === 'string') {
        const inferred = inferRegisteredKind(merged.creditCode);
        if (inferred) {
          merged.registeredKind = inferred;
          warnings.push(`登记类型按统一社会信用代码第2位推断为"${REGISTERED_KIND_LABELS[inferred]}"(文件中没有登记类型列)`);
        }
      }
      if (merged.mgmtClass === 'registered' && typeof merged.creditCode === 'string' && merged.creditCode.length === 18 && merged.creditCode[0] !== '5') {
        warnings.push(`统一社会信用代码第1位是"${merged.creditCode[0]}",不是民政部门登记的"5",请核对是否为依法登记的社会组织`);
      }
      if (typeof merged.foundedDate === 'string' && merged.foundedDate > today) err('foundedDate', `成立日期 ${merged.foundedDate} 晚于今天(${today})`);
      const parsedInput = zOrganizationInput.safeParse(merged);
      let input: OrganizationInput | undefined;
      let code: Payload['code'] | undefined;
      const creditMessage = (d: { message: string; needsConfirmation?: boolean }) =>
        d.needsConfirmation ? `${d.message.split(';')[0]};如与证书一致,请在"代码已核对证书"列填"是"` : d.message;
      if (!parsedInput.success) {
        // every problem of the row at once: the object's own checks (credit code, 登记类型…) run only when every
        // field parses, so they are run again with the failing fields left blank
        const failing = new Set<string>();
        for (const issue of parsedInput.error.issues) {
          const key = String(issue.path[0] ?? 'name');
          failing.add(key);
          let message = issue.message;
          if (key === 'creditCode' && typeof merged.creditCode === 'string') {
            const d = canStoreCreditCode(merged.creditCode, merged.creditCodeConfirmed === true);
            if (!d.ok) message = creditMessage(d);
          }
          if (!cellIssues.some((c) => c.column === colTitle(key))) err(key, message);
        }
        const defaults = blankInput();
        const rest: Record<string, unknown> = { ...merged };
        for (const key of failing) rest[key] = key === 'name' ? '未命名组织' : (defaults[key] ?? null);
        const again = zOrganizationInput.safeParse(rest);
        if (!again.success) {
          for (const issue of again.error.issues) {
            const key = String(issue.path[0] ?? 'name');
            if (failing.has(key) || cellIssues.some((c) => c.column === colTitle(key))) continue;
            let message = issue.message;
            if (key === 'creditCode' && typeof merged.creditCode === 'string') {
              const d = canStoreCreditCode(merged.creditCode, merged.creditCodeConfirmed === true);
              if (!d.ok) message = creditMessage(d);
            }
            err(key, message);
          }
        }
      } else {
        input = parsedInput.data;
        if (input.creditCode) {
          const d = canStoreCreditCode(input.creditCode, input.creditCodeConfirmed);
          if (!d.ok) {
            err('creditCode', d.needsConfirmation ? `${d.message.split(';')[0]};如与证书一致,请在"代码已核对证书"列填"是"` : d.message);
          } else code = { code: d.code, confirmed: d.confirmed };
        } else code = { code: null, confirmed: false };
        warnings.push(...filingWarnings(input, settings), ...creditCodeNotes(input, input.creditCodeConfirmed).filter((n) => !n.includes('应为')));
      }

      // incubation stage
      let stage: Payload['stage'] = null;
      const currentStage = (existing?.incubation_stage ?? null) as IncubationStage | null;
      if (record_.incubationStage) {
        const date = record_.incubationDate ?? null;
        if (!existing || currentStage === null) {
          for (const i of validateInitialStage(record_.incubationStage, date, today)) err(i.field === 'date' ? 'incubationDate' : 'incubationStage', i.message);
          stage = { to: record_.incubationStage, date: date ?? today, mode: record_.incubationMode ?? null, historical: true };
        } else if (record_.incubationStage !== currentStage) {
          const issues2 = validateTransition(
            { from: currentStage, lastDate: existing.incubation_date, today },
            { to: record_.incubationStage, date: date ?? '', decidedBy: IMPORT_DECIDER, reason: IMPORT_DECIDER, mode: record_.incubationMode ?? existing.incubation_mode as never },
          );
          for (const i of issues2) {
            const key = i.field === 'date' ? 'incubationDate' : i.field === 'mode' ? 'incubationMode' : 'incubationStage';
            err(key, ['mentor', 'agreementStart', 'agreementEnd'].includes(i.field) ? `${i.message},请在组织详情页办理` : i.message.replace(/^请填写日期$/, `请填写阶段日期(${TRANSITION_FIELD_LABELS.date})`));
          }
          stage = { to: record_.incubationStage, date: date ?? today, mode: record_.incubationMode ?? null, historical: false };
        } else if (date && existing.incubation_date && date !== existing.incubation_date) {
          warnings.push(`阶段日期与记录(${existing.incubation_date})不同,孵化记录不会被修改`);
        }
      } else if (record_.incubationStage === null && currentStage) {
        warnings.push(`文件中孵化阶段为空,保留现有阶段"${INCUBATION_STAGE_LABELS[currentStage]}"`);
      }

      // status / withdrawal
      let withdraw: Payload['withdraw'] = null;
      const wantWithdrawn = record_.status === 'withdrawn';
      if (wantWithdrawn && existing?.status !== 'withdrawn') {
        if (!record_.withdrawnDate) err('withdrawnDate', '状态为"已退出"时请填写退出日期');
        else if (record_.withdrawnDate > today) err('withdrawnDate', `退出日期 ${record_.withdrawnDate} 晚于今天(${today})`);
        if (!record_.withdrawnReason) err('withdrawnReason', '状态为"已退出"时请填写退出原因');
        if (record_.withdrawnDate && record_.withdrawnReason) withdraw = { date: record_.withdrawnDate, reason: record_.withdrawnReason };
      } else if (record_.status === 'active' && existing?.status === 'withdrawn') {
        err('status', `该组织已于 ${existing.withdrawn_date} 退出,不能通过导入恢复`);
      }

      if (cellIssues.length === 0 && input) {
        if (!existing) {
          row.action = 'create';
          row.changes = [];
        } else {
          const before = rowToInput(existing);
          const changes: string[] = [];
          for (const k of Object.keys(record_)) {
            if (!INPUT_KEYS.has(k)) continue;
            const key = k as keyof OrganizationInput;
            if (sortedJson(before[key]) !== sortedJson(input[key])) changes.push(colTitle(k));
          }
          if (stage) changes.push(`${colTitle('incubationStage')}:${currentStage ? INCUBATION_STAGE_LABELS[currentStage] : '无'}→${INCUBATION_STAGE_LABELS[stage.to]}`);
          if (withdraw) changes.push(`${colTitle('status')}:退出`);
          row.changes = changes;
          row.action = changes.length ? 'update' : 'unchanged';
        }
      }
      if (row.action !== 'error' && row.action !== 'unchanged' && input && code) row.payload = { input, code, existing, stage, withdraw };
    }
    return out;
  },

  async apply(ctx, trx, rows) {
    const nowIso = ctx.now().toISOString();
    const who = ctx.user?.displayName ?? ctx.user?.username ?? '导入';
    const writer = orgWriter(trx, ctx.core.sqlite, (row) => fail.conflict(`第 ${row} 行的组织在导入时被其他人修改,请重新导入`));
    let done = 0;
    for (const r of rows) {
      if (++done % 1000 === 0) await breathe(); // reads keep answering on their own connection meanwhile
      const p = r.payload!;
      const input = p.input;
      let id: string;
      // The analysis has checked every code against the database and the file; the rows go through the writer on
      // the transaction's connection (SQLite: one prepared statement; PostgreSQL: multi-row statements per chunk —
      // building a kysely query per row, or a round trip per row, was most of the time of a 30,000-row import).
      const code = p.code;
      if (r.action === 'create') {
        id = randomUUID();
        const values = organizationInsertValues(input, code, { id, nowIso, confirmedBy: who });
        await writer.insert(values);
      } else {
        id = p.existing!.id;
        const values = organizationUpdateValues(p.existing!, input, code, { nowIso, confirmedBy: who });
        await writer.update(values, id, p.existing!.version, r.rowNumber);
      }
      r.ref = id;
      // the stage and the withdrawal read and write the row itself: what is pending goes first
      if (p.stage || p.withdraw) await writer.flush();
      if (p.stage) {
        const org = await trx.selectFrom('organizations').select(['id', 'incubation_stage', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
        await recordIncubationEvent(
          trx as Trx,
          org,
          {
            to_stage: p.stage.to,
            date: p.stage.date,
            decided_by: IMPORT_DECIDER,
            reason: p.stage.historical ? `台账导入(导入时已处于"${INCUBATION_STAGE_LABELS[p.stage.to]}"阶段)` : IMPORT_DECIDER,
            mode: p.stage.mode,
            space: null,
            mentor: null,
            agreement_start: null,
            agreement_end: null,
            recorded_by: who,
          },
          nowIso,
          { historical: p.stage.historical },
        );
      }
      if (p.withdraw) {
        await trx
          .updateTable('organizations')
          .set({ status: 'withdrawn', withdrawn_date: p.withdraw.date, withdrawn_reason: p.withdraw.reason, updated_at: nowIso })
          .where('id', '=', id)
          .execute();
      }
    }
    await writer.flush();
  },
};

const orgRowView = (r: PlannedRow<Payload>) => ({ rowNumber: r.rowNumber, name: r.label, action: r.action, orgId: r.ref ?? null, issues: r.issues, changes: r.changes, warnings: r.warnings });

// the rows as the engine sends them (`outgoingRows`: the first page and the errors; a preview keeps the rest for paging)
const orgResult = (ctx: CallContext, { result, planned }: EngineRun<Payload>): ImportResult => ({
  format: result.format,
  encoding: result.encoding,
  sheetName: result.sheetName,
  headerRowNumber: result.headerRowNumber,
  headers: result.headers,
  mapping: result.mapping as ImportResult['mapping'],
  mappingRemembered: result.mappingRemembered,
  mappingIssues: result.mappingIssues,
  labels: result.labels,
  vocabularies: result.vocabularies,
  ...outgoingRows(ctx, planned, !result.committed, orgRowView),
  counts: result.counts,
  committed: result.committed,
});

export async function previewImport(ctx: CallContext, req: ImportRequest): Promise<ImportResult> {
  return orgResult(ctx, await runTableImportPreview(ctx, organizationImporter, req, todayInChina(ctx.now())));
}

export async function commitImport(ctx: CallContext, req: ImportRequest & { mode: 'all' | 'validOnly' }): Promise<ImportResult> {
  return orgResult(ctx, await runTableImportCommit(ctx, organizationImporter, req, todayInChina(ctx.now())));
}
