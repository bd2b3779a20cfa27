/** Business areas of the log, each with the entity names that belong to it (filter 业务). */
export const AUDIT_AREAS = {
  organizations: { label: '组织台账', prefixes: ['organization', 'org_', 'saved_view'] },
  venues: { label: '场地预约', prefixes: ['venue'] },
  custody: { label: '代管资金', prefixes: ['custody_'] },
  training: { label: '人员培训', prefixes: ['training_'] },
  submission: { label: '上报汇总', prefixes: ['submission_', 'member_'] },
  system: { label: '系统管理', prefixes: ['user', 'dictionary', 'hub', 'backup', 'session', 'work_mode', 'setting'] },
} as const;
export type AuditArea = keyof typeof AUDIT_AREAS;

export function auditAreaOf(entity: string): AuditArea | null {
  for (const [area, a] of Object.entries(AUDIT_AREAS) as [AuditArea, (typeof AUDIT_AREAS)[AuditArea]][]) {
    if (a.prefixes.some((p) => entity.startsWith(p))) return area;
  }
  return null;
}

export const AUDIT_AREA_KEYS = Object.keys(AUDIT_AREAS) as [AuditArea, ...AuditArea[]];
