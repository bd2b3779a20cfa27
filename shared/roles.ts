/** The five roles of the brief. A user may hold several (a director is often approver + staff). */
export const ROLES = ['admin', 'staff', 'accountant', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  staff: '孵化专员',
  accountant: '会计/出纳',
  approver: '审批人(负责人)',
  viewer: '只读查看',
};

/** Common role sets, so contract entries read as intent rather than lists. */
export const ANY_ROLE: readonly Role[] = ROLES;
export const STAFF_WRITE: readonly Role[] = ['admin', 'staff'];
export const FINANCE_WRITE: readonly Role[] = ['admin', 'accountant'];
export const APPROVERS: readonly Role[] = ['admin', 'approver'];
export const ADMIN_ONLY: readonly Role[] = ['admin'];
