/**
 * 学员花名册 import on the import engine: one row per person, matched to the people already registered by ID
 * number (then name + phone); ID numbers are checked (check digit, birth date; a lower-case x is accepted and
 * stored upper-case), duplicates inside the file are refused, and 人员类别 labels become the training-role codes
 * of the dictionary. Re-importing the same roster changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@shared/errors';
import { DICTIONARY_KINDS } from '@shared/admin/dictionaries';
import { normalizeText } from '@shared/text/normalize';
import { idCheckChar } from '@shared/training/idNumber';
import { TRAINEE_TEXT_RULES } from '@shared/training/text';
import type { CallContext, Trx } from '../api/context';
import { cellText } from '../importing/readTable';
import { nextVersion } from '../api/versions';
import { commitTableImport, importShapedExport, importTemplate, previewTableImport, type Importer, type PlannedRow } from '../importing/engine';
import type { TableImportCommitInput, TableImportInput } from '@shared/importing/contract';
import { chinaToday, dictEntries, organizationIdsByName } from './common';
import { duplicateOf, traineeKeys, writeSearchKeys, type TraineeKeys } from './trainees';

type Key = 'name' | 'idNumber' | 'phone' | 'role' | 'organization' | 'unitName' | 'note';

const FIELDS = [
  { key: 'name', title: '姓名', aliases: ['学员姓名', '名字'], required: true },
  { key: 'idNumber', title: '身份证号', aliases: ['身份证号码', '证件号码', '公民身份号码', '身份证'] },
  { key: 'phone', title: '手机号', aliases: ['手机', '手机号码', '联系电话', '电话', '联系方式'] },
  { key: 'role', title: '人员类别', aliases: ['类别', '角色', '身份', '培训对象类别', '人员类型'] },
  { key: 'organization', title: '所属组织', aliases: ['组织名称', '所在组织', '社会组织'] },
  { key: 'unitName', title: '工作单位', aliases: ['单位', '所在单位', '单位名称'] },
  { key: 'note', title: '备注', aliases: ['说明'] },
] as const satisfies readonly { key: Key; title: string; aliases: readonly string[]; required?: boolean }[];

interface Payload {
  existingId: string | null;
  keys: TraineeKeys;
  role: string;
  organizationId: string | null;
  unitName: string | null;
  note: string | null;
}

const PATH_TO_KEY: Record<string, Key> = { name: 'name', phone: 'phone', idNumber: 'idNumber' };

/** Role label → code: the dictionary's labels, and the label without brackets (街道民政助理 → 街道(乡镇)民政助理). */
function roleLookup(entries: { code: string; label: string; active: boolean }[]) {
  const plain = (s: string) => normalizeText(s).replace(/[\s()（）]/g, '').replace(/乡镇|村/g, '');
  const map = new Map<string, string>();
  for (const e of entries) {
    map.set(normalizeText(e.label), e.code);
    map.set(e.code, e.code);
    if (!map.has(plain(e.label))) map.set(plain(e.label), e.code);
  }
  return (label: string) => map.get(normalizeText(label)) ?? map.get(plain(label)) ?? null;
}

export const traineeImporter: Importer<Key, Payload> = {
  name: 'training.trainees',
  title: '学员花名册',
  entity: 'training_trainee',
  fields: FIELDS,
  async vocabularies(db) {
    const roles = await dictEntries(db, 'training_role');
    const roleOf = roleLookup(roles);
    return {
      role: {
        kind: 'training_role',
        title: DICTIONARY_KINDS.training_role,
        options: roles.filter((r) => r.active).map((r) => ({ code: r.code, label: r.label })),
        knows: (label) => roleOf(label) !== null,
      },
    };
  },
  async plan(_ctx, rows, p) {
    const roles = await dictEntries(p.db, 'training_role');
    const roleOf = roleLookup(roles);
    const orgNames = rows.map((r) => cellText(r.values.organization ?? null)).filter(Boolean);
    const orgIds = await organizationIdsByName(p.db, orgNames);
    const firstById = new Map<string, number>();
    const firstByNamePhone = new Map<string, number>();
    const out: PlannedRow<Payload>[] = [];
    for (const r of rows) {
      const issues: { column: string; message: string }[] = [];
      const warnings: string[] = [];
      const err = (k: Key, message: string) => issues.push({ column: p.column(k), message });
      const name = cellText(r.values.name ?? null);
      const row: PlannedRow<Payload> = { rowNumber: r.rowNumber, label: name, action: 'error', issues, warnings, changes: [] };
      out.push(row);
      let keys: TraineeKeys | null = null;
      try {
        keys = traineeKeys({ name, phone: cellText(r.values.phone ?? null) || null, idNumber: cellText(r.values.idNumber ?? null) || null }, p.today);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        for (const i of e.issues ?? []) err(PATH_TO_KEY[String(i.path)] ?? 'name', i.message);
        if (!e.issues?.length) err('name', e.message);
      }
      const roleText = cellText(r.values.role ?? null);
      let role: string | null = null;
      if (roleText) {
        role = roleOf(roleText);
        if (!role) err('role', `人员类别"${roleText}"不在字典中(可选:${roles.filter((x) => x.active).map((x) => x.label).join('、')})`);
      }
      const orgText = cellText(r.values.organization ?? null);
      const organizationId = orgText ? (orgIds.get(orgText) ?? null) : null;
      if (orgText && !organizationId) err('organization', `找不到名为"${orgText}"的组织,请先在组织台账中登记或改为填写工作单位`);
      if (!keys) continue;
      if (keys.idNumber) {
        const first = firstById.get(keys.idNumber);
        if (first != null) err('idNumber', `与第 ${first} 行的身份证号相同,同一人只能出现一次`);
        else firstById.set(keys.idNumber, r.rowNumber);
      } else if (keys.phone) {
        const k = `${keys.nameKey}|${keys.phone}`;
        const first = firstByNamePhone.get(k);
        if (first != null) err('name', `与第 ${first} 行姓名和手机号相同,同一人只能出现一次`);
        else firstByNamePhone.set(k, r.rowNumber);
      }
      const { outcome } = await duplicateOf(p.db, keys);
      if (outcome.kind === 'conflict') err(keys.idNumber ? 'idNumber' : 'name', outcome.message);
      const existing = outcome.kind === 'same' ? outcome.existing.row : null;
      if (outcome.kind === 'same' && outcome.nameDiffers) warnings.push(outcome.message);
      if (!existing && !role && !issues.some((i) => i.column === p.column('role'))) err('role', '新学员请填写人员类别');
      if (issues.length) continue;
      const unitName = p.has('unitName') ? TRAINEE_TEXT_RULES.unitName(cellText(r.values.unitName ?? null)) || null : (existing?.unit_name ?? null);
      // the note keeps its line breaks (Alt+Enter in a cell), as the form keeps them
      const noteCell = r.values.note ?? null;
      const note = p.has('note') ? (typeof noteCell === 'string' ? TRAINEE_TEXT_RULES.note(noteCell) : cellText(noteCell)) || null : (existing?.note ?? null);
      const payload: Payload = {
        existingId: existing?.id ?? null,
        keys: {
          ...keys,
          // a column the file does not have keeps what is stored
          phone: keys.phone ?? (p.has('phone') ? null : (existing?.phone ?? null)),
          phoneDigits: keys.phoneDigits ?? (p.has('phone') ? null : (existing?.phone_digits ?? null)),
          idNumber: keys.idNumber ?? existing?.id_number ?? null,
        },
        role: role ?? existing!.role,
        organizationId: p.has('organization') ? organizationId : (existing?.organization_id ?? null),
        unitName,
        note,
      };
      if (!existing) row.action = 'create';
      else {
        const changes: string[] = [];
        if (existing.name !== payload.keys.name) changes.push(p.column('name'));
        if ((existing.phone ?? null) !== payload.keys.phone) changes.push(p.column('phone'));
        if ((existing.id_number ?? null) !== payload.keys.idNumber) changes.push(p.column('idNumber'));
        if (existing.role !== payload.role) changes.push(p.column('role'));
        if ((existing.organization_id ?? null) !== payload.organizationId) changes.push(p.column('organization'));
        if ((existing.unit_name ?? null) !== payload.unitName) changes.push(p.column('unitName'));
        if ((existing.note ?? null) !== payload.note) changes.push(p.column('note'));
        row.changes = changes;
        row.action = changes.length ? 'update' : 'unchanged';
      }
      if (row.action !== 'unchanged') row.payload = payload;
    }
    return out;
  },
  async apply(ctx, trx: Trx, rows) {
    const now = ctx.now().toISOString();
    for (const r of rows) {
      const p = r.payload!;
      const values = {
        name: p.keys.name,
        name_key: p.keys.nameKey,
        phone: p.keys.phone,
        phone_digits: p.keys.phoneDigits,
        id_number: p.keys.idNumber,
        role: p.role,
        organization_id: p.organizationId,
        unit_name: p.unitName,
        readings: p.keys.readings,
        note: p.note,
        updated_at: now,
      };
      const id = p.existingId ?? randomUUID();
      if (p.existingId) await trx.updateTable('training_trainees').set({ ...values, version: nextVersion() }).where('id', '=', id).execute();
      else await trx.insertInto('training_trainees').values({ ...values, id, created_at: now, version: 1 }).execute();
      await writeSearchKeys(trx, id, p.keys);
    }
  },
};

export const previewTraineeImport = (ctx: CallContext, input: TableImportInput) => previewTableImport(ctx, traineeImporter, input, chinaToday(ctx.now()));
export const commitTraineeImport = (ctx: CallContext, input: TableImportCommitInput) => commitTableImport(ctx, traineeImporter, input, chinaToday(ctx.now()));
export const traineeImportTemplate = () =>
  importTemplate(FIELDS, ['王芳', `11010119900307123${idCheckChar('11010119900307123')}`, '13800138000', '社区志愿者', '', 'XX社区居委会', ''], '学员花名册', '学员花名册导入模板.xlsx');

/**
 * The whole roster as a file in this importer's shape (the template's columns), full ID numbers included — so it is
 * an administrator's call and audited like revealing one number: 人员类别 by its label, the organization by its name.
 * Importing it into the same hub changes nothing; into a fresh hub that has the organizations it gives the same people.
 */
export async function exportTraineesForImport(ctx: CallContext) {
  const roles = new Map((await dictEntries(ctx.db, 'training_role')).map((e) => [e.code, e.label]));
  const rows = await ctx.db
    .selectFrom('training_trainees as t')
    .leftJoin('organizations as o', 'o.id', 't.organization_id')
    .select(['t.name', 't.id_number', 't.phone', 't.role', 'o.name as orgName', 't.unit_name', 't.note'])
    .orderBy('t.name')
    .orderBy('t.id')
    .execute();
  const file = await importShapedExport(
    FIELDS,
    rows.map((t) => ({ name: t.name, idNumber: t.id_number, phone: t.phone, role: roles.get(t.role) ?? t.role, organization: t.orgName, unitName: t.unit_name, note: t.note })),
    '学员花名册',
    `学员花名册-${chinaToday(ctx.now())}.xlsx`,
  );
  return ctx.write(async (trx) => {
    await ctx.audit(trx, { entity: 'training_trainee', entityId: null, summary: `导出学员花名册(含完整身份证号),共 ${rows.length} 人` });
    return file;
  });
}
