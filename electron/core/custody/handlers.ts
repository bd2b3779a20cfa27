import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { custodyContract } from '@shared/contract/custody';
import { fail } from '@shared/errors';
import type { HandlersFor } from '../api/handler';
import type { CallContext } from '../api/context';
import { opOf, safeFileName } from './common';
import { closeMonth } from './periodClose';
import { approverOptions, commitHistoryImport, historyImportTemplate, previewHistoryImport } from './historyImport';
import { recentMonths, unreconciledMonths } from './reconStatus';
import {
  closedPeriods,
  createDraft,
  createReversal,
  deleteDraft,
  grantOverride,
  loadVoucher,
  postVoucher,
  reopenPeriod,
  transition,
  updateDraft,
} from './ledger';
import { getVoucher, listVouchers, orgStatement, periodList, sourceSummary } from './queries';
import { listBankAccounts, listCustodyAccounts, listProjects, listSources, openCustodyAccount, orgsWithoutAccount, saveBankAccount, saveProject, saveSource } from './setup';
import { importStatement, listMappings, previewStatement, previewStatementLines } from './statements';
import { autoMatchProposals, confirmMatches, manualMatch, matchData, reconciliation, unmatch } from './recon';
import { exportOrgStatement, exportReconciliation, exportSummary, printOrgStatement, printPeriodVouchers, printReconciliation, printSummary, printVouchers } from './exports';
import { listInKind, saveInKind } from './inkind';
import { exportVoucherFile } from './voucherExport';
import { snapshotSourceOf } from './engineSql';
import { listAccountMap, saveAccountMap } from './accountMap';

const ok = { ok: true as const };

/** Handlers of the custody area, one per entry of `custodyContract`. */
export const custodyHandlers: HandlersFor<typeof custodyContract> = {
  'custody.overview': async (ctx) => {
    const settings = await ctx.core.settings();
    const totals = await ctx.db
      .selectFrom('custody_accounts')
      .select([sql<number>`coalesce(sum(balance_fen), 0)`.as('total'), sql<number>`count(*)`.as('n')])
      .executeTakeFirstOrThrow();
    const pending = await sql<{ status: string; n: number }>`SELECT status, count(*) AS n FROM custody_vouchers WHERE status <> 'posted' GROUP BY status`.execute(ctx.db);
    const n = (s: string) => pending.rows.find((r) => r.status === s)?.n ?? 0;
    return {
      bankAccounts: await listBankAccounts(ctx),
      totalCustodyFen: totals.total,
      accountCount: totals.n,
      pending: { drafts: n('draft'), submitted: n('submitted'), approved: n('approved') },
      closedPeriods: [...(await closedPeriods(ctx.db))].sort(),
      unreconciled: await unreconciledMonths(ctx.db, recentMonths(ctx.now())),
      liabilityCode: settings.custodyLiabilityCode,
      matchWindowDays: settings.custodyMatchWindowDays,
    };
  },
  'custody.bankAccounts.save': (ctx, input) => saveBankAccount(ctx, input),
  'custody.accounts.list': (ctx, input) => listCustodyAccounts(ctx, input.text),
  'custody.accounts.open': (ctx, input) => openCustodyAccount(ctx, input),
  'custody.orgs.withoutAccount': (ctx, input) => orgsWithoutAccount(ctx, input.text),
  'custody.sources.list': (ctx) => listSources(ctx),
  'custody.sources.save': (ctx, input) => saveSource(ctx, input),
  'custody.projects.list': (ctx, input) => listProjects(ctx, input.orgId),
  'custody.projects.save': (ctx, input) => saveProject(ctx, input),

  'custody.vouchers.list': (ctx, input) => listVouchers(ctx, input),
  'custody.vouchers.get': (ctx, input) => getVoucher(ctx, input.id),
  'custody.vouchers.create': (ctx, input) => ctx.write(async (trx) => ({ id: (await createDraft(opOf(ctx, trx), input)).id })),
  'custody.vouchers.update': (ctx, input) =>
    ctx.write(async (trx) => {
      const { id, version, ...rest } = input;
      await updateDraft(opOf(ctx, trx), id, rest, version);
      return ok;
    }),
  'custody.vouchers.delete': (ctx, input) => ctx.write(async (trx) => (await deleteDraft(opOf(ctx, trx), input.id, input.version), ok)),
  'custody.vouchers.submit': (ctx, input) => ctx.write(async (trx) => (await transition(opOf(ctx, trx), input.id, 'submit', { version: input.version }), ok)),
  'custody.vouchers.withdraw': (ctx, input) => ctx.write(async (trx) => (await transition(opOf(ctx, trx), input.id, 'withdraw', { version: input.version }), ok)),
  'custody.vouchers.reject': (ctx, input) => ctx.write(async (trx) => (await transition(opOf(ctx, trx), input.id, 'reject', { reason: input.reason, version: input.version }), ok)),
  'custody.vouchers.approve': (ctx, input) =>
    ctx.write(async (trx) => (await transition(opOf(ctx, trx), input.id, 'approve', { overrideReason: input.overrideReason, version: input.version }), ok)),
  'custody.vouchers.override': (ctx, input) => ctx.write(async (trx) => (await grantOverride(opOf(ctx, trx), input.id, input.reason, input.version), ok)),
  'custody.vouchers.post': (ctx, input) => ctx.write(async (trx) => ({ number: (await postVoucher(opOf(ctx, trx), input.id, input.version)).number! })),
  'custody.vouchers.reverse': (ctx, input) => ctx.write(async (trx) => ({ id: (await createReversal(opOf(ctx, trx), input.id, input.date, input.reason)).id })),
  'custody.vouchers.attach': (ctx, input) =>
    ctx.write(async (trx) => {
      const op = opOf(ctx, trx);
      const v = await loadVoucher(trx, input.id);
      if (v.status === 'posted') throw fail.rule('凭证已记账，不能再添加附件');
      const data = Buffer.from(input.file.base64, 'base64');
      if (data.length === 0) throw fail.validation('附件是空文件');
      const lower = input.file.name.toLowerCase();
      const mime = lower.endsWith('.pdf') ? 'application/pdf' : lower.endsWith('.png') ? 'image/png' : /\.jpe?g$/.test(lower) ? 'image/jpeg' : 'application/octet-stream';
      const row = {
        id: randomUUID(),
        voucher_id: v.id,
        file_name: safeFileName(input.file.name),
        mime_type: mime,
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        data,
        added_by: op.actor.userId,
        added_at: op.nowIso,
      };
      await trx.insertInto('custody_attachments').values(row).execute();
      await trx.updateTable('custody_vouchers').set({ attachments: v.attachments + 1, updated_at: op.nowIso, version: v.version + 1 }).where('id', '=', v.id).execute();
      await op.audit({ entity: 'custody_voucher', entityId: v.id, summary: `添加附件「${row.file_name}」(${data.length} 字节)`, after: { attachmentId: row.id, sha256: row.sha256 } });
      return { id: row.id };
    }),
  'custody.vouchers.attachment': async (ctx, input) => {
    const a = await ctx.db.selectFrom('custody_attachments').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!a) throw fail.notFound('附件');
    return { fileName: a.file_name, mimeType: a.mime_type, base64: Buffer.from(a.data).toString('base64') };
  },
  'custody.vouchers.print': (ctx, input) => printVouchers(ctx, input.ids),
  'custody.vouchers.printPeriod': (ctx, input) => printPeriodVouchers(ctx, input.period),
  'custody.vouchers.export': async (ctx, input) => {
    const f = await exportVoucherFile(snapshotSourceOf(ctx.core), input.format, input.from, input.to);
    return { fileName: safeFileName(f.fileName), mimeType: f.mimeType, base64: f.data.toString('base64') };
  },
  'custody.vouchers.import.preview': (ctx, input) => previewHistoryImport(ctx, input),
  'custody.vouchers.import.commit': (ctx, input) => commitHistoryImport(ctx, input),
  'custody.vouchers.import.template': () => historyImportTemplate(),
  'custody.approvers': (ctx) => approverOptions(ctx),
  'custody.accountMap.list': (ctx) => listAccountMap(ctx),
  'custody.accountMap.save': (ctx, input) => saveAccountMap(ctx, input.rows),

  'custody.orgStatement': (ctx, input) => orgStatement(ctx.db, input.orgId, input.from, input.to),
  'custody.orgStatement.print': (ctx, input) => printOrgStatement(ctx, input.orgId, input.from, input.to),
  'custody.orgStatement.export': (ctx, input) => exportOrgStatement(ctx, input.orgId, input.from, input.to),
  'custody.summary': async (ctx, input) => ({ sources: await sourceSummary(ctx, input.from, input.to), projects: await listProjects(ctx) }),
  'custody.summary.export': (ctx, input) => exportSummary(ctx, input.from, input.to),
  'custody.summary.print': (ctx, input) => printSummary(ctx, input.from, input.to),

  'custody.statements.preview': (ctx, input) => previewStatement(ctx, input),
  'custody.statements.previewLines': (ctx, input) => previewStatementLines(ctx, input),
  'custody.statements.import': (ctx, input) => importStatement(ctx, input),
  'custody.statements.mappings': (ctx) => listMappings(ctx),
  'custody.match.data': (ctx, input) => matchData(ctx, input.bankAccountId, input.from, input.to),
  'custody.match.auto': (ctx, input) => autoMatchProposals(ctx, input.bankAccountId, input.from, input.to, input.windowDays),
  'custody.match.confirm': (ctx, input) => confirmMatches(ctx, input.bankAccountId, input.pairs),
  'custody.match.manual': (ctx, input) => manualMatch(ctx, input.bankAccountId, input.bankLineIds, input.entryIds),
  'custody.match.unmatch': (ctx, input) => unmatch(ctx, input.groupId),
  'custody.reconcile': (ctx, input) => reconciliation(ctx.db, input.bankAccountId, input.asOf),
  'custody.reconcile.export': (ctx, input) => exportReconciliation(ctx, input.bankAccountId, input.asOf),
  'custody.reconcile.print': (ctx, input) => printReconciliation(ctx, input.bankAccountId, input.asOf),

  'custody.periods.list': (ctx) => periodList(ctx),
  'custody.periods.close': (ctx, input) => closeMonth(ctx, input.period),
  'custody.periods.reopen': (ctx, input) => ctx.write(async (trx) => (await reopenPeriod(opOf(ctx, trx), input.period, input.reason), ok)),

  'custody.inkind.list': (ctx, input) => listInKind(ctx, input.from, input.to),
  'custody.inkind.save': (ctx, input) => saveInKind(ctx, input),
};
