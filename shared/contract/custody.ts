import { z } from 'zod';
import { ADMIN_ONLY, ANY_ROLE, APPROVERS, FINANCE_WRITE } from '../roles';
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
  zPage,
  zSortModel,
  zVersion,
  type Contract,
} from './define';
import { STATEMENT_FIELDS } from '../custody/statement';
import { zTableImportCommitInput, zTableImportInput, zTableImportResult } from '../importing/contract';

const zPeriod = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '期间格式应为 YYYY-MM');
const zPositiveFen = zFen.refine((n) => n > 0, '金额必须大于零');
const zText = (max: number) => z.string().trim().max(max);
const zNullableId = zId.nullable().optional();

/** What a custody history import takes besides the file: the approver (username) and the 代管资金专户. */
const zHistoryImportExtra = z.object({ approverUsername: z.string().trim().max(64).optional(), bankAccountId: zId.optional() });
const zHistoryImportInput = zTableImportInput.extend(zHistoryImportExtra.shape);

export const zVoucherKind = z.enum(['opening', 'receipt', 'disbursement', 'transfer', 'income']);
export const zVoucherStatus = z.enum(['draft', 'submitted', 'approved', 'posted']);

export const zVoucherInput = z.object({
  kind: zVoucherKind,
  date: zDate,
  amountFen: zPositiveFen,
  orgId: zNullableId,
  toOrgId: zNullableId,
  bankAccountId: zNullableId,
  sourceId: zNullableId,
  projectId: zNullableId,
  budgetLineId: zNullableId,
  revenueCode: z.string().regex(/^4\d{3}$/).nullable().optional(),
  counterparty: zText(100).optional(),
  purpose: zText(200).min(1, '请填写摘要/用途'),
  attachments: z.number().int().min(0).max(999).optional(),
});
export type VoucherInput = z.infer<typeof zVoucherInput>;

export const zVoucherRow = z.object({
  id: zId,
  kind: z.string(),
  status: zVoucherStatus,
  date: z.string(),
  number: z.string().nullable(),
  amountFen: z.number(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  toOrgId: z.string().nullable(),
  toOrgName: z.string().nullable(),
  bankAccountId: z.string().nullable(),
  bankAccountName: z.string().nullable(),
  sourceId: z.string().nullable(),
  sourceName: z.string().nullable(),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  budgetLineId: z.string().nullable(),
  budgetLineName: z.string().nullable(),
  revenueCode: z.string().nullable(),
  counterparty: z.string(),
  purpose: z.string(),
  attachments: z.number(),
  reversesId: z.string().nullable(),
  reversesNumber: z.string().nullable(),
  reversedById: z.string().nullable(),
  reversedByNumber: z.string().nullable(),
  reversedByStatus: z.string().nullable(),
  makerId: z.string(),
  makerName: z.string(),
  approverId: z.string().nullable(),
  approverName: z.string().nullable(),
  posterName: z.string().nullable(),
  postedAt: z.string().nullable(),
  overrideReason: z.string().nullable(),
  overrideByName: z.string().nullable(),
  rejectReason: z.string().nullable(),
  /** The record version to send back with an edit or a state change (stale ones are refused). */
  version: z.number().int(),
  matched: z.boolean(),
  createdAt: z.string(),
});
export type VoucherRowView = z.infer<typeof zVoucherRow>;

const zJournalLineView = z.object({
  lineNo: z.number(),
  accountCode: z.string(),
  accountName: z.string(),
  detailCode: z.string(),
  detailName: z.string(),
  amountFen: z.number(),
});

const zVoucherDetail = z.object({
  voucher: zVoucherRow,
  /** Posted: the journal lines; otherwise what posting would write. */
  lines: z.array(zJournalLineView),
  posted: z.boolean(),
  /** What posting would break now (empty when nothing), in Chinese. */
  violations: z.array(z.string()),
  history: z.array(z.object({ at: z.string(), username: z.string().nullable(), summary: z.string() })),
  attachmentFiles: z.array(z.object({ id: zId, fileName: z.string(), size: z.number() })),
});

const zBankAccount = z.object({
  id: zId,
  seq: z.number(),
  name: z.string(),
  bankName: z.string(),
  accountNo: z.string(),
  formatId: z.string(),
  openingDate: z.string(),
  bankOpeningFen: z.number(),
  ledgerBalanceFen: z.number(),
  detailCode: z.string(),
  /** custody: 代管资金专户 (1002 银行存款·受托代理资产); own: the hub's own money. */
  holds: z.enum(['custody', 'own']),
  active: z.boolean(),
});

const zCustodyAccount = z.object({
  id: zId,
  orgId: zId,
  orgName: z.string(),
  seq: z.number(),
  detailCode: z.string(),
  liabilityCode: z.string(),
  openedOn: z.string(),
  balanceFen: z.number(),
});

const zSource = z.object({ id: zId, kind: z.string(), kindLabel: z.string(), name: z.string(), grantor: z.string(), fromGovernment: z.boolean(), active: z.boolean() });

const zBudgetLine = z.object({ id: zId, name: z.string(), budgetFen: z.number(), spentFen: z.number(), remainingFen: z.number() });
const zProject = z.object({
  id: zId,
  name: z.string(),
  sourceId: zId,
  sourceName: z.string(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  active: z.boolean(),
  lines: z.array(zBudgetLine),
  budgetFen: z.number(),
  spentFen: z.number(),
});

const zStatementLineView = z.object({
  id: zId,
  row: z.number(),
  date: z.string(),
  amountFen: z.number(),
  balanceFen: z.number().nullable(),
  counterpartyName: z.string(),
  counterpartyAccount: z.string(),
  summary: z.string(),
  serial: z.string(),
  groupId: z.string().nullable(),
});

const zLedgerEntryView = z.object({
  id: zId, // voucher id
  number: z.string(),
  date: z.string(),
  amountFen: z.number(),
  counterparty: z.string(),
  purpose: z.string(),
  orgName: z.string().nullable(),
  groupId: z.string().nullable(),
});

const zMapping = z.object({
  name: zText(40).min(1),
  amountMode: z.enum(['split', 'signed', 'direction']),
  columns: z.partialRecord(z.enum(STATEMENT_FIELDS), z.string().max(60)),
});

const zStatementSource = z.object({
  bankAccountId: zId,
  file: zFileUpload,
  /** A built-in format id, or 'generic' with `mapping`. Omitted: detect from the headers. */
  formatId: z.string().max(20).optional(),
  mapping: zMapping.optional(),
  /** Import although the statement's own account number (in its preamble) is not the chosen account's. */
  confirmAccount: z.boolean().optional(),
});

const zStatementPreviewLine = z.object({
  row: z.number(),
  date: z.string(),
  amountFen: z.number(),
  balanceFen: z.number().nullable(),
  counterpartyName: z.string(),
  summary: z.string(),
  serial: z.string(),
  duplicate: z.boolean(),
});

/**
 * The statement preview: counts, issues, balance breaks and the first page of lines; the other lines stay in the
 * core under `previewId` (null when `lines` are all of them), paged with `custody.statements.previewLines`.
 */
const zImportPreview = z.object({
  previewId: z.string().nullable(),
  formatId: z.string(),
  formatName: z.string(),
  encoding: z.string().nullable(),
  headerRow: z.number(),
  headers: z.array(z.string()),
  /** The account number the statement itself names (its preamble), and why it is not the chosen account's. */
  fileAccountNo: z.string().nullable(),
  accountMismatch: z.string().nullable(),
  /** Lines the import would consider (new + already imported). */
  lineCount: z.number(),
  /** The first page of them (all when `previewId` is null). */
  lines: z.array(zStatementPreviewLine).max(1000),
  issueCount: z.number(),
  /** The issues, the first 1,000 of `issueCount`. */
  issues: z.array(z.object({ row: z.number().optional(), path: z.string().optional(), message: z.string() })).max(1000),
  balanceBreakCount: z.number(),
  balanceBreaks: z.array(z.object({ row: z.number(), expectedFen: z.number(), actualFen: z.number() })).max(200),
  newCount: z.number(),
  duplicateCount: z.number(),
  skippedCount: z.number(),
});

const zReconItem = z.object({ id: zId, date: z.string(), amountFen: z.number(), label: z.string() });
const zReconciliation = z.object({
  bankAccountId: zId,
  bankAccountName: z.string(),
  asOf: z.string(),
  ledgerBalanceFen: z.number(),
  bankBalanceFen: z.number(),
  bankBalanceSource: z.string(),
  ledgerInNotBank: z.array(zReconItem),
  ledgerOutNotBank: z.array(zReconItem),
  bankInNotLedger: z.array(zReconItem),
  bankOutNotLedger: z.array(zReconItem),
  adjustedLedgerFen: z.number(),
  adjustedBankFen: z.number(),
  differenceFen: z.number(),
  agrees: z.boolean(),
});

const zOrgStatement = z.object({
  orgId: zId,
  orgName: z.string(),
  detailCode: z.string(),
  from: z.string(),
  to: z.string(),
  /** Balance brought forward from before `from`; `openingFen` adds the opening vouchers dated within. */
  broughtForwardFen: z.number(),
  openings: z.array(z.object({ date: z.string(), voucherNo: z.string(), amountFen: z.number() })),
  openingFen: z.number(),
  rows: z.array(
    z.object({
      date: z.string(),
      voucherId: z.string(),
      voucherNo: z.string(),
      summary: z.string(),
      counterparty: z.string(),
      amountFen: z.number(),
      kind: z.string(),
      reversesId: z.string().nullable().optional(),
      reversesNo: z.string().nullable().optional(),
      reversedKind: z.string().nullable().optional(),
      inFen: z.number(),
      outFen: z.number(),
      balanceFen: z.number(),
      pair: z.enum(['normal', 'reversed', 'reversal', 'correction']),
      pairNo: z.string().nullable(),
      pairIndex: z.number().nullable(),
    }),
  ),
  totalInFen: z.number(),
  totalOutFen: z.number(),
  closingFen: z.number(),
});

const zInKind = z.object({
  id: zId,
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  donor: z.string(),
  receivedOn: z.string(),
  description: z.string(),
  quantity: z.string(),
  unit: z.string(),
  valueFen: z.number(),
  valuationBasis: z.string(),
  status: z.enum(['received', 'distributed', 'returned']),
  handledOn: z.string().nullable(),
  note: z.string(),
});

const zPrint = z.object({ html: z.string(), fileName: z.string() });
const zVoucherFilter = z
  .object({
    status: zVoucherStatus.optional(),
    kind: z.string().max(20).optional(),
    orgId: zId.optional(),
    period: zPeriod.optional(),
    from: zDate.optional(),
    to: zDate.optional(),
    text: z.string().max(100).optional(),
    /** Vouchers waiting for me: submitted ones I did not make (approver), approved ones (accountant). */
    mine: z.enum(['toApprove', 'toPost', 'myDrafts']).optional(),
  })
  .optional();

const READ = ANY_ROLE;
const idInput = z.object({ id: zId });
/** A state change of a voucher: the version it was read at (a stale one is refused, naming who changed it). */
const versionedId = z.object({ id: zId, version: zVersion.optional() });

/** Calls of the custody area. Add entries with defineCall; the handlers live in electron/core/custody/handlers.ts. */
export const custodyContract = {
  // --- setup: bank accounts, custody accounts, sources, projects -------------------------------------------
  'custody.overview': defineCall({
    title: '代管概览',
    access: READ,
    write: false,
    input: zEmpty,
    output: z.object({
      bankAccounts: z.array(zBankAccount),
      totalCustodyFen: z.number(),
      accountCount: z.number(),
      pending: z.object({ drafts: z.number(), submitted: z.number(), approved: z.number() }),
      closedPeriods: z.array(z.string()),
      /** 未对账 of the last twelve whole months: the same definition as 工作台 (custody/reconStatus.ts). */
      unreconciled: z.array(z.object({ period: z.string(), bankAccountId: zId, bankAccountName: z.string() })),
      liabilityCode: z.string(),
      matchWindowDays: z.number(),
    }),
  }),
  'custody.bankAccounts.save': defineCall({
    title: '保存银行账户',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({
      id: zId.optional(),
      name: zText(40).min(1, '请填写账户名称'),
      bankName: zText(40).min(1, '请填写开户银行'),
      accountNo: zText(40).min(1, '请填写账号'),
      formatId: z.string().max(20),
      openingDate: zDate,
      bankOpeningFen: zFen,
      active: z.boolean().optional(),
      holds: z.enum(['custody', 'own']).optional(),
    }),
    output: z.object({ id: zId }),
  }),
  'custody.accounts.list': defineCall({
    title: '代管账户列表',
    access: READ,
    write: false,
    input: z.object({ text: z.string().max(100).optional() }),
    output: z.array(zCustodyAccount),
  }),
  'custody.accounts.open': defineCall({
    title: '开立代管账户',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({ orgId: zId, openedOn: zDate, liabilityCode: z.enum(['2601', '2209']).optional(), note: zText(200).optional() }),
    output: z.object({ id: zId, detailCode: z.string() }),
  }),
  'custody.orgs.withoutAccount': defineCall({
    title: '未开立代管账户的组织',
    access: READ,
    write: false,
    input: z.object({ text: z.string().max(100).optional() }),
    output: z.array(z.object({ id: zId, name: z.string() })),
  }),
  'custody.sources.list': defineCall({ title: '资金来源列表', access: READ, write: false, input: zEmpty, output: z.array(zSource) }),
  'custody.sources.save': defineCall({
    title: '保存资金来源',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({
      id: zId.optional(),
      kind: z.string().min(1).max(40),
      name: zText(80).min(1, '请填写名称'),
      grantor: zText(80).optional(),
      fromGovernment: z.boolean().optional(),
      active: z.boolean().optional(),
    }),
    output: z.object({ id: zId }),
  }),
  'custody.projects.list': defineCall({ title: '项目与预算', access: READ, write: false, input: z.object({ orgId: zId.optional() }), output: z.array(zProject) }),
  'custody.projects.save': defineCall({
    title: '保存项目预算',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({
      id: zId.optional(),
      name: zText(80).min(1, '请填写项目名称'),
      sourceId: zId,
      orgId: zId.nullable().optional(),
      startDate: zDate,
      endDate: zDate,
      active: z.boolean().optional(),
      lines: z.array(z.object({ id: zId.optional(), name: zText(60).min(1, '请填写预算科目名称'), budgetFen: zFen.refine((n) => n >= 0, '预算不能为负') })).min(1, '至少要有一个预算科目').max(50),
    }),
    output: z.object({ id: zId }),
  }),

  // --- vouchers -------------------------------------------------------------------------------------------
  'custody.vouchers.list': defineCall({
    title: '凭证列表',
    access: READ,
    write: false,
    input: zPage.extend({ sort: zSortModel.optional(), filter: zVoucherFilter }),
    output: z.object({ rows: z.array(zVoucherRow), total: z.number() }),
  }),
  'custody.vouchers.get': defineCall({ title: '查看凭证', access: READ, write: false, input: idInput, output: zVoucherDetail }),
  'custody.vouchers.create': defineCall({ title: '录入凭证', access: FINANCE_WRITE, write: true, input: zVoucherInput, output: z.object({ id: zId }) }),
  'custody.vouchers.update': defineCall({ title: '修改凭证', access: FINANCE_WRITE, write: true, input: zVoucherInput.extend({ id: zId, version: zVersion }), output: zOk }),
  'custody.vouchers.delete': defineCall({ title: '删除凭证草稿', irreversible: { question: '确定删除这张凭证草稿？', effect: '删除后草稿及其分录不再保留，不能恢复。', okText: '删除' }, access: FINANCE_WRITE, write: true, input: versionedId, output: zOk }),
  'custody.vouchers.submit': defineCall({ title: '提交凭证审批', access: FINANCE_WRITE, write: true, input: versionedId, output: zOk }),
  'custody.vouchers.withdraw': defineCall({ title: '撤回凭证', access: FINANCE_WRITE, write: true, input: versionedId, output: zOk }),
  'custody.vouchers.reject': defineCall({
    title: '退回凭证',
    access: APPROVERS,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), reason: zText(200).min(2, '请填写退回理由') }),
    output: zOk,
  }),
  'custody.vouchers.approve': defineCall({
    title: '审批凭证',
    access: APPROVERS,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), overrideReason: zText(500).optional() }),
    output: zOk,
  }),
  'custody.vouchers.override': defineCall({
    title: '特批凭证',
    access: APPROVERS,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), reason: zText(500) }),
    output: zOk,
  }),
  'custody.vouchers.post': defineCall({ title: '凭证记账', irreversible: { question: '确定记账？', effect: '记账后凭证取得凭证号、写入账簿并改变代管余额，不能再修改或删除，只能用冲销凭证更正。', okText: '记账' }, access: FINANCE_WRITE, write: true, input: versionedId, output: z.object({ number: z.string() }) }),
  'custody.vouchers.reverse': defineCall({
    title: '冲销凭证',
    irreversible: { question: '确定冲销这张凭证？', effect: '将生成一张金额相反的冲销凭证草稿，经审批记账后原凭证即被冲回；原凭证永久保留。', okText: '生成冲销凭证' },
    access: FINANCE_WRITE,
    write: true,
    input: z.object({ id: zId, date: zDate, reason: zText(200).min(2, '请写明冲销原因') }),
    output: z.object({ id: zId }),
  }),
  'custody.vouchers.attach': defineCall({
    title: '上传凭证附件',
    access: FINANCE_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: z.object({ id: zId, file: zFileUpload }),
    output: z.object({ id: zId }),
  }),
  'custody.vouchers.attachment': defineCall({ title: '下载凭证附件', access: READ, write: false, input: idInput, output: zFileDownload }),
  'custody.vouchers.print': defineCall({ title: '打印记账凭证', access: READ, write: false, input: z.object({ ids: z.array(zId).min(1).max(500) }), output: zPrint }),
  'custody.vouchers.printPeriod': defineCall({ title: '打印本月记账凭证', access: READ, write: false, input: z.object({ period: zPeriod }), output: zPrint }),
  'custody.vouchers.export': defineCall({
    title: '导出凭证',
    access: READ,
    write: false,
    /** yonyou: 用友 T3/U8 凭证引入 text (GBK); kingdee: 金蝶 KIS 凭证引入 Excel (.xls); xlsx: a plain workbook. */
    input: z.object({ from: zDate, to: zDate, format: z.enum(['yonyou', 'kingdee', 'xlsx']).default('xlsx') }),
    output: zFileDownload,
  }),
  /**
   * 代管资金历史导入 (voucher-import): each organization's 期初余额 and past receipts/disbursements from an Excel
   * 台账, as posted vouchers in months that are then closed. The preview is the import run in a transaction that
   * is rolled back (so it is a write call), the commit keeps it. The approver is another user with the approving role.
   */
  'custody.vouchers.import.preview': defineCall({
    title: '预览代管资金历史导入',
    access: FINANCE_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zHistoryImportInput,
    output: zTableImportResult,
  }),
  'custody.vouchers.import.commit': defineCall({
    title: '导入代管资金历史',
    access: FINANCE_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zTableImportCommitInput.extend(zHistoryImportExtra.shape).extend({ approverUsername: z.string().trim().min(1, '请选择审批人').max(64) }),
    output: zTableImportResult,
  }),
  'custody.approvers': defineCall({
    title: '可选的审批人',
    access: FINANCE_WRITE,
    write: false,
    input: zEmpty,
    output: z.array(z.object({ username: z.string(), displayName: z.string() })),
  }),
  'custody.vouchers.import.template': defineCall({ title: '下载代管资金历史导入模板', access: READ, write: false, input: z.object({}), output: zFileDownload }),
  'custody.accountMap.list': defineCall({
    title: '科目对照',
    access: READ,
    write: false,
    input: zEmpty,
    output: z.array(
      z.object({ ourCode: z.string(), ourName: z.string(), level: z.number(), theirCode: z.string(), theirName: z.string(), updatedAt: z.string().nullable() }),
    ),
  }),
  'custody.accountMap.save': defineCall({
    title: '保存科目对照',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({
      rows: z
        .array(z.object({ ourCode: z.string().regex(/^\d{4,10}$/, '本系统科目编码应为 4-10 位数字'), theirCode: zText(40), theirName: zText(60) }))
        .min(1)
        .max(5000),
    }),
    output: zOk,
  }),

  // --- balances and reports -------------------------------------------------------------------------------
  'custody.orgStatement': defineCall({
    title: '代管资金对账单',
    access: READ,
    write: false,
    input: z.object({ orgId: zId, from: zDate, to: zDate }),
    output: zOrgStatement,
  }),
  'custody.orgStatement.print': defineCall({ title: '打印代管资金对账单', access: READ, write: false, input: z.object({ orgId: zId, from: zDate, to: zDate }), output: zPrint }),
  'custody.orgStatement.export': defineCall({ title: '导出代管资金对账单', access: READ, write: false, input: z.object({ orgId: zId, from: zDate, to: zDate }), output: zFileDownload }),
  'custody.summary': defineCall({
    title: '来源与项目汇总',
    access: READ,
    write: false,
    input: z.object({ from: zDate, to: zDate }),
    output: z.object({
      sources: z.array(
        z.object({ sourceId: z.string().nullable(), name: z.string(), kindLabel: z.string(), openingFen: z.number(), inFen: z.number(), outFen: z.number(), closingFen: z.number() }),
      ),
      projects: z.array(zProject),
    }),
  }),
  'custody.summary.export': defineCall({ title: '导出来源与项目汇总', access: READ, write: false, input: z.object({ from: zDate, to: zDate }), output: zFileDownload }),
  'custody.summary.print': defineCall({ title: '打印来源与项目汇总', access: READ, write: false, input: z.object({ from: zDate, to: zDate }), output: zPrint }),

  // --- bank statements, matching, reconciliation ----------------------------------------------------------
  'custody.statements.preview': defineCall({
    title: '预览银行对账单',
    access: FINANCE_WRITE,
    write: false,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    /** `replacesPreviewId`: the dialog's previous preview, whose kept lines go. */
    input: zStatementSource.extend({ replacesPreviewId: zId.optional() }),
    output: zImportPreview,
  }),
  'custody.statements.previewLines': defineCall({
    title: '预览银行对账单（翻页）',
    access: FINANCE_WRITE,
    write: false,
    input: z.object({ previewId: zId, offset: z.number().int().min(0), limit: z.number().int().min(1).max(500), filter: z.enum(['new', 'duplicate']).optional() }),
    output: z.object({ total: z.number(), lines: z.array(zStatementPreviewLine) }),
  }),
  'custody.statements.import': defineCall({
    title: '导入银行对账单',
    access: FINANCE_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    /** `previewId`: the preview shown, whose kept lines go (the import reads the file again). */
    input: zStatementSource.extend({ validOnly: z.boolean().optional(), saveMapping: z.boolean().optional(), previewId: zId.optional() }),
    output: z.object({ importId: z.string().nullable(), added: z.number(), duplicates: z.number(), refused: z.number() }),
  }),
  'custody.statements.mappings': defineCall({
    title: '已保存的对账单列映射',
    access: FINANCE_WRITE,
    write: false,
    input: zEmpty,
    output: z.array(zMapping.extend({ key: z.string() })),
  }),
  'custody.match.data': defineCall({
    title: '勾对数据',
    access: READ,
    write: false,
    input: z.object({ bankAccountId: zId, from: zDate, to: zDate }),
    output: z.object({ bankLines: z.array(zStatementLineView), entries: z.array(zLedgerEntryView) }),
  }),
  'custody.match.auto': defineCall({
    title: '自动勾对（预览）',
    access: FINANCE_WRITE,
    write: false,
    input: z.object({ bankAccountId: zId, from: zDate, to: zDate, windowDays: z.number().int().min(0).max(60).optional() }),
    output: z.object({
      proposals: z.array(
        z.object({
          bankLineId: zId,
          entryId: zId,
          pass: z.number(),
          rule: z.enum(['serial', 'amount_date_counterparty', 'amount_window']),
          confidence: z.number(),
          dayGap: z.number(),
          alternatives: z.number(),
          explanation: z.string(),
        }),
      ),
    }),
  }),
  'custody.match.confirm': defineCall({
    title: '确认勾对',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({ bankAccountId: zId, pairs: z.array(z.object({ bankLineId: zId, entryId: zId })).min(1).max(20000) }),
    output: z.object({ created: z.number() }),
  }),
  'custody.match.manual': defineCall({
    title: '手工勾对',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({ bankAccountId: zId, bankLineIds: z.array(zId).min(1).max(200), entryIds: z.array(zId).min(1).max(200) }),
    output: z.object({ groupId: zId }),
  }),
  'custody.match.unmatch': defineCall({ title: '取消勾对', access: FINANCE_WRITE, write: true, input: z.object({ groupId: zId }), output: zOk }),
  'custody.reconcile': defineCall({ title: '银行存款余额调节表', access: READ, write: false, input: z.object({ bankAccountId: zId, asOf: zDate }), output: zReconciliation }),
  'custody.reconcile.export': defineCall({ title: '导出余额调节表', access: READ, write: false, input: z.object({ bankAccountId: zId, asOf: zDate }), output: zFileDownload }),
  'custody.reconcile.print': defineCall({ title: '打印余额调节表', access: READ, write: false, input: z.object({ bankAccountId: zId, asOf: zDate }), output: zPrint }),

  // --- periods ----------------------------------------------------------------------------------------------
  'custody.periods.list': defineCall({
    title: '会计期间',
    access: READ,
    write: false,
    input: zEmpty,
    output: z.array(
      z.object({
        period: z.string(),
        closed: z.boolean(),
        closedAt: z.string().nullable(),
        closedByName: z.string().nullable(),
        reopenReason: z.string().nullable(),
        voucherCount: z.number(),
        unpostedCount: z.number(),
      }),
    ),
  }),
  'custody.periods.close': defineCall({
    title: '结账',
    irreversible: { question: '确定结账？', effect: '结账后本月不再接受任何凭证、冲销或取消勾对；如需更改，只能由系统管理员填写理由反结账。', okText: '结账' },
    access: FINANCE_WRITE,
    write: true,
    office: { label: '结账', excludes: 'writes' },
    input: z.object({ period: zPeriod }),
    output: zOk,
  }),
  'custody.periods.reopen': defineCall({
    title: '反结账',
    irreversible: { question: '确定反结账？', effect: '反结账后本月重新开放录入和记账，已保存的余额调节表作废，需要重新对账后再结账；理由记入操作日志。', okText: '反结账' },
    access: ADMIN_ONLY,
    write: true,
    office: { label: '反结账', excludes: { areas: ['custody'] } },
    input: z.object({ period: zPeriod, reason: zText(500).min(5, '反结账必须写明理由（至少 5 个字）') }),
    output: zOk,
  }),

  // --- in-kind register ---------------------------------------------------------------------------------------
  'custody.inkind.list': defineCall({ title: '物资捐赠登记簿', access: READ, write: false, input: z.object({ from: zDate.optional(), to: zDate.optional() }), output: z.object({ rows: z.array(zInKind), totalValueFen: z.number() }) }),
  'custody.inkind.save': defineCall({
    title: '登记物资捐赠',
    access: FINANCE_WRITE,
    write: true,
    input: z.object({
      id: zId.optional(),
      orgId: zId.nullable().optional(),
      donor: zText(100).min(1, '请填写捐赠方'),
      receivedOn: zDate,
      description: zText(200).min(1, '请填写物资名称'),
      quantity: zText(40).optional(),
      unit: zText(10).optional(),
      valueFen: zFen.refine((n) => n >= 0, '价值不能为负'),
      valuationBasis: zText(40).min(1, '请填写计价依据'),
      status: z.enum(['received', 'distributed', 'returned']).optional(),
      handledOn: zDate.nullable().optional(),
      note: zText(500).optional(),
    }),
    output: z.object({ id: zId }),
  }),
} satisfies Contract;
