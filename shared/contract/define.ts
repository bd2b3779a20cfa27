import { z } from 'zod';
import type { Role } from '../roles';
import { friendlyZodMessage } from './zodMessages';

// Every message zod produces for a user is Chinese and names no type or pattern (see zodMessages.ts).
z.config({ localeError: friendlyZodMessage });

/** Who may make a call: nobody logged in yet (`public`), any logged-in user, or the listed roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface CallDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Chinese title, used in the audit log and error messages. */
  title: string;
  input: I;
  output: O;
  access: Access;
  /** A write changes data: it is refused to viewers and read-only sessions and is audited by its handler. */
  write: boolean;
  /**
   * Every transaction a write call commits that changed rows carries at least one audit row (the core refuses to
   * COMMIT one without). A write call that legitimately commits a transaction without one says why here; the exceptions
   * are listed, with their reasons, in tests/integration/admin/writeAudit.test.ts.
   */
  unaudited?: string;
  /** The transport creates or ends its session with this call (login / logout). */
  session?: 'create' | 'destroy';
  /** Upper bound of the request body in bytes (default 1 MiB); uploads raise it. */
  maxBodyBytes?: number;
  /** The office server serves this call only to its own machine (restore): clients on the LAN are refused. */
  localOnly?: boolean;
  /**
   * An office-wide operation (结账, 反结账, 恢复): only one runs at a time, and while it runs the core refuses the
   * calls it would invalidate, naming the operation and who started it (electron/core/api/operations.ts).
   */
  office?: OfficeOperationDef;
  /**
   * The call cannot be undone (issue 18): the screens ask before sending it, saying in Chinese what will happen.
   * The renderer sends such a call only through `useIrreversibleCall` (renderer/src/components/irreversible.tsx),
   * and a test walks the contract and the screens to check it.
   */
  irreversible?: IrreversibleDef;
}

/** The question asked before an irreversible call. */
export interface IrreversibleDef {
  /** 「确定要…？」 as the dialog's title, e.g. 「确定要取消这条预约？」. */
  question: string;
  /** What will happen, in Chinese: what changes, what can no longer be done. */
  effect: string;
  /** The dialog's button, e.g. 「确认取消」 (default 确定). */
  okText?: string;
  /** Only when this holds for the input (users.update asks only when it disables the account). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  when?: (input: any) => boolean;
}

/** What an office-wide operation shuts out while it runs (用友 T3 style: 结账 excludes every entry). */
export interface OfficeOperationDef {
  /** 结账 / 反结账 / 从备份恢复; the input's `period`, when it has one, is added: 「结账 2026-11」. */
  label: string;
  /** `writes`: every write; `everything`: every call (the database is being replaced); or writes of these areas. */
  excludes: 'writes' | 'everything' | { areas: readonly string[] };
}

export function defineCall<I extends z.ZodType, O extends z.ZodType>(def: CallDef<I, O>): CallDef<I, O> {
  return def;
}

export type Contract = Record<string, CallDef>;
export type InputOf<C extends CallDef> = z.input<C['input']>;
export type ParsedInputOf<C extends CallDef> = z.output<C['input']>;
export type OutputOf<C extends CallDef> = z.output<C['output']>;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const UPLOAD_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Reusable field schemas. */
export const zId = z.string().min(1).max(64);
export const zDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const zFen = z.number().int('金额必须是以分为单位的整数').refine(Number.isSafeInteger, '金额超出范围');
export const zEmpty = z.object({}).strict();
export const zOk = z.object({ ok: z.literal(true) });
/** A file travelling through the API: base64 bytes plus its name. */
export const zFileUpload = z.object({
  name: z.string().min(1).max(255),
  base64: z.string(),
});
export const zFileDownload = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  base64: z.string(),
});
/** Paging for ag-grid's infinite row model: filtering and sorting run in SQL. */
export const zSortModel = z.array(z.object({ colId: z.string().max(64), sort: z.enum(['asc', 'desc']) })).max(5);
export const zPage = z.object({
  startRow: z.number().int().min(0),
  endRow: z.number().int().min(1),
});
/**
 * The version a record was read at (`version` of every edited record, see electron/core/api/versions.ts). Reads
 * return it; updates and state changes send it back, and a stale one is refused as a CONFLICT with `StaleDetails`.
 */
export const zVersion = z.number().int('版本号必须是整数').min(0, '版本号不能为负');
