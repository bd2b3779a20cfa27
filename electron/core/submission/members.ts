import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { zHubKeyFile, type HubKeyFile, type MemberHubRow, type MemberOrgRow } from '@shared/contract/submission';
import { checkRegionCode, LEVEL_LABELS, levelRank, regionContains, type Level } from '@shared/submission/region';
import { isHubId } from '@shared/submission/globalId';
import { sameFingerprint } from '@shared/submission/fingerprint';
import { checkCreditCode } from '@shared/organizations/creditCode';
import type { CallContext } from '../api/context';
import { requireHub } from '../admin/hubService';
import type { Db } from '../db/connection';
import { loadPublicKey, publicKeyFingerprint } from './package/keys';
import { ensureHubKey } from './hubKey';
import { normalizeRegionCode } from './extract';

// ───────────── the registration file a hub hands to its federation ─────────────

export async function ownKeyFile(ctx: CallContext): Promise<HubKeyFile> {
  const hub = await requireHub(ctx.db);
  const key = ensureHubKey(ctx.core.dataDir, { hubId: hub.hubId, hubName: hub.name });
  return {
    format: 'incubase-hub-key',
    hubId: hub.hubId,
    hubName: hub.name,
    regionCode: normalizeRegionCode(hub.regionCode) ?? hub.regionCode,
    level: hub.level as Level,
    publicKeyPem: key.publicKeyPem,
    fingerprint: key.fingerprint,
  };
}

/** Parses and checks a registration file: shape, hub id, region for the level, an Ed25519 key matching its fingerprint. */
export function parseKeyFile(text: string): HubKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail.validation('公钥登记文件不是有效的 JSON：请使用对方在“上报汇总 → 本单位密钥”中导出的文件');
  }
  const parsed = zHubKeyFile.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw fail.validation(`公钥登记文件内容不完整：${i.path.join('.')} ${i.message}`);
  }
  const f = parsed.data;
  if (!isHubId(f.hubId)) throw fail.validation('公钥登记文件中的单位编号格式错误');
  const region = checkRegionCode(f.regionCode, f.level);
  if (!region.ok) throw fail.validation(`公钥登记文件中的${region.message}`);
  let fp: string;
  try {
    fp = publicKeyFingerprint(loadPublicKey(f.publicKeyPem));
  } catch (e) {
    throw fail.validation((e as Error).message);
  }
  if (!sameFingerprint(fp, f.fingerprint)) throw fail.validation('公钥登记文件中的指纹与公钥不符，文件可能被改动');
  return { ...f, regionCode: region.code, fingerprint: fp };
}

// ───────────── member hubs ─────────────

export async function listMemberHubs(db: Db): Promise<MemberHubRow[]> {
  const rows = await db.selectFrom('sub_member_hubs').selectAll().orderBy('region_code').orderBy('name').execute();
  const stats = await sql<{ hub_id: string; n: number; last: string | null }>`
    SELECT hub_id, count(*) AS n, max(CASE WHEN status = 'active' THEN period END) AS last FROM sub_packages GROUP BY hub_id`.execute(db);
  const byHub = new Map(stats.rows.map((r) => [r.hub_id, r]));
  return rows.map((r) => ({
    id: r.id,
    hubId: r.hub_id,
    name: r.name,
    regionCode: r.region_code,
    level: r.level as Level,
    fingerprint: r.fingerprint,
    contact: r.contact,
    note: r.note,
    active: r.active === 1,
    registeredAt: r.registered_at,
    lastPeriod: byHub.get(r.hub_id)?.last ?? null,
    packages: byHub.get(r.hub_id)?.n ?? 0,
  }));
}

/** A member hub lies inside this hub's region at a lower level: its data rolls up under this hub's node. */
function requireBelow(own: { name: string; regionCode: string; level: string }, f: HubKeyFile): void {
  const ownCode = normalizeRegionCode(own.regionCode) ?? own.regionCode;
  const ownLevel = own.level as Level;
  if (levelRank(f.level) <= levelRank(ownLevel) || !regionContains(ownCode, ownLevel, f.regionCode, f.level)) {
    throw fail.rule(
      `“${f.hubName}”(${LEVEL_LABELS[f.level]}级，区划 ${f.regionCode})不在本单位“${own.name}”(${LEVEL_LABELS[ownLevel]}级，区划 ${ownCode})的辖区之下，不能登记为下级单位`,
    );
  }
}

export async function registerMemberHub(ctx: CallContext, input: { keyFile: string; contact: string; note: string }) {
  const f = parseKeyFile(input.keyFile);
  const own = await requireHub(ctx.db);
  if (f.hubId === own.hubId) throw fail.rule('这是本单位自己的公钥，不能登记为下级单位');
  requireBelow(own, f);
  return ctx.write(async (trx) => {
    const existing = await trx.selectFrom('sub_member_hubs').selectAll().where('hub_id', '=', f.hubId).executeTakeFirst();
    if (existing) throw fail.conflict(`单位“${existing.name}”已登记(编号 ${f.hubId})；如需更换公钥，请在该单位上使用“更换公钥”`);
    const now = ctx.now().toISOString();
    const row = {
      id: randomUUID(),
      hub_id: f.hubId,
      name: f.hubName,
      region_code: f.regionCode,
      level: f.level,
      public_key_pem: f.publicKeyPem,
      fingerprint: f.fingerprint,
      contact: input.contact,
      note: input.note,
      active: 1,
      registered_at: now,
      updated_at: now,
    };
    await trx.insertInto('sub_member_hubs').values(row).execute();
    await ctx.audit(trx, {
      entity: 'member_hub',
      entityId: row.id,
      summary: `登记下级单位「${f.hubName}」(${LEVEL_LABELS[f.level]}级，公钥指纹 ${f.fingerprint})`,
      after: { ...row, public_key_pem: undefined },
    });
    return { id: row.id, fingerprint: f.fingerprint };
  });
}

export async function updateMemberHub(
  ctx: CallContext,
  input: { id: string; contact?: string; note?: string; active?: boolean; keyFile?: string },
) {
  return ctx.write(async (trx) => {
    const before = await trx.selectFrom('sub_member_hubs').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!before) throw fail.notFound('下级单位');
    const patch: Record<string, unknown> = { updated_at: ctx.now().toISOString() };
    if (input.contact !== undefined) patch.contact = input.contact;
    if (input.note !== undefined) patch.note = input.note;
    if (input.active !== undefined) patch.active = input.active ? 1 : 0;
    let summary = `修改下级单位「${before.name}」`;
    if (input.keyFile !== undefined) {
      const f = parseKeyFile(input.keyFile);
      if (f.hubId !== before.hub_id) throw fail.rule(`该公钥文件属于另一单位(编号 ${f.hubId})，不是「${before.name}」`);
      requireBelow(await requireHub(trx), f);
      patch.public_key_pem = f.publicKeyPem;
      patch.fingerprint = f.fingerprint;
      patch.name = f.hubName;
      patch.region_code = f.regionCode;
      patch.level = f.level;
      summary = `更换下级单位「${before.name}」的公钥：${before.fingerprint} → ${f.fingerprint}`;
    }
    await trx.updateTable('sub_member_hubs').set(patch).where('id', '=', input.id).execute();
    const after = await trx.selectFrom('sub_member_hubs').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow();
    await ctx.audit(trx, {
      entity: 'member_hub',
      entityId: input.id,
      summary,
      before: { ...before, public_key_pem: undefined },
      after: { ...after, public_key_pem: undefined },
    });
    return { ok: true as const };
  });
}

/** Keys accepted for a hub's packages: only active registrations. */
export async function registeredKeys(db: Db): Promise<Map<string, { publicKeyPem: string; name: string; regionCode: string; level: string }>> {
  const rows = await db.selectFrom('sub_member_hubs').select(['hub_id', 'public_key_pem', 'name', 'region_code', 'level']).where('active', '=', 1).execute();
  return new Map(rows.map((r) => [r.hub_id, { publicKeyPem: r.public_key_pem, name: r.name, regionCode: r.region_code, level: r.level }]));
}

// ───────────── member organizations (会员单位) and dues ─────────────

export async function listMemberOrgs(db: Db, year: number): Promise<MemberOrgRow[]> {
  const orgs = await db.selectFrom('sub_member_orgs').selectAll().orderBy('status').orderBy('name').execute();
  const dues = await db.selectFrom('sub_member_dues').selectAll().orderBy('paid_on', 'desc').execute();
  return orgs.map((o) => {
    const payments = dues.filter((d) => d.member_org_id === o.id);
    const paid = payments.filter((d) => d.year === year).reduce((s, d) => s + d.amount_fen, 0);
    const joinedYear = Number(o.joined_on.slice(0, 4));
    const leftYear = o.left_on ? Number(o.left_on.slice(0, 4)) : null;
    const due = joinedYear <= year && (leftYear === null || leftYear >= year) ? o.annual_dues_fen : 0;
    return {
      id: o.id,
      name: o.name,
      creditCode: o.credit_code,
      memberType: o.member_type as MemberOrgRow['memberType'],
      contactName: o.contact_name,
      contactPhone: o.contact_phone,
      joinedOn: o.joined_on,
      annualDuesFen: o.annual_dues_fen,
      status: o.status as MemberOrgRow['status'],
      leftOn: o.left_on,
      note: o.note,
      paidFen: paid,
      owedFen: Math.max(0, due - paid),
      payments: payments.map((d) => ({ id: d.id, year: d.year, amountFen: d.amount_fen, paidOn: d.paid_on, receiptNo: d.receipt_no })),
    };
  });
}

export async function saveMemberOrg(
  ctx: CallContext,
  input: {
    id?: string;
    name: string;
    creditCode: string | null;
    memberType: 'unit' | 'council' | 'standing';
    contactName: string;
    contactPhone: string;
    joinedOn: string;
    annualDuesFen: number;
    status: 'active' | 'left';
    leftOn: string | null;
    note: string;
  },
) {
  const code = input.creditCode ? input.creditCode : null;
  if (code) {
    const check = checkCreditCode(code);
    if (check.status !== 'valid') {
      const problem = check.message ?? '校验未通过';
      throw fail.validation(`统一社会信用代码“${code}”有误：${problem}`, [{ path: 'creditCode', message: problem }]);
    }
  }
  if (input.status === 'left' && !input.leftOn) throw fail.validation('退会的会员单位请填写退会日期', [{ path: 'leftOn', message: '请填写退会日期' }]);
  if (input.leftOn && input.leftOn < input.joinedOn) throw fail.validation('退会日期不能早于入会日期', [{ path: 'leftOn', message: '退会日期不能早于入会日期' }]);
  return ctx.write(async (trx) => {
    const now = ctx.now().toISOString();
    const values = {
      name: input.name,
      credit_code: code,
      member_type: input.memberType,
      contact_name: input.contactName,
      contact_phone: input.contactPhone,
      joined_on: input.joinedOn,
      annual_dues_fen: input.annualDuesFen,
      status: input.status,
      left_on: input.status === 'left' ? input.leftOn : null,
      note: input.note,
      updated_at: now,
    };
    if (input.id) {
      const before = await trx.selectFrom('sub_member_orgs').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!before) throw fail.notFound('会员单位');
      await trx.updateTable('sub_member_orgs').set(values).where('id', '=', input.id).execute();
      await ctx.audit(trx, { entity: 'member_org', entityId: input.id, summary: `修改会员单位「${input.name}」`, before, after: values });
      return { id: input.id };
    }
    const id = randomUUID();
    await trx.insertInto('sub_member_orgs').values({ id, ...values, created_at: now }).execute();
    await ctx.audit(trx, { entity: 'member_org', entityId: id, summary: `新增会员单位「${input.name}」`, after: values });
    return { id };
  });
}

export async function recordDues(
  ctx: CallContext,
  input: { memberOrgId: string; year: number; amountFen: number; paidOn: string; receiptNo: string },
) {
  return ctx.write(async (trx) => {
    const org = await trx.selectFrom('sub_member_orgs').selectAll().where('id', '=', input.memberOrgId).executeTakeFirst();
    if (!org) throw fail.notFound('会员单位');
    if (Number(input.paidOn.slice(0, 4)) < input.year - 1) throw fail.validation('缴费日期与会费年度相差过远，请核对');
    const id = randomUUID();
    const row = {
      id,
      member_org_id: org.id,
      year: input.year,
      amount_fen: input.amountFen,
      paid_on: input.paidOn,
      receipt_no: input.receiptNo,
      recorded_by: ctx.user?.username ?? null,
      recorded_at: ctx.now().toISOString(),
    };
    await trx.insertInto('sub_member_dues').values(row).execute();
    await ctx.audit(trx, { entity: 'member_dues', entityId: id, summary: `登记「${org.name}」${input.year} 年会费 ${(input.amountFen / 100).toFixed(2)} 元`, after: row });
    return { id };
  });
}
