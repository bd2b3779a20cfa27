import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { HubInfo } from '@shared/contract/admin';
import { checkRegionCode, type HubLevel } from '@shared/admin/hub';
import { zHubSettings, type HubSettings } from '@shared/admin/settings';
import { fail } from '@shared/errors';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';

export async function readHub(db: Db): Promise<HubInfo | null> {
  const h = await db.selectFrom('hub').selectAll().executeTakeFirst();
  if (!h) return null;
  return { hubId: h.hub_id, name: h.name, regionCode: h.region_code, level: h.level as HubLevel, createdAt: h.created_at };
}

export async function requireHub(db: Db): Promise<HubInfo> {
  const hub = await readHub(db);
  if (!hub) throw fail.rule('系统尚未完成首次设置');
  return hub;
}

export function assertRegion(code: string, level: HubLevel): void {
  const problem = checkRegionCode(code, level);
  if (problem) throw fail.validation(problem, [{ path: 'regionCode', message: problem }]);
}

export async function insertHub(trx: Trx, input: { name: string; regionCode: string; level: HubLevel }, now: Date): Promise<void> {
  assertRegion(input.regionCode, input.level);
  await trx
    .insertInto('hub')
    .values({ id: 1, hub_id: randomUUID(), name: input.name, region_code: input.regionCode, level: input.level, created_at: now.toISOString() })
    .execute();
}

export async function writeSettings(trx: Trx, patch: Partial<HubSettings>): Promise<void> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    await sql`INSERT INTO settings (key, value) VALUES (${key}, ${JSON.stringify(value)})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(trx);
  }
}

export async function updateHubAndSettings(
  ctx: CallContext,
  input: { hubName?: string; regionCode?: string; level?: HubLevel; settings?: Partial<HubSettings> },
): Promise<void> {
  await ctx.write(async (trx) => {
    const before = await requireHub(trx);
    const beforeSettings = await ctx.core.settings();
    const level = input.level ?? before.level;
    const regionCode = input.regionCode ?? before.regionCode;
    assertRegion(regionCode, level);
    await trx
      .updateTable('hub')
      .set({ name: input.hubName ?? before.name, region_code: regionCode, level })
      .where('id', '=', 1)
      .execute();
    if (input.settings) {
      zHubSettings.partial().parse(input.settings);
      await writeSettings(trx, input.settings);
    }
    await ctx.audit(trx, {
      entity: 'hub',
      entityId: before.hubId,
      summary: '修改基地信息与设置',
      before: { hub: before, settings: beforeSettings },
      after: { hub: await requireHub(trx), settings: await ctx.core.settings() },
    });
  });
}
