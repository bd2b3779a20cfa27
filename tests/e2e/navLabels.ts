/** The left navigation the brief asks for, in order. */
export const NAV_LABELS = ['工作台', '组织台账', '安家场地', '资金代管', '人员培训', '上报汇总', '系统管理'];
