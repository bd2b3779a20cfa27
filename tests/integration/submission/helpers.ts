import { sql } from 'kysely';
import type { HubLevel } from '@shared/admin/hub';
import { caller, loginAs, openTestCore } from '../../helpers/core';
import type { Core } from '../../../electron/core/core';

export const PASSWORD = 'Hub@2026pass';

/** A hub on its own data folder, set up at the given level and region, logged in as its administrator. */
/** A clock that starts on 2026-10-08 10:00 China time and moves one second at every reading, like a real one. */
export function tickingClock(start = '2026-10-08T02:00:00Z') {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

export async function openHub(name: string, regionCode: string, level: HubLevel, now = tickingClock()) {
  const t = await openTestCore({ now });
  await caller(t.core)('system.setup', { hubName: name, regionCode, level, adminUsername: 'boss', adminDisplayName: '主任', adminPassword: PASSWORD });
  const token = await loginAs(t.core, 'boss', PASSWORD);
  return { ...t, token, call: caller(t.core, token) };
}

export interface OrgSeed {
  id: string;
  name: string;
  creditCode?: string | null;
  mgmtClass?: 'registered' | 'filed' | 'guided';
  areaType?: 'urban' | 'rural' | null;
  stage?: string | null;
  fieldCode?: string | null;
  regionCode?: string | null;
}

/** Organizations written straight into the organizations table (the area's own services are tested there). */
export async function addOrganizations(core: Core, orgs: OrgSeed[]) {
  await core.write(async (trx) => {
    for (const o of orgs) {
      await sql`INSERT INTO organizations (id, name, credit_code, mgmt_class, field_code, region_code, area_type, incubation_stage, status, created_at, updated_at)
        VALUES (${o.id}, ${o.name}, ${o.creditCode ?? null}, ${o.mgmtClass ?? 'guided'}, ${o.fieldCode === undefined ? 'F01' : o.fieldCode}, ${o.regionCode ?? null},
                ${o.areaType === undefined ? 'urban' : o.areaType}, ${o.stage ?? null}, 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(trx);
    }
  });
}

export function fileOf(download: { fileName: string; base64: string }) {
  return { name: download.fileName, base64: download.base64 };
}
