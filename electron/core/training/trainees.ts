import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Role } from '@shared/roles';
import { fail, type ErrorIssue } from '@shared/errors';
import type { Trainee, TraineeDuplicate, TraineeInput } from '@shared/contract/training';
import { checkIdNumber, idNumberForRoles, canChangeIdNumber } from '@shared/training/idNumber';
import { normalizeName, normalizePhone } from '@shared/training/normalize';
import { findExistingPerson, type ExistingPerson } from '@shared/training/dedupe';
import { searchIndexKeys } from '@shared/training/signinMatch';
import { encodedNameReadings } from '@shared/training/pinyinKeys';
import type { CallContext, Trx } from '../api/context';
import { checkVersion, nextVersion } from '../api/versions';
import type { Db } from '../db/connection';
import type { TrainingTraineeTable } from './tables';
import { checkOrganization, chinaToday, organizationNames, requireDictCode } from './common';

export interface TraineeKeys {
  name: string;
  nameKey: string;
  phone: string | null;
  phoneDigits: string | null;
  idNumber: string | null;
  readings: string;
}

/** Normalizes and checks name, phone and ID number; every problem is named with its field. */
export function traineeKeys(input: { name: string; phone?: string | null; idNumber?: string | null }, today: string): TraineeKeys {
  const issues: ErrorIssue[] = [];
  const name = normalizeName(input.name);
  if (!name.ok) issues.push({ path: 'name', message: name.message });
  let phone: string | null = null;
  let phoneDigits: string | null = null;
  if (input.phone && input.phone.trim()) {
    const p = normalizePhone(input.phone);
    if (p.ok) {
      phone = p.value;
      phoneDigits = p.digits;
    } else issues.push({ path: 'phone', message: p.message });
  }
  let idNumber: string | null = null;
  if (input.idNumber && input.idNumber.trim()) {
    const r = checkIdNumber(input.idNumber, today);
    if (r.ok) idNumber = r.info.value;
    else issues.push({ path: 'idNumber', message: r.message });
  }
  if (issues.length || !name.ok) throw fail.validation(issues.map((i) => i.message).join('；'), issues);
  return { name: name.value, nameKey: name.key, phone, phoneDigits, idNumber, readings: encodedNameReadings(name.value) };
}

type TraineeRow = Pick<TrainingTraineeTable, 'id' | 'name' | 'name_key' | 'phone' | 'id_number' | 'role' | 'organization_id' | 'unit_name' | 'note' | 'created_at' | 'version'>;

export function toTrainee(row: TraineeRow, roles: readonly Role[], orgName: string | null): Trainee {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    idNumber: idNumberForRoles(row.id_number, roles),
    idNumberMasked: !!row.id_number,
    role: row.role,
    organizationId: row.organization_id,
    organizationName: orgName,
    unitName: row.unit_name,
    note: row.note,
    createdAt: row.created_at,
    version: row.version,
  };
}

export async function loadTrainees(db: Db, ids: readonly string[], roles: readonly Role[]): Promise<Map<string, Trainee>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('training_trainees').selectAll().where('id', 'in', [...ids]).execute();
  const orgs = await organizationNames(db, rows.map((r) => r.organization_id));
  return new Map(rows.map((r) => [r.id, toTrainee(r, roles, r.organization_id ? (orgs.get(r.organization_id) ?? null) : null)]));
}

export async function requireTrainee(db: Db, id: string, roles: readonly Role[]): Promise<Trainee> {
  const t = (await loadTrainees(db, [id], roles)).get(id);
  if (!t) throw fail.notFound('学员');
  return t;
}

/** The stored people this person could be: same ID number, or same name and phone. */
export async function duplicateOf(db: Db, keys: TraineeKeys, excludeId?: string) {
  const q = db
    .selectFrom('training_trainees')
    .selectAll()
    .where((eb) => {
      const ors = [];
      if (keys.idNumber) ors.push(eb('id_number', '=', keys.idNumber));
      if (keys.phone) ors.push(eb.and([eb('name_key', '=', keys.nameKey), eb('phone', '=', keys.phone)]));
      return ors.length ? eb.or(ors) : eb.val(0).$castTo<boolean>();
    });
  const rows = (await q.execute()).filter((r) => r.id !== excludeId);
  const candidates = rows.map((r) => ({ id: r.id, idNumber: r.id_number, nameKey: r.name_key, phone: r.phone, row: r }));
  return { outcome: findExistingPerson<ExistingPerson & { row: (typeof rows)[0] }>(keys, candidates) };
}

export async function checkDuplicate(ctx: CallContext, input: TraineeInput): Promise<TraineeDuplicate | null> {
  const keys = traineeKeys(input, chinaToday(ctx.now()));
  const { outcome } = await duplicateOf(ctx.db, keys, input.id);
  if (outcome.kind === 'new') return null;
  const roles = ctx.requireUser().roles;
  const existing = await requireTrainee(ctx.db, outcome.existing.id, roles);
  return { kind: outcome.kind, by: outcome.kind === 'same' ? outcome.by : null, message: outcome.message, existing };
}

export async function writeSearchKeys(trx: Trx, id: string, keys: TraineeKeys): Promise<void> {
  await trx.deleteFrom('training_trainee_keys').where('trainee_id', '=', id).execute();
  const list = searchIndexKeys({ nameKey: keys.nameKey, readings: keys.readings, phoneDigits: keys.phoneDigits });
  await trx.insertInto('training_trainee_keys').values(list.map((key) => ({ key, trainee_id: id }))).execute();
}

/**
 * Creates or updates a trainee. A new person who is already registered (same ID number, or same name and
 * phone) is refused with CONFLICT carrying the existing person, so the form can offer them instead.
 */
export async function saveTrainee(ctx: CallContext, input: TraineeInput): Promise<Trainee> {
  const user = ctx.requireUser();
  // A form shown to a non-admin carries the masked number: that means "unchanged", never a new number.
  const keepStoredId = !!input.idNumber && input.idNumber.includes('*');
  const keys = traineeKeys({ ...input, idNumber: keepStoredId ? null : input.idNumber }, chinaToday(ctx.now()));
  return ctx.write(async (trx) => {
    await requireDictCode(trx, 'training_role', input.role, 'role', '人员类别');
    await checkOrganization(trx, input.organizationId);
    const before = input.id ? await trx.selectFrom('training_trainees').selectAll().where('id', '=', input.id).executeTakeFirst() : undefined;
    if (input.id && !before) throw fail.notFound('学员');
    if (before) await checkVersion(trx, 'training_trainees', before.id, input.version);
    if (keepStoredId) {
      if (!before?.id_number) throw fail.validation('身份证号不完整', [{ path: 'idNumber', message: '请填写完整的18位身份证号' }]);
      keys.idNumber = before.id_number;
    }
    if (before?.id_number && keys.idNumber !== before.id_number && !canChangeIdNumber(user.roles)) {
      throw fail.forbidden('只有系统管理员可以修改或删除已登记的身份证号');
    }
    const { outcome } = await duplicateOf(trx, keys, input.id);
    if (outcome.kind !== 'new') {
      const existing = await requireTrainee(trx, outcome.existing.id, user.roles);
      throw fail.conflict(outcome.message, {
        duplicate: { kind: outcome.kind, by: outcome.kind === 'same' ? outcome.by : null, message: outcome.message, existing },
      });
    }
    const now = ctx.now().toISOString();
    const values = {
      name: keys.name,
      name_key: keys.nameKey,
      phone: keys.phone,
      phone_digits: keys.phoneDigits,
      id_number: keys.idNumber,
      role: input.role,
      organization_id: input.organizationId ?? null,
      unit_name: input.unitName?.trim() || null,
      readings: keys.readings,
      note: input.note?.trim() || null,
      updated_at: now,
    };
    const id = before ? before.id : randomUUID();
    if (before) await trx.updateTable('training_trainees').set({ ...values, version: nextVersion() }).where('id', '=', id).execute();
    else await trx.insertInto('training_trainees').values({ ...values, id, created_at: now, version: 1 }).execute();
    await writeSearchKeys(trx, id, keys);
    // The audit log keeps ID numbers masked: it is read by more people than admins.
    const after = await requireTrainee(trx, id, []);
    await ctx.audit(trx, {
      entity: 'training_trainee',
      entityId: id,
      summary: `${before ? '修改' : '新增'}学员「${keys.name}」`,
      before: before ? toTrainee(before, [], null) : undefined,
      after,
    });
    return requireTrainee(trx, id, user.roles);
  });
}

/** The whole stored number, for an admin who asked for it explicitly; the asking is written to the audit log. */
export async function revealIdNumber(ctx: CallContext, id: string): Promise<{ idNumber: string | null }> {
  return ctx.write(async (trx) => {
    const row = await trx.selectFrom('training_trainees').select(['id', 'name', 'id_number']).where('id', '=', id).executeTakeFirst();
    if (!row) throw fail.notFound('学员');
    await ctx.audit(trx, {
      entity: 'training_trainee',
      entityId: id,
      summary: `查看学员「${row.name}」的完整身份证号`,
    });
    return { idNumber: row.id_number };
  });
}

/**
 * For the door and the import: the existing person (same ID, or same name and phone), or a new one.
 * Runs inside the caller's transaction; audited as a creation when it creates.
 */
export async function findOrCreateTrainee(
  ctx: CallContext,
  trx: Trx,
  input: { keys: TraineeKeys; role: string | null; organizationId: string | null; unitName: string | null },
): Promise<{ id: string; created: boolean; message: string | null }> {
  const { outcome } = await duplicateOf(trx, input.keys);
  if (outcome.kind === 'conflict') throw fail.conflict(outcome.message);
  if (outcome.kind === 'same') return { id: outcome.existing.id, created: false, message: outcome.message };
  if (!input.role) throw fail.validation('新学员需要填写人员类别', [{ path: 'role', message: '新学员需要填写人员类别' }]);
  const now = ctx.now().toISOString();
  const id = randomUUID();
  await trx
    .insertInto('training_trainees')
    .values({
      id,
      version: 1,
      name: input.keys.name,
      name_key: input.keys.nameKey,
      phone: input.keys.phone,
      phone_digits: input.keys.phoneDigits,
      id_number: input.keys.idNumber,
      role: input.role,
      organization_id: input.organizationId,
      unit_name: input.unitName,
      readings: input.keys.readings,
      note: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await writeSearchKeys(trx, id, input.keys);
  await ctx.audit(trx, { entity: 'training_trainee', entityId: id, summary: `新增学员「${input.keys.name}」`, after: await requireTrainee(trx, id, []) });
  return { id, created: true, message: null };
}
