/**
 * 台账 workbook import. One routine serves the preview and the real import: the preview is the same analysis run
 * without writing (so what the user sees is exactly what will be written), and the import re-runs it inside the
 * write transaction. Rows matching an existing organization (same credit code; else same name in the same
 * street) are updates, and unchanged rows are reported as such, so re-importing an export changes nothing.
 * All-or-nothing, or valid rows only; either way one transaction and one audit entry listing what changed.
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { fail } from '@shared/errors';
import { todayInChina } from '@shared/dates/parse';
import { CIVIL_AFFAIRS_KIND_BY_CHAR, canStoreCreditCode } from '@shared/organizations/creditCode';
import {
  ORG_COLUMN_BY_KEY,
  ORG_KNOWN_HEADERS,
  autoMapHeaders,
  checkMapping,
  headerSignature,
  parseSheetRow,
  type ColumnMapping,
  type OrgSheetKey,
  type OrgSheetRecord,
} from '@shared/organizations/columns';
import {
  INCUBATION_STAGE_LABELS,
  TRANSITION_FIELD_LABELS,
  validateInitialStage,
  validateTransition,
  type IncubationStage,
} from '@shared/organizations/incubation';
import { ORG_FIELD_LABELS, REGISTERED_KIND_LABELS, zOrganizationInput, type OrganizationInput, type RegisteredKind } from '@shared/organizations/model';
import type { ImportResult, ImportRowResult } from '@shared/contract/organizations';
import type { HubSettings } from '@shared/admin/settings';
import type { CallContext, Trx } from '../api/context';
import type { Db, SqliteHandle } from '../db/connection';
import { readTable, type Table } from '../importing/readTable';
import { breathe, mapYielding } from '../api/breathe';
import { orgDictionaries } from './exporter';
import {
  creditCodeNotes,
  filingWarnings,
  organizationInsertValues,
  organizationUpdateValues,
  recordIncubationEvent,
  resolveCreditCode,
  rowToInput,
  type OrgRow,
} from './records';

export const IMPORTER_NAME = 'organizations';
const IMPORT_DECIDER = '台账导入';

const INPUT_KEYS = new Set<string>(Object.keys(ORG_FIELD_LABELS));

export interface ImportRequest {
  file: { name: string; base64: string };
  sheetName?: string;
  mapping?: (string | null)[];
}

interface Planned {
  result: ImportRowResult;
  input?: OrganizationInput;
  /** The credit code as stored and its confirmation (what `resolveCreditCode` gives), decided by the analysis. */
  code?: { code: string | null; confirmed: boolean };
  existing?: OrgRow;
  stage?: { to: IncubationStage; date: string; mode: string | null; historical: boolean } | null;
  withdraw?: { date: string; reason: string } | null;
}

/** The registered kind position 2 of a civil-affairs credit code (position 1 = 5) names, or null. */
export function inferRegisteredKind(code: string): RegisteredKind | null {
  const c = code.trim().toUpperCase();
  if (c.length !== 18 || c[0] !== '5') return null;
  const kind = CIVIL_AFFAIRS_KIND_BY_CHAR[c[1] as keyof typeof CIVIL_AFFAIRS_KIND_BY_CHAR];
  return kind && kind !== 'other' ? kind : null;
}

const sortedJson = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...v].sort() : (v ?? null));

/** Reads the file: expected titles find the header below title rows; a file with unknown titles uses its first row. */
async function readImportTable(req: ImportRequest): Promise<Table> {
  const buffer = Buffer.from(req.file.base64, 'base64');
  try {
    return await readTable({ buffer, fileName: req.file.name }, { sheetName: req.sheetName, expectedHeaders: ORG_KNOWN_HEADERS, minHeaderMatches: 2 });
  } catch (e) {
    if (e instanceof Error && e.message.includes('没有找到表头行')) return readTable({ buffer, fileName: req.file.name }, { sheetName: req.sheetName });
    throw e;
  }
}

async function rememberedMapping(db: Db, signature: string): Promise<ColumnMapping | null> {
  const row = await db
    .selectFrom('import_mappings')
    .select('mapping_json')
    .where('importer', '=', IMPORTER_NAME)
    .where('source_key', '=', signature)
    .executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.mapping_json) as ColumnMapping;
  } catch {
    return null;
  }
}

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

/**
 * The analysis. `db` is the plain connection for a preview and the transaction for a real import, so the real
 * import sees exactly the rows it is about to change (`sqlite` is the same connection, for prepared lookups).
 */
async function analyze(db: Db, sqlite: SqliteHandle, req: ImportRequest, today: string, settings: HubSettings, read?: Table) {
  const table = read ?? (await readImportTable(req));
  const signature = headerSignature(table.headers);
  let mapping: ColumnMapping;
  let remembered = false;
  if (req.mapping) {
    mapping = table.headers.map((_, i) => (req.mapping![i] ?? null) as OrgSheetKey | null);
  } else {
    const saved = await rememberedMapping(db, signature);
    if (saved && saved.length === table.headers.length) {
      mapping = saved;
      remembered = true;
    } else mapping = autoMapHeaders(table.headers);
  }
  const base: Omit<ImportResult, 'rows' | 'counts' | 'committed' | 'mappingIssues'> = {
    format: table.format,
    encoding: table.encoding ?? null,
    sheetName: table.sheetName ?? null,
    headerRowNumber: table.headerRowNumber,
    headers: table.headers,
    mapping,
    mappingRemembered: remembered,
  };
  const mappingIssues = checkMapping(mapping, table.headers);
  if (mappingIssues.length) return { base, mappingIssues, planned: [] as Planned[], signature };

  const dicts = await orgDictionaries(db);
  const columnOf = new Map<string, string>();
  mapping.forEach((k, i) => k && columnOf.set(k, table.headers[i] || ORG_COLUMN_BY_KEY.get(k)!.header));
  const colTitle = (key: string) => columnOf.get(key) ?? ORG_FIELD_LABELS[key as keyof OrganizationInput] ?? ORG_COLUMN_BY_KEY.get(key as OrgSheetKey)?.header ?? key;
  const streetMapped = columnOf.has('street');
  const kindMapped = columnOf.has('registeredKind');

  // Existing organizations are looked up per row through their indexes (credit code; name and street), not loaded
  // whole: an index of 50,000 organizations in maps was tens of megabytes held through the whole import.
  const codeHolderStmt = sqlite.prepare('SELECT id, name FROM organizations WHERE credit_code = ?');
  const byNameStmt = sqlite.prepare('SELECT id FROM organizations WHERE name = ?').pluck();
  const byNameStreetStmt = sqlite.prepare("SELECT id FROM organizations WHERE name = ? AND coalesce(street, '') = ?").pluck();

  // Pass 1: parse cells and find the organization each row refers to. A row's raw cells are let go as soon as it
  // is parsed (a 30,000-row sheet's cells are tens of megabytes the rest of the import does not need).
  const rows = table.rows;
  table.rows = [];
  const parsed = await mapYielding(rows, (row, i) => {
    rows[i] = null as never;
    const { rowNumber } = row;
    const { record, issues } = parseSheetRow(rowNumber, row.cells, mapping, table.headers, dicts);
    let matchId: string | null = null;
    let matchName: string | null = null;
    const codeHolder = record.creditCode ? ((codeHolderStmt.get(record.creditCode) as { id: string; name: string } | undefined) ?? null) : null;
    if (codeHolder) {
      matchId = codeHolder.id;
      matchName = codeHolder.name;
    } else if (record.name) {
      const candidates = (streetMapped ? byNameStreetStmt.all(record.name, record.street ?? '') : byNameStmt.all(record.name)) as string[];
      if (candidates.length === 1) {
        matchId = candidates[0];
        matchName = record.name;
      } else if (candidates.length > 1) {
        issues.push({ row: rowNumber, column: colTitle('name'), message: `有 ${candidates.length} 个同名组织,请填写统一社会信用代码或街道以区分` });
      }
    }
    return { rowNumber, record, issues, matchId, matchName, codeHolder };
  });

  // Pass 2: full rows of the matched organizations.
  const matchedIds = [...new Set(parsed.map((p) => p.matchId).filter((x): x is string => !!x))];
  const existingById = new Map<string, OrgRow>();
  for (let i = 0; i < matchedIds.length; i += 500) {
    const rows = await db.selectFrom('organizations').selectAll().where('id', 'in', matchedIds.slice(i, i + 500)).execute();
    for (const r of rows) existingById.set(r.id, r);
  }

  // Pass 3: validate, detect duplicates inside the file, compute changes.
  const firstRowOfOrg = new Map<string, number>();
  const firstRowOfCode = new Map<string, number>();
  const firstRowOfNew = new Map<string, number>();
  const planned: Planned[] = await mapYielding(parsed, ({ rowNumber, record, issues, matchId, matchName, codeHolder }, i): Planned => {
    parsed[i] = null as never; // the parsed cells are not needed past this row
    const cellIssues = issues.map((i) => ({ column: i.column, message: i.message }));
    const warnings: string[] = [];
    const name = record.name ?? '';
    const result: ImportRowResult = { rowNumber: rowNumber, name, action: 'error', orgId: matchId, issues: cellIssues, changes: [], warnings };
    const err = (key: string, message: string) => cellIssues.push({ column: colTitle(key), message });
    if (!record.name && !cellIssues.some((i) => i.column === colTitle('name'))) err('name', '组织名称不能为空');

    // duplicates inside the file
    if (matchId) {
      const first = firstRowOfOrg.get(matchId);
      if (first != null) err('name', `与第 ${first} 行是同一个组织(${matchName}),同一组织只能出现一次`);
      else firstRowOfOrg.set(matchId, rowNumber);
    } else if (record.name) {
      const k = `${record.name}\u0000${streetMapped ? (record.street ?? '') : ''}`;
      const first = firstRowOfNew.get(k);
      if (first != null) err('name', `与第 ${first} 行重复(同名${streetMapped ? '且同街道' : ''})`);
      else firstRowOfNew.set(k, rowNumber);
    }
    if (record.creditCode) {
      const first = firstRowOfCode.get(record.creditCode);
      if (first != null) err('creditCode', `与第 ${first} 行的统一社会信用代码相同`);
      else firstRowOfCode.set(record.creditCode, rowNumber);
      if (codeHolder && matchId && codeHolder.id !== matchId) err('creditCode', `已被「${codeHolder.name}」使用`);
    }

    const existing = matchId ? existingById.get(matchId) : undefined;
    // the stored values (or the blank defaults) overlaid with the file's columns: `rowToInput` gives a new object
    const merged: Record<string, unknown> = existing ? rowToInput(existing) : blankInput();
    for (const k in record) if (INPUT_KEYS.has(k)) merged[k] = record[k as OrgSheetKey];
    // A confirmation belongs to one code: a changed code must be confirmed again (by the column, if present).
    if (existing && record.creditCode !== undefined && record.creditCode !== existing.credit_code && record.creditCodeConfirmed === undefined) {
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
    let code: Planned['code'];
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
    let stage: Planned['stage'] = null;
    const currentStage = (existing?.incubation_stage ?? null) as IncubationStage | null;
    if (record.incubationStage) {
      const date = record.incubationDate ?? null;
      if (!existing || currentStage === null) {
        for (const i of validateInitialStage(record.incubationStage, date, today)) err(i.field === 'date' ? 'incubationDate' : 'incubationStage', i.message);
        stage = { to: record.incubationStage, date: date ?? today, mode: record.incubationMode ?? null, historical: true };
      } else if (record.incubationStage !== currentStage) {
        const issues2 = validateTransition(
          { from: currentStage, lastDate: existing.incubation_date, today },
          { to: record.incubationStage, date: date ?? '', decidedBy: IMPORT_DECIDER, reason: IMPORT_DECIDER, mode: record.incubationMode ?? existing.incubation_mode as never },
        );
        for (const i of issues2) {
          const key = i.field === 'date' ? 'incubationDate' : i.field === 'mode' ? 'incubationMode' : 'incubationStage';
          err(key, ['mentor', 'agreementStart', 'agreementEnd'].includes(i.field) ? `${i.message},请在组织详情页办理` : i.message.replace(/^请填写日期$/, `请填写阶段日期(${TRANSITION_FIELD_LABELS.date})`));
        }
        stage = { to: record.incubationStage, date: date ?? today, mode: record.incubationMode ?? null, historical: false };
      } else if (date && existing.incubation_date && date !== existing.incubation_date) {
        warnings.push(`阶段日期与记录(${existing.incubation_date})不同,孵化记录不会被修改`);
      }
    } else if (record.incubationStage === null && currentStage) {
      warnings.push(`文件中孵化阶段为空,保留现有阶段"${INCUBATION_STAGE_LABELS[currentStage]}"`);
    }

    // status / withdrawal
    let withdraw: Planned['withdraw'] = null;
    const wantWithdrawn = record.status === 'withdrawn';
    if (wantWithdrawn && existing?.status !== 'withdrawn') {
      if (!record.withdrawnDate) err('withdrawnDate', '状态为"已退出"时请填写退出日期');
      else if (record.withdrawnDate > today) err('withdrawnDate', `退出日期 ${record.withdrawnDate} 晚于今天(${today})`);
      if (!record.withdrawnReason) err('withdrawnReason', '状态为"已退出"时请填写退出原因');
      if (record.withdrawnDate && record.withdrawnReason) withdraw = { date: record.withdrawnDate, reason: record.withdrawnReason };
    } else if (record.status === 'active' && existing?.status === 'withdrawn') {
      err('status', `该组织已于 ${existing.withdrawn_date} 退出,不能通过导入恢复`);
    }

    if (cellIssues.length === 0 && input) {
      if (!existing) {
        result.action = 'create';
        result.changes = [];
      } else {
        const before = rowToInput(existing);
        const changes: string[] = [];
        for (const k of Object.keys(record)) {
          if (!INPUT_KEYS.has(k)) continue;
          const key = k as keyof OrganizationInput;
          if (sortedJson(before[key]) !== sortedJson(input[key])) changes.push(colTitle(k));
        }
        if (stage) changes.push(`${colTitle('incubationStage')}:${currentStage ? INCUBATION_STAGE_LABELS[currentStage] : '无'}→${INCUBATION_STAGE_LABELS[stage.to]}`);
        if (withdraw) changes.push(`${colTitle('status')}:退出`);
        result.changes = changes;
        result.action = changes.length ? 'update' : 'unchanged';
      }
    }
    return { result, input, code, existing, stage, withdraw };
  });
  return { base, mappingIssues, planned, signature };
}

function summarize(base: Omit<ImportResult, 'rows' | 'counts' | 'committed' | 'mappingIssues'>, mappingIssues: string[], planned: Planned[], committed: boolean): ImportResult {
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const p of planned) counts[p.result.action]++;
  return { ...base, mappingIssues, rows: planned.map((p) => p.result), counts, committed };
}

export async function previewImport(ctx: CallContext, req: ImportRequest): Promise<ImportResult> {
  const { base, mappingIssues, planned } = await analyze(ctx.db, ctx.core.sqlite, req, todayInChina(ctx.now()), await ctx.core.settings());
  return summarize(base, mappingIssues, planned, false);
}

export async function commitImport(ctx: CallContext, req: ImportRequest & { mode: 'all' | 'validOnly' }): Promise<ImportResult> {
  const today = todayInChina(ctx.now());
  const settings = await ctx.core.settings();
  const nowIso = ctx.now().toISOString();
  const who = ctx.user?.displayName ?? ctx.user?.username ?? '导入';
  return commitInTransaction(ctx, req, today, settings, nowIso, who);
}

async function commitInTransaction(
  ctx: CallContext,
  req: ImportRequest & { mode: 'all' | 'validOnly' },
  today: string,
  settings: HubSettings,
  nowIso: string,
  who: string,
): Promise<ImportResult> {
  // The file is read and parsed before the write lock is taken: other calls keep answering meanwhile.
  const table = await readImportTable(req);
  return ctx.write(async (trx) => {
    const { base, mappingIssues, planned, signature } = await analyze(trx, ctx.core.sqlite, req, today, settings, table);
    if (mappingIssues.length) throw fail.validation(`列对应关系有误:${mappingIssues.join(';')}`);
    const bad = planned.filter((p) => p.result.action === 'error');
    if (req.mode === 'all' && bad.length) {
      const issues = bad.flatMap((p) => p.result.issues.map((i) => ({ row: p.result.rowNumber, path: i.column, message: i.message }))).slice(0, 500);
      throw fail.validation(`共有 ${bad.length} 行有错误,未导入任何数据。请修正后重新导入,或选择"只导入无误的行"`, issues);
    }
    let insertStmt: Statement | undefined;
    let updateStmt: Statement | undefined;
    const created: { id: string; name: string; row: number }[] = [];
    const updated: { id: string; name: string; row: number; changes: string[] }[] = [];
    let done = 0;
    for (const p of planned) {
      if (++done % 1000 === 0) await breathe(); // reads keep answering on their own connection meanwhile
      const { result, input } = p;
      if (!input || (result.action !== 'create' && result.action !== 'update')) continue;
      let id: string;
      // The analysis has checked every code against the database and the file; the rows go through one prepared
      // statement on the transaction's connection (building and preparing a kysely query per row was most of the
      // time of a 30,000-row import).
      const code = p.code ?? resolveCreditCode(input.creditCode, input.creditCodeConfirmed);
      if (result.action === 'create') {
        id = randomUUID();
        const values = organizationInsertValues(input, code, { id, nowIso, confirmedBy: who });
        insertStmt ??= ctx.core.sqlite.prepare(`INSERT INTO organizations (${Object.keys(values).join(', ')}) VALUES (${Object.keys(values).map((k) => `@${k}`).join(', ')})`);
        insertStmt.run(values);
        created.push({ id, name: input.name, row: result.rowNumber });
      } else {
        id = p.existing!.id;
        const values = organizationUpdateValues(p.existing!, input, code, { nowIso, confirmedBy: who });
        updateStmt ??= ctx.core.sqlite.prepare(`UPDATE organizations SET ${Object.keys(values).map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id AND version = @expectedVersion`);
        if (updateStmt.run({ ...values, id, expectedVersion: p.existing!.version }).changes !== 1) throw fail.conflict(`第 ${result.rowNumber} 行的组织在导入时被其他人修改,请重新导入`);
        updated.push({ id, name: input.name, row: result.rowNumber, changes: result.changes });
      }
      result.orgId = id;
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
    // Remember the mapping for the next file with the same columns.
    await trx
      .insertInto('import_mappings')
      .values({ importer: IMPORTER_NAME, source_key: signature, mapping_json: JSON.stringify(base.mapping), updated_at: nowIso })
      .onConflict((oc) => oc.columns(['importer', 'source_key']).doUpdateSet({ mapping_json: JSON.stringify(base.mapping), updated_at: nowIso }))
      .execute();
    const skipped = planned.filter((p) => p.result.action === 'error').map((p) => ({ row: p.result.rowNumber, name: p.result.name }));
    const unchanged = planned.filter((p) => p.result.action === 'unchanged').length;
    await ctx.audit(trx, {
      entity: 'organization',
      entityId: null,
      summary: `导入组织台账「${req.file.name}」:新增 ${created.length}、更新 ${updated.length}、未变 ${unchanged}${skipped.length ? `、跳过有错误的 ${skipped.length} 行` : ''}`,
      after: { file: req.file.name, mode: req.mode, created, updated, skipped },
    });
    return summarize(base, mappingIssues, planned, true);
  });
}
