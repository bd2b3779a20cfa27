import { z } from 'zod';

/**
 * Hub settings with their defaults. Each area adds its own keys here (one block per area) so that the settings
 * screen and the core read one schema.
 */
export const zHubSettings = z.object({
  // admin
  idleLockMinutes: z.number().int().min(1).max(240).default(15),
  backupKeep: z.number().int().min(3).max(365).default(30),
  /** Desktop updates: an intranet folder or server holding latest.yml (electron-updater's generic provider); '' = off. */
  updateUrl: z
    .string()
    .trim()
    .max(300)
    .refine((v) => v === '' || /^(https?|file):\/\//.test(v), '更新地址应以 http://、https:// 或 file:// 开头')
    .default(''),
  // organizations
  incubationTermMonths: z.number().int().min(1).max(120).default(24),
  majorActivityThreshold: z.number().int().min(1).max(100000).default(100),
  filingMinMembers: z.number().int().min(1).max(10000).default(10),
  evalMin5A: z.number().int().min(1).max(100).default(90),
  evalMin4A: z.number().int().min(1).max(100).default(80),
  evalMin3A: z.number().int().min(1).max(100).default(70),
  evalMin2A: z.number().int().min(1).max(100).default(60),
  evalMin1A: z.number().int().min(1).max(100).default(50),
  // custody
  custodyLiabilityCode: z.enum(['2601', '2209']).default('2601'),
  custodyMatchWindowDays: z.number().int().min(0).max(60).default(5),
  // training
  trainingCompletionPercent: z.number().int().min(1).max(100).default(80),
  trainingLateGraceMinutes: z.number().int().min(0).max(120).default(10),
});
export type HubSettings = z.infer<typeof zHubSettings>;
export const DEFAULT_SETTINGS: HubSettings = zHubSettings.parse({});

export const SETTING_LABELS: Record<keyof HubSettings, string> = {
  idleLockMinutes: '闲置自动锁定(分钟)',
  backupKeep: '保留自动备份份数',
  updateUrl: '桌面版更新地址(内网文件夹或服务器；留空则不检查更新)',
  incubationTermMonths: '孵化期限(月)',
  majorActivityThreshold: '重大活动人数阈值(人)',
  filingMinMembers: '备案条件:固定成员最少人数',
  evalMin5A: '评估等级 5A 最低分',
  evalMin4A: '评估等级 4A 最低分',
  evalMin3A: '评估等级 3A 最低分',
  evalMin2A: '评估等级 2A 最低分',
  evalMin1A: '评估等级 1A 最低分',
  custodyLiabilityCode: '代管资金负债科目(2601 受托代理负债 / 2209 其他应付款)',
  custodyMatchWindowDays: '银行流水自动勾对日期范围(天)',
  trainingCompletionPercent: '培训结业所需学时比例(%)',
  trainingLateGraceMinutes: '培训迟到宽限(分钟)',
};
