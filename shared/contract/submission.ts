import { z } from 'zod';
import {
  defineCall,
  UPLOAD_MAX_BODY_BYTES,
  zDate,
  zEmpty,
  zFen,
  zFileDownload,
  zFileUpload,
  zId,
  zOk,
  type Contract,
} from './define';
import { ADMIN_ONLY, ANY_ROLE, APPROVERS, STAFF_WRITE } from '../roles';
import { LEVELS } from '../submission/region';
import { isPeriod, PERIOD_FORMAT_HINT } from '../submission/period';
import { PACKAGE_KINDS } from '../submission/manifest';

/** Calls of the submission area (上报汇总) and of the 工作台 dashboard. Handlers: electron/core/submission/handlers.ts. */

const zPeriod = z.string().refine(isPeriod, PERIOD_FORMAT_HINT);
const zLevel = z.enum(LEVELS);
const zMeasures = z.record(z.string(), z.number().int());

export const zPrebuildCheck = z.object({
  code: z.string(),
  title: z.string(),
  count: z.number().int(),
  /** A few names or dates to find the records by. */
  examples: z.array(z.string()),
  /** The screen where it is fixed. */
  route: z.string(),
});
export type PrebuildCheck = z.infer<typeof zPrebuildCheck>;

export const zStandardTable = z.object({
  key: z.string(),
  title: z.string(),
  columns: z.array(z.object({ key: z.string(), header: z.string(), kind: z.enum(['text', 'int', 'fen']) })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
  total: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

const zBuildRow = z.object({
  id: zId,
  packageId: z.string(),
  kind: z.enum(PACKAGE_KINDS),
  period: z.string(),
  createdAt: z.string(),
  fileName: z.string(),
  fileSize: z.number().int(),
  manifestSha256: z.string(),
  recordCounts: z.record(z.string(), z.number().int()),
  measures: zMeasures,
  confirmedWarnings: z.array(z.string()),
  builtBy: z.string().nullable(),
});
export type BuildRow = z.infer<typeof zBuildRow>;

const zMemberHub = z.object({
  id: zId,
  hubId: z.string(),
  name: z.string(),
  regionCode: z.string(),
  level: zLevel,
  fingerprint: z.string(),
  contact: z.string(),
  note: z.string(),
  active: z.boolean(),
  registeredAt: z.string(),
  /** Latest active package per period, for the list. */
  lastPeriod: z.string().nullable(),
  packages: z.number().int(),
});
export type MemberHubRow = z.infer<typeof zMemberHub>;

const zMemberOrg = z.object({
  id: zId,
  name: z.string(),
  creditCode: z.string().nullable(),
  memberType: z.enum(['unit', 'council', 'standing']),
  contactName: z.string(),
  contactPhone: z.string(),
  joinedOn: z.string(),
  annualDuesFen: zFen,
  status: z.enum(['active', 'left']),
  leftOn: z.string().nullable(),
  note: z.string(),
  /** Dues paid for the year asked (default this year), and what is still owed. */
  paidFen: zFen,
  owedFen: zFen,
  payments: z.array(z.object({ id: zId, year: z.number().int(), amountFen: zFen, paidOn: z.string(), receiptNo: z.string() })),
});
export type MemberOrgRow = z.infer<typeof zMemberOrg>;

const zPackageRow = z.object({
  packageId: z.string(),
  hubId: z.string(),
  hubName: z.string(),
  regionCode: z.string(),
  level: zLevel,
  period: z.string(),
  kind: z.enum(PACKAGE_KINDS),
  createdAt: z.string(),
  fileName: z.string(),
  fileSize: z.number().int(),
  signerFingerprint: z.string(),
  recordCounts: z.record(z.string(), z.number().int()),
  status: z.enum(['active', 'superseded']),
  supersededBy: z.string().nullable(),
  importedAt: z.string(),
  importedBy: z.string().nullable(),
  origins: z.number().int(),
});
export type PackageRow = z.infer<typeof zPackageRow>;

export const zImportResult = z.object({
  fileName: z.string(),
  status: z.enum(['imported', 'superseded', 'duplicate', 'refused']),
  /** Chinese: why refused, or what happened (which older package it supersedes). */
  message: z.string(),
  packageId: z.string().nullable(),
  hubName: z.string().nullable(),
  period: z.string().nullable(),
  /** Imported, but worth a look: e.g. a 本级 package from a hub that has lower levels (a 汇总 was likely meant). */
  warning: z.string().nullable().optional(),
});
export type ImportResult = z.infer<typeof zImportResult>;

const zRegionSummary = z.object({
  level: zLevel,
  code: z.string(),
  name: z.string(),
  totals: zMeasures,
  distinctOrganizations: z.number().int(),
  hubCount: z.number().int(),
});
export type RegionSummary = z.infer<typeof zRegionSummary>;

const zConsolidated = z.object({
  period: z.string(),
  node: zRegionSummary.nullable(),
  breadcrumbs: z.array(zRegionSummary),
  children: z.array(zRegionSummary),
  hubs: z.array(
    z.object({
      hubId: z.string(),
      name: z.string(),
      level: zLevel,
      regionCode: z.string(),
      /** Package whose copy of this hub's data counts, and when the hub made that data. */
      carrierPackageId: z.string(),
      carrierHubName: z.string(),
      dataCreatedAt: z.string(),
      own: z.boolean(),
      measures: zMeasures,
    }),
  ),
  tables: z.array(zStandardTable),
  /** Organizations listed by two or more hubs (counted once). */
  sharedOrganizations: z.number().int(),
});
export type ConsolidatedView = z.infer<typeof zConsolidated>;

const zMergedOrg = z.object({
  key: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  managementClass: z.string().nullable(),
  regionName: z.string().nullable(),
  stage: z.string().nullable(),
  sources: z.array(z.object({ hubId: z.string(), hubName: z.string(), gid: z.string() })),
});
export type MergedOrgRow = z.infer<typeof zMergedOrg>;

const zHubKeyFile = z.object({
  format: z.literal('incubase-hub-key'),
  hubId: z.string(),
  hubName: z.string(),
  regionCode: z.string(),
  level: zLevel,
  publicKeyPem: z.string(),
  fingerprint: z.string(),
});
export type HubKeyFile = z.infer<typeof zHubKeyFile>;

const zDashboard = z.object({
  today: z.string(),
  organizations: z.object({
    total: z.number().int(),
    byClass: z.array(z.object({ key: z.string(), label: z.string(), count: z.number().int() })),
    byStage: z.array(z.object({ key: z.string(), label: z.string(), count: z.number().int() })),
    overdueIncubation: z.number().int(),
  }).nullable(),
  venues: z.object({
    month: z.string(),
    bookings: z.number().int(),
    minutesUsed: z.number().int(),
    minutesBooked: z.number().int(),
    pendingApproval: z.number().int(),
    byVenue: z.array(z.object({ name: z.string(), minutesBooked: z.number().int(), minutesUsed: z.number().int() })),
  }).nullable(),
  custody: z.object({
    totalBalanceFen: zFen,
    bySource: z.array(z.object({ label: z.string(), balanceFen: zFen })),
    unreconciledMonths: z.array(z.string()),
    pendingApproval: z.number().int(),
  }).nullable(),
  training: z.object({
    year: z.number().int(),
    personTimes: z.number().int(),
    target: z.number().int().nullable(),
    byMonth: z.array(z.object({ month: z.string(), personTimes: z.number().int() })),
  }).nullable(),
  activities: z.object({
    majorDueWithoutReport: z.array(z.object({ date: z.string(), title: z.string(), orgName: z.string() })),
    heldThisMonth: z.number().int(),
  }).nullable(),
  submission: z.object({
    currentPeriod: z.string(),
    lastBuild: z.object({ period: z.string(), createdAt: z.string() }).nullable(),
    memberHubs: z.number().int(),
    packagesThisPeriod: z.number().int(),
    fingerprint: z.string(),
  }),
});
export type DashboardSummary = z.infer<typeof zDashboard>;

export const submissionContract = {
  'dashboard.summary': defineCall({ title: '工作台统计', access: ANY_ROLE, write: false, input: zEmpty, output: zDashboard }),

  'submission.status': defineCall({
    title: '上报状态',
    access: ANY_ROLE,
    write: false,
    input: zEmpty,
    output: z.object({
      hubId: z.string(),
      hubName: z.string(),
      regionCode: z.string(),
      level: zLevel,
      fingerprint: z.string(),
      publicKeyPem: z.string(),
      memberHubs: z.number().int(),
      packages: z.number().int(),
      builds: z.number().int(),
      periods: z.array(z.string()),
      suggestedPeriod: z.string(),
    }),
  }),
  'submission.exportKey': defineCall({
    title: '导出本单位公钥',
    access: ANY_ROLE,
    write: false,
    input: zEmpty,
    output: zFileDownload.extend({ fingerprint: z.string() }),
  }),
  'submission.checks': defineCall({
    title: '上报前检查',
    access: ANY_ROLE,
    write: false,
    input: z.object({ period: zPeriod }),
    output: z.object({ items: z.array(zPrebuildCheck) }),
  }),
  'submission.build': defineCall({
    title: '生成上报包',
    irreversible: { question: '确定生成并签名上报包？', effect: '上报包以本基地的密钥签名，生成后内容不能修改；数据有误只能改正后重新生成新的一版，上级以最新一版为准。', okText: '生成并签名' },
    access: APPROVERS,
    write: true,
    input: z.object({ period: zPeriod, confirm: z.array(z.string().max(64)).max(50).default([]) }),
    output: z.object({ build: zBuildRow, file: zFileDownload }),
  }),
  'submission.builds': defineCall({ title: '已生成的上报包', access: ANY_ROLE, write: false, input: zEmpty, output: z.array(zBuildRow) }),
  'submission.buildFile': defineCall({ title: '下载已生成的上报包', access: ANY_ROLE, write: false, input: z.object({ id: zId }), output: zFileDownload }),

  'submission.hubs.list': defineCall({ title: '下级单位列表', access: ANY_ROLE, write: false, input: zEmpty, output: z.array(zMemberHub) }),
  'submission.hubs.register': defineCall({
    title: '登记下级单位',
    access: APPROVERS,
    write: true,
    input: z.object({
      /** The key file a hub exported (公钥登记文件), as text. */
      keyFile: z.string().min(1).max(20_000),
      contact: z.string().trim().max(100).default(''),
      note: z.string().trim().max(500).default(''),
    }),
    output: z.object({ id: zId, fingerprint: z.string() }),
  }),
  'submission.hubs.update': defineCall({
    title: '修改下级单位',
    access: APPROVERS,
    write: true,
    input: z.object({
      id: zId,
      contact: z.string().trim().max(100).optional(),
      note: z.string().trim().max(500).optional(),
      active: z.boolean().optional(),
      /** A new key file of the same hub (key change). */
      keyFile: z.string().min(1).max(20_000).optional(),
    }),
    output: zOk,
  }),

  'submission.memberOrgs.list': defineCall({
    title: '会员单位列表',
    access: ANY_ROLE,
    write: false,
    input: z.object({ year: z.number().int().min(2000).max(2100).optional() }),
    output: z.array(zMemberOrg),
  }),
  'submission.memberOrgs.save': defineCall({
    title: '保存会员单位',
    access: STAFF_WRITE,
    write: true,
    input: z.object({
      id: zId.optional(),
      name: z.string().trim().min(2, '名称至少 2 个字').max(100),
      creditCode: z.string().trim().toUpperCase().max(18).nullable().default(null),
      memberType: z.enum(['unit', 'council', 'standing']).default('unit'),
      contactName: z.string().trim().max(40).default(''),
      contactPhone: z.string().trim().max(40).default(''),
      joinedOn: zDate,
      annualDuesFen: zFen.refine((v) => v >= 0, '会费标准不能为负'),
      status: z.enum(['active', 'left']).default('active'),
      leftOn: zDate.nullable().default(null),
      note: z.string().trim().max(500).default(''),
    }),
    output: z.object({ id: zId }),
  }),
  'submission.dues.record': defineCall({
    title: '登记会费缴纳',
    access: ['admin', 'staff', 'accountant'],
    write: true,
    input: z.object({
      memberOrgId: zId,
      year: z.number().int().min(2000).max(2100),
      amountFen: zFen.refine((v) => v > 0, '缴纳金额应大于 0'),
      paidOn: zDate,
      receiptNo: z.string().trim().max(40).default(''),
    }),
    output: z.object({ id: zId }),
  }),

  'submission.packages.verify': defineCall({
    title: '校验上报包',
    access: ANY_ROLE,
    write: false,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: z.object({ file: zFileUpload, period: zPeriod.optional() }),
    output: z.object({
      ok: z.boolean(),
      message: z.string(),
      hubName: z.string().nullable(),
      period: z.string().nullable(),
      recordCounts: z.record(z.string(), z.number().int()).nullable(),
      hubId: z.string().nullable().optional(),
      /** e.g. `SM2 签名 + SM3 摘要`. */
      algorithms: z.string().nullable().optional(),
      /** Fingerprint of the key that verified the signature. */
      fingerprint: z.string().nullable().optional(),
      /** Accepted through a key rotation certificate signed by the registered key. */
      rotated: z.boolean().optional(),
      /** A consolidated package's members' original packages, each verified. */
      members: z
        .array(z.object({ hubName: z.string(), period: z.string(), packageId: z.string(), algorithms: z.string(), fingerprint: z.string(), depth: z.number().int() }))
        .optional(),
    }),
  }),
  'submission.rotateKey': defineCall({
    title: '更换本单位签名密钥',
    irreversible: { question: '确定更换本单位签名密钥？', effect: '旧密钥停止使用，以后的上报包用新密钥签名；需把新公钥交给上级登记，否则上级无法验证新包。', okText: '更换密钥' },
    access: ADMIN_ONLY,
    write: true,
    input: zEmpty,
    output: z.object({ from: z.string(), to: z.string(), algorithm: z.string() }),
  }),
  'submission.packages.import': defineCall({
    title: '导入上报包',
    access: STAFF_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: z.object({ files: z.array(zFileUpload).min(1).max(500), period: zPeriod.optional() }),
    output: z.array(zImportResult),
  }),
  'submission.packages.list': defineCall({
    title: '已导入的上报包',
    access: ANY_ROLE,
    write: false,
    input: z.object({ period: zPeriod.optional() }),
    output: z.array(zPackageRow),
  }),

  'submission.consolidated': defineCall({
    title: '汇总数据',
    access: ANY_ROLE,
    write: false,
    input: z.object({ period: zPeriod, level: zLevel.optional(), code: z.string().regex(/^\d{12}$/).optional(), includeOwn: z.boolean().default(true) }),
    output: zConsolidated,
  }),
  'submission.consolidated.orgs': defineCall({
    title: '汇总组织名录',
    access: ANY_ROLE,
    write: false,
    input: z.object({
      period: zPeriod,
      search: z.string().trim().max(50).default(''),
      sharedOnly: z.boolean().default(false),
      startRow: z.number().int().min(0).default(0),
      endRow: z.number().int().min(1).default(100),
      includeOwn: z.boolean().default(true),
      // The region drilled into: only organizations some hub under it reported.
      level: zLevel.optional(),
      code: z.string().regex(/^\d{12}$/).optional(),
    }),
    output: z.object({ rows: z.array(zMergedOrg), total: z.number().int() }),
  }),
  'submission.consolidated.export': defineCall({
    title: '导出汇总报表',
    access: ANY_ROLE,
    write: false,
    input: z.object({ period: zPeriod, level: zLevel.optional(), code: z.string().regex(/^\d{12}$/).optional(), includeOwn: z.boolean().default(true) }),
    output: zFileDownload,
  }),
  'submission.consolidated.build': defineCall({
    title: '生成汇总上报包',
    irreversible: { question: '确定生成并签名汇总上报包？', effect: '汇总包以本单位的密钥签名，生成后内容不能修改；数据有误只能重新生成新的一版。', okText: '生成并签名' },
    access: APPROVERS,
    write: true,
    input: z.object({ period: zPeriod, confirm: z.array(z.string().max(64)).max(50).default([]) }),
    output: z.object({ build: zBuildRow, file: zFileDownload }),
  }),
} satisfies Contract;

export { zHubKeyFile };
