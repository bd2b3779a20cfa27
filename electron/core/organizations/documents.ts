/**
 * Work reports to the 村(社区)"两委", information disclosures, and attachments. Attachment bytes live in the data
 * folder under their SHA-256 (`attachments/ab/abcdef…`), so the same file uploaded twice is stored once and a
 * file can be checked against its name in the database.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fail } from '@shared/errors';
import { todayInChina } from '@shared/dates/parse';
import type { AttachmentRow, ReportRow } from '@shared/contract/organizations';
import type { CallContext } from '../api/context';
import { loadOrg } from './records';
import { pathInside, writeFileAtomic } from '../safePath';

const MIME: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
};

export function attachmentPath(dataDir: string, sha256: string): string {
  return pathInside(join(dataDir, 'attachments'), sha256.slice(0, 2), sha256);
}

export async function uploadAttachment(ctx: CallContext, orgId: string, file: { name: string; base64: string }): Promise<AttachmentRow> {
  const bytes = Buffer.from(file.base64, 'base64');
  if (bytes.length === 0) throw fail.validation('文件是空的');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = attachmentPath(ctx.core.dataDir, sha256);
  // Write the bytes before the row: a crash in between leaves an unreferenced file, never a row without its file.
  if (!existsSync(path)) writeFileAtomic(path, bytes);
  const nowIso = ctx.now().toISOString();
  const fileName = file.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 200);
  const row: AttachmentRow = {
    id: randomUUID(),
    orgId,
    sha256,
    fileName,
    size: bytes.length,
    mimeType: MIME[extname(fileName).toLowerCase()] ?? 'application/octet-stream',
    uploadedBy: ctx.user?.displayName ?? null,
    uploadedAt: nowIso,
  };
  await ctx.write(async (trx) => {
    const org = await loadOrg(trx, orgId);
    await trx
      .insertInto('org_attachments')
      .values({ id: row.id, org_id: orgId, sha256, file_name: fileName, size: row.size, mime_type: row.mimeType, uploaded_by: row.uploadedBy, uploaded_at: nowIso })
      .execute();
    await ctx.audit(trx, { entity: 'org_attachment', entityId: row.id, summary: `为「${org.name}」上传附件「${fileName}」(${row.size} 字节)`, after: row });
  });
  return row;
}

export async function listAttachments(ctx: CallContext, orgId: string): Promise<AttachmentRow[]> {
  const rows = await ctx.db.selectFrom('org_attachments').selectAll().where('org_id', '=', orgId).orderBy('uploaded_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, sha256: r.sha256, fileName: r.file_name, size: r.size, mimeType: r.mime_type, uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at }));
}

export async function downloadAttachment(ctx: CallContext, id: string) {
  const r = await ctx.db.selectFrom('org_attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw fail.notFound('附件');
  const path = attachmentPath(ctx.core.dataDir, r.sha256);
  if (!existsSync(path)) throw fail.rule(`附件「${r.file_name}」的文件已丢失(数据目录中找不到 ${r.sha256.slice(0, 12)}…)`);
  const bytes = readFileSync(path);
  if (createHash('sha256').update(bytes).digest('hex') !== r.sha256) throw fail.rule(`附件「${r.file_name}」的文件已损坏(校验值不符)`);
  return { fileName: r.file_name, mimeType: r.mime_type, base64: bytes.toString('base64') };
}

export async function createReport(
  ctx: CallContext,
  input: { orgId: string; kind: 'work_report' | 'disclosure'; date: string; title: string; content?: string | null; recipient?: string | null },
): Promise<{ id: string }> {
  const today = todayInChina(ctx.now());
  if (input.date > today) throw fail.validation(`日期 ${input.date} 晚于今天(${today})`, [{ path: 'date', message: '日期不能晚于今天' }]);
  const id = randomUUID();
  await ctx.write(async (trx) => {
    const org = await loadOrg(trx, input.orgId);
    const values = {
      id,
      org_id: input.orgId,
      kind: input.kind,
      date: input.date,
      title: input.title.trim(),
      content: input.content ?? null,
      recipient: input.kind === 'work_report' ? input.recipient?.trim() || '村(社区)"两委"' : input.recipient?.trim() || null,
      created_by: ctx.user?.displayName ?? null,
      created_at: ctx.now().toISOString(),
    };
    await trx.insertInto('org_reports').values(values).execute();
    await ctx.audit(trx, {
      entity: 'org_report',
      entityId: id,
      summary: `登记「${org.name}」${input.kind === 'work_report' ? '工作报告' : '信息公开'}「${values.title}」`,
      after: values,
    });
  });
  return { id };
}

export async function listReports(ctx: CallContext, orgId: string): Promise<ReportRow[]> {
  const rows = await ctx.db.selectFrom('org_reports').selectAll().where('org_id', '=', orgId).orderBy('date', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    kind: r.kind as ReportRow['kind'],
    date: r.date,
    title: r.title,
    content: r.content,
    recipient: r.recipient,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}
