import { describe, expect, it } from 'vitest';
import { consolidateOrigins, consolidatedView, mergedOrgRows, type OriginData } from '../../../electron/core/submission/consolidate';
import { requirePeriod } from '@shared/submission/period';
import { findRegion } from '@shared/submission/merge';
import { sample } from './fixtures';

const P = requirePeriod('2026-Q3');
const C = '53640000MJX173672F';
const D = '52510104MJ0123456X';

function origin(hubId: string, hubName: string, regionCode: string, data: OriginData['data']): OriginData {
  return {
    origin: { hubId, hubName, regionCode, level: 'township', period: P.text, packageId: `p-${hubId}`, createdAt: '2026-10-05T02:00:00.000Z' },
    carrierPackageId: `p-${hubId}`,
    carrierHubName: hubName,
    own: false,
    data,
  };
}

describe('consolidated view of two street hubs', () => {
  // Hub 1 withdrew organization C (it moved to hub 2); both list organization D as current.
  const h1 = sample('h1');
  h1.organizations[0].creditCode = D;
  h1.organizations[3].creditCode = C; // withdrawn here
  const h2 = sample('h2');
  h2.organizations[0].creditCode = C;
  h2.organizations[1].creditCode = D;
  const c = consolidateOrigins(P, [origin('h1', '玉林街道', '510107001000', h1), origin('h2', '簇桥街道', '510107002000', h2)]);

  it('counts as shared only what more than one hub lists as current, so 去重 = 合计 − 跨单位重复', () => {
    const view = consolidatedView(c, findRegion(c.roots, 'county', '510107000000'));
    expect(view.node!.totals.organizations).toBe(6);
    expect(view.node!.distinctOrganizations).toBe(5);
    expect(view.sharedOrganizations).toBe(1);
    // The roster lists what the headline counts: under the shared filter only D, current at both hubs (C was
    // withdrawn at hub 1), and 去重 rows in all.
    expect(mergedOrgRows(c, '', true, null).map((r) => r.creditCode)).toEqual([D]);
    expect(mergedOrgRows(c, '', false, null)).toHaveLength(view.node!.distinctOrganizations);
  });

  it('narrows the roster to the hubs under the region drilled into', () => {
    const street2 = findRegion(c.roots, 'township', '510107002000')!;
    const rows = mergedOrgRows(c, '', false, street2);
    expect(rows).toHaveLength(3); // hub 2's current records: C, D and its own o3 (its o4 is withdrawn)
    expect(rows.every((r) => r.sources.some((s) => s.hubName === '簇桥街道'))).toBe(true);
    expect(mergedOrgRows(c, '', false, null)).toHaveLength(5);
  });
});
