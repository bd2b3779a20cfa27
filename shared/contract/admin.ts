import { z } from 'zod';
import { defineCall, zDate, zEmpty, zFileDownload, zId, zOk, zPage, zSortModel, zVersion } from './define';
import { ROLES, ADMIN_ONLY, ANY_ROLE } from '../roles';
import { HUB_LEVELS } from '../admin/hub';
import { zHubSettings } from '../admin/settings';
import { DICTIONARY_KINDS } from '../admin/dictionaries';
import { AUDIT_AREA_KEYS } from '../admin/auditAreas';

const zRole = z.enum(ROLES);
const zUsername = z
  .string()
  .trim()
  .min(2, '用户名至少 2 个字符')
  .max(32, '用户名最多 32 个字符')
  .regex(/^[A-Za-z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点和减号');
export const zPassword = z.string().min(8, '密码至少 8 位').max(128, '密码最多 128 位');
const zDisplayName = z.string().trim().min(1, '请填写姓名').max(40);

export const zSessionUser = z.object({
  id: zId,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(zRole),
});
export type SessionUser = z.infer<typeof zSessionUser>;

export const zHubInfo = z.object({
  hubId: z.string(),
  name: z.string(),
  regionCode: z.string(),
  level: z.enum(HUB_LEVELS),
  createdAt: z.string(),
});
export type HubInfo = z.infer<typeof zHubInfo>;

const zUserRow = zSessionUser.extend({
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  /** The record version to send back with an edit (a stale one is refused). */
  version: z.number().int(),
});
export type UserRow = z.infer<typeof zUserRow>;

const zBackup = z.object({
  fileName: z.string(),
  sizeBytes: z.number(),
  createdAt: z.string(),
  reason: z.string(),
});
export type BackupInfo = z.infer<typeof zBackup>;

const zAuditRow = z.object({
  id: z.number(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  summary: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** The sentence the screen and the export show (issue 18): who did what to which record, what changed. */
  actorName: z.string(),
  actionLabel: z.string(),
  areaLabel: z.string(),
  recordName: z.string(),
  sentence: z.string(),
  changes: z.array(z.object({ label: z.string(), from: z.string(), to: z.string() })),
});
export type AuditRow = z.infer<typeof zAuditRow>;

const zDictEntry = z.object({
  kind: z.enum(Object.keys(DICTIONARY_KINDS) as [keyof typeof DICTIONARY_KINDS]),
  code: z.string(),
  label: z.string(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export type DictEntry = z.infer<typeof zDictEntry>;

export const adminContract = {
  'system.status': defineCall({
    title: '查询系统状态',
    access: 'public',
    write: false,
    input: zEmpty,
    output: z.object({
      initialized: z.boolean(),
      hub: zHubInfo.nullable(),
      version: z.string(),
      schemaVersion: z.number(),
      demo: z.boolean(),
      /** Set when the start-up check found the database broken: the app offers a backup instead. */
      recovery: z
        .object({ reason: z.string(), backups: z.array(zBackup) })
        .nullable(),
      /** Set when the data folder cannot be written (read-only, disk full): the app shows 查看可以，不能保存. */
      readOnly: z.object({ reason: z.string() }).nullable(),
      /** What the start-up did that users should know: a skipped backup, a repaired index, a finished restore. */
      notices: z.array(z.object({ at: z.string(), message: z.string() })),
    }),
  }),
  'system.setup': defineCall({
    title: '首次运行设置',
    access: 'public',
    write: true,
    input: z.object({
      hubName: z.string().trim().min(2, '请填写基地名称').max(60),
      regionCode: z.string().trim(),
      level: z.enum(HUB_LEVELS),
      adminUsername: zUsername,
      adminDisplayName: zDisplayName,
      adminPassword: zPassword,
    }),
    output: zOk,
  }),
  'system.recover': defineCall({
    title: '从备份恢复损坏的数据库',
    irreversible: { question: '确定要从这个备份恢复？', effect: '当前损坏的数据库会被这个备份替换：备份之后录入的内容都会没有；被替换的文件保留在数据文件夹中。', okText: '恢复' },
    access: 'public',
    write: true,
    localOnly: true,
    input: z.object({ fileName: z.string().min(1).max(200) }),
    output: zOk,
  }),
  'system.diagnostics': defineCall({
    title: '导出诊断包',
    access: ADMIN_ONLY,
    write: false,
    input: zEmpty,
    // versions, the database check, row counts and the redacted log: no names, phones or ID numbers
    output: zFileDownload,
  }),
  'auth.login': defineCall({
    title: '登录',
    access: 'public',
    // A login writes: the failure counter, the lockout and the audit row (who logged in, or failed to).
    write: true,
    unaudited: '登录先在单独的事务中记下这次尝试(失败次数与锁定，防猜密码；此时还不知道密码对不对)，登录成功或失败随后在另一事务中记入审计',
    session: 'create',
    input: z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(128) }),
    output: z.object({ user: zSessionUser }),
  }),
  'auth.logout': defineCall({ title: '退出登录', access: 'authenticated', write: false, session: 'destroy', input: zEmpty, output: zOk }),
  'auth.me': defineCall({
    title: '当前用户',
    access: 'authenticated',
    write: false,
    input: zEmpty,
    output: z.object({ user: zSessionUser, hub: zHubInfo, settings: zHubSettings }),
  }),
  'auth.unlock': defineCall({
    title: '解除锁屏',
    access: 'authenticated',
    write: false,
    input: z.object({ password: z.string().min(1, '请输入密码').max(128) }),
    output: zOk,
  }),
  'auth.changePassword': defineCall({
    title: '修改密码',
    access: 'authenticated',
    write: true,
    input: z.object({ oldPassword: z.string().min(1).max(128), newPassword: zPassword }),
    output: zOk,
  }),
  'users.list': defineCall({ title: '用户列表', access: ADMIN_ONLY, write: false, input: zEmpty, output: z.array(zUserRow) }),
  'users.create': defineCall({
    title: '新建用户',
    access: ADMIN_ONLY,
    write: true,
    input: z.object({
      username: zUsername,
      displayName: zDisplayName,
      roles: z.array(zRole).min(1, '至少选择一个角色'),
      password: zPassword,
    }),
    output: z.object({ id: zId }),
  }),
  'users.update': defineCall({
    title: '修改用户',
    irreversible: { question: '确定停用这个用户？', effect: '停用后该用户立即不能登录，已登录的会话被结束；需要时管理员可以重新启用。', okText: '停用', when: (i) => i.disabled === true },
    access: ADMIN_ONLY,
    write: true,
    input: z.object({
      id: zId,
      version: zVersion,
      displayName: zDisplayName,
      roles: z.array(zRole).min(1, '至少选择一个角色'),
      disabled: z.boolean(),
    }),
    output: zOk,
  }),
  'users.resetPassword': defineCall({
    title: '重置密码',
    irreversible: { question: '确定重置这个用户的密码？', effect: '旧密码立即失效，该用户已登录的会话被结束，需要用新密码重新登录。', okText: '重置密码' },
    access: ADMIN_ONLY,
    write: true,
    input: z.object({ id: zId, newPassword: zPassword }),
    output: zOk,
  }),
  'settings.get': defineCall({ title: '读取基地设置', access: ANY_ROLE, write: false, input: zEmpty, output: z.object({ hub: zHubInfo, settings: zHubSettings }) }),
  'settings.update': defineCall({
    title: '修改基地设置',
    access: ADMIN_ONLY,
    write: true,
    input: z.object({
      hubName: z.string().trim().min(2).max(60).optional(),
      regionCode: z.string().trim().optional(),
      level: z.enum(HUB_LEVELS).optional(),
      settings: zHubSettings.partial().optional(),
    }),
    output: zOk,
  }),
  'audit.list': defineCall({
    title: '查询审计日志',
    access: ['admin', 'approver'],
    write: false,
    input: zPage.extend({
      sort: zSortModel.optional(),
      filter: z
        .object({
          from: zDate.optional(),
          to: zDate.optional(),
          username: z.string().max(64).optional(),
          action: z.string().max(64).optional(),
          entity: z.string().max(64).optional(),
          entityId: z.string().max(64).optional(),
          text: z.string().max(100).optional(),
          area: z.enum(AUDIT_AREA_KEYS).optional(),
        })
        .optional(),
    }),
    output: z.object({ rows: z.array(zAuditRow), total: z.number() }),
  }),
  'backups.list': defineCall({ title: '备份列表', access: ADMIN_ONLY, write: false, input: zEmpty, output: z.array(zBackup) }),
  'backups.create': defineCall({ title: '立即备份', access: ADMIN_ONLY, write: true, input: zEmpty, output: zBackup }),
  'backups.restore': defineCall({
    title: '从备份恢复',
    irreversible: { question: '确定要从这个备份恢复？', effect: '当前数据库会被这个备份替换（替换前会再自动备份一份，原文件保留在数据文件夹中）：这个备份之后录入的内容不会在恢复后的数据库里；所有用户需要重新登录。', okText: '恢复' },
    access: ADMIN_ONLY,
    write: true,
    localOnly: true,
    office: { label: '从备份恢复', excludes: 'everything' },
    input: z.object({ fileName: z.string().min(1).max(200) }),
    output: z.object({ ok: z.literal(true), keptAs: z.string() }),
  }),
  'dict.list': defineCall({
    title: '读取字典',
    access: ANY_ROLE,
    write: false,
    input: z.object({ kind: zDictEntry.shape.kind.optional() }),
    output: z.array(zDictEntry),
  }),
  'dict.save': defineCall({
    title: '保存字典项',
    access: ADMIN_ONLY,
    write: true,
    input: z.object({
      kind: zDictEntry.shape.kind,
      code: z.string().trim().max(16).regex(/^[A-Za-z0-9_]*$/, '代码只能包含字母、数字和下划线').optional(),
      label: z.string().trim().min(1, '请填写名称').max(40),
      sortOrder: z.number().int().min(0).max(9999),
      active: z.boolean(),
    }),
    output: zDictEntry,
  }),
};
