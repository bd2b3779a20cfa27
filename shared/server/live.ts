/**
 * Live screens: which open calls a committed change makes stale. A change names its entity (the audit row's);
 * a call belongs to an area (its name's first part). A screen reloads a call when a change of its own area
 * arrives, or one of the areas whose data it shows (organizations' names appear everywhere).
 */
export interface LiveChange {
  entity: string;
  id: string | null;
  action: string;
  who: string | null;
  at: string;
}

/** After a lost connection comes back: everything may have changed. */
export const EVERYTHING: LiveChange = { entity: '*', id: null, action: 'reconnect', who: null, at: '' };

const ENTITY_AREAS: [RegExp, string][] = [
  [/^custody_/, 'custody'],
  [/^venue/, 'venues'],
  [/^training_/, 'training'],
  [/^(organization|org_|saved_view)/, 'organizations'],
  [/^(submission_|member_)/, 'submission'],
  [/^user$/, 'users'],
  [/^dictionary$/, 'dict'],
  [/^hub$/, 'settings'],
  [/^backup$/, 'backups'],
  [/^(session|work_mode)$/, 'office'],
];
/** Administrative entities that change no business figure. */
const ADMIN_AREAS = new Set(['users', 'backups', 'office', 'dict', 'settings']);
/** Areas whose screens show other areas' records too. */
const READS_OTHERS: Record<string, string[]> = {
  dashboard: ['organizations', 'venues', 'custody', 'training', 'submission', 'settings'],
  venues: ['training', 'organizations'],
  training: ['venues', 'organizations'],
  custody: ['organizations'],
  submission: ['organizations', 'venues', 'custody', 'training'],
};

export function areaOfEntity(entity: string): string | null {
  for (const [re, area] of ENTITY_AREAS) if (re.test(entity)) return area;
  return null;
}

/** True when one of `changes` may change the answer of `callName`. */
export function callAffected(callName: string, changes: readonly LiveChange[]): boolean {
  const area = callName.split('.')[0];
  for (const c of changes) {
    if (c.entity === '*') return true;
    const of = areaOfEntity(c.entity);
    if (of === null) return !ADMIN_AREAS.has(area) || area === 'audit'; // an entity this table does not know yet: reload to be safe
    if (of === area || area === 'audit') return true;
    if (READS_OTHERS[area]?.includes(of)) return true;
    if (area === 'auth' && of === 'users') return true;
  }
  return false;
}
