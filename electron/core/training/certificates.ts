import { sql } from 'kysely';
import { formatChinaDateTime } from '@shared/dates/parse';
import { fail } from '@shared/errors';
import type { Certificate } from '@shared/contract/training';
import { formatHours } from '@shared/training/attendance';
import { certificateRefusal, nextCertificateSerials, parseCertificateSerial } from '@shared/training/certificate';
import type { CallContext } from '../api/context';
import type { Db } from '../db/connection';
import { requireHub } from '../admin/hubService';
import { chinaToday, dictLabels } from './common';

function certQuery(db: Db) {
  return db
    .selectFrom('training_certificates as c')
    .innerJoin('training_sessions as s', 's.id', 'c.session_id')
    .innerJoin('training_trainees as t', 't.id', 'c.trainee_id')
    .innerJoin('training_attendance as a', (j) => j.onRef('a.session_id', '=', 'c.session_id').onRef('a.trainee_id', '=', 'c.trainee_id'))
    .select([
      'c.serial',
      'c.session_id',
      's.title',
      's.date',
      's.category',
      's.minutes',
      'c.trainee_id',
      't.name',
      'a.credited_minutes',
      'c.issued_at',
    ]);
}

type CertRow = Awaited<ReturnType<ReturnType<typeof certQuery>['execute']>>[number];
const toCert = (r: CertRow): Certificate => ({
  serial: r.serial,
  sessionId: r.session_id,
  sessionTitle: r.title,
  sessionDate: r.date,
  traineeId: r.trainee_id,
  traineeName: r.name,
  creditedMinutes: r.credited_minutes,
  issuedAt: r.issued_at,
});

export async function listCertificates(db: Db, f: { sessionId?: string; traineeId?: string }): Promise<Certificate[]> {
  let q = certQuery(db);
  if (f.sessionId) q = q.where('c.session_id', '=', f.sessionId);
  if (f.traineeId) q = q.where('c.trainee_id', '=', f.traineeId);
  return (await q.orderBy('c.serial').limit(5000).execute()).map(toCert);
}

/**
 * Issues a certificate to everyone who completed the session and has none yet. Serials continue the
 * year's sequence (the year of the session), allocated inside the write transaction, so two issuers
 * can never take the same number (the UNIQUE keys would refuse it anyway).
 */
export async function issueCertificates(ctx: CallContext, sessionId: string): Promise<{ issued: Certificate[]; skipped: number }> {
  return ctx.write(async (trx) => {
    const session = await trx.selectFrom('training_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    if (!session) throw fail.notFound('培训场次');
    if (session.status === 'cancelled') throw fail.rule('该场次已取消');
    const today = chinaToday(ctx.now());
    if (session.date > today) throw fail.rule('培训尚未举行，不能颁发结业证书');
    // Completed means the session is over: not before its end time (sessions do not cross midnight).
    if (session.start_time) {
      const endMinutes = Number(session.start_time.slice(0, 2)) * 60 + Number(session.start_time.slice(3, 5)) + session.minutes;
      const end = `${session.date} ${String(Math.floor(endMinutes / 60)).padStart(2, '0')}:${String(endMinutes % 60).padStart(2, '0')}`;
      if (formatChinaDateTime(ctx.now()) < end) throw fail.rule(`培训尚未结束（${end}结束），结束后才能颁发结业证书`);
    }
    const rows = await trx
      .selectFrom('training_attendance as a')
      .leftJoin('training_certificates as c', (j) => j.onRef('c.session_id', '=', 'a.session_id').onRef('c.trainee_id', '=', 'a.trainee_id'))
      .select(['a.trainee_id', 'a.status', 'a.completed', 'c.serial'])
      .where('a.session_id', '=', sessionId)
      .execute();
    const eligible = rows.filter((r) => certificateRefusal({ status: r.status, completed: r.completed === 1, existingSerial: r.serial }, session.date, today) === null);
    if (eligible.length === 0) throw fail.rule('没有可颁发证书的学员（需出勤且学时达到结业要求，且尚未颁发）');
    const year = Number(session.date.slice(0, 4));
    const max = await sql<{ m: number | null }>`SELECT MAX(sequence) AS m FROM training_certificates WHERE year = ${year}`.execute(trx);
    const serials = nextCertificateSerials(year, Number(max.rows[0]?.m ?? 0), eligible.length);
    const now = ctx.now().toISOString();
    await trx
      .insertInto('training_certificates')
      .values(
        eligible.map((r, i) => ({
          serial: serials[i],
          year,
          sequence: parseCertificateSerial(serials[i])!.sequence,
          session_id: sessionId,
          trainee_id: r.trainee_id,
          issued_at: now,
          issued_by: ctx.user?.id ?? null,
        })),
      )
      .execute();
    await ctx.audit(trx, {
      entity: 'training_session',
      entityId: sessionId,
      summary: `「${session.title}」颁发结业证书${serials.length}份（${serials[0]}${serials.length > 1 ? ` 至 ${serials[serials.length - 1]}` : ''}）`,
      after: { serials },
    });
    const issued = (await certQuery(trx).where('c.serial', 'in', serials).orderBy('c.serial').execute()).map(toCert);
    return { issued, skipped: rows.length - eligible.length };
  });
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const cnDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** Printable certificates: one A4 landscape page each, for Electron's printToPDF or the browser's print. */
export async function certificatesHtml(db: Db, serials: readonly string[]): Promise<{ html: string; fileName: string }> {
  const rows = await certQuery(db).where('c.serial', 'in', [...serials]).orderBy('c.serial').execute();
  const found = new Set(rows.map((r) => r.serial));
  const missing = serials.filter((s) => !found.has(s));
  if (missing.length) throw fail.notFound(`结业证书 ${missing.slice(0, 3).join('、')}`);
  const hub = await requireHub(db);
  const categories = await dictLabels(db, 'training_category');
  const pages = rows
    .map(
      (r) => `<section class="cert">
  <div class="frame">
    <h1>结业证书</h1>
    <p class="body"><span class="name">${esc(r.name)}</span> 同志：</p>
    <p class="body indent">于${cnDate(r.date)}参加${esc(hub.name)}举办的「${esc(r.title)}」培训（${esc(categories.get(r.category) ?? r.category)}，计${formatHours(r.credited_minutes)}学时），完成全部学习任务，准予结业。</p>
    <p class="body indent">特发此证。</p>
    <div class="foot">
      <div class="serial">证书编号：${esc(r.serial)}</div>
      <div class="issuer">${esc(hub.name)}<br />${cnDate(chinaToday(new Date(r.issued_at)))}</div>
    </div>
  </div>
</section>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8" /><title>结业证书</title>
<style>
  @page { size: A4 landscape; margin: 0; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; color: #222; }
  .cert { width: 297mm; height: 210mm; padding: 14mm; page-break-after: always; }
  .cert:last-child { page-break-after: auto; }
  .frame { height: 100%; border: 3mm double #b8860b; padding: 18mm 26mm; position: relative; }
  h1 { text-align: center; font-size: 34pt; letter-spacing: 1em; margin: 4mm 0 14mm; color: #a0141e; }
  .body { font-size: 17pt; line-height: 2; margin: 0; }
  .indent { text-indent: 2em; }
  .name { font-size: 20pt; font-weight: bold; border-bottom: 1px solid #222; padding: 0 4mm; }
  .foot { position: absolute; left: 26mm; right: 26mm; bottom: 18mm; display: flex; justify-content: space-between; align-items: flex-end; font-size: 13pt; }
  .issuer { text-align: center; line-height: 1.8; }
</style></head><body>
${pages}
</body></html>`;
  const fileName = rows.length === 1 ? `结业证书-${rows[0].name}-${rows[0].serial}.pdf` : `结业证书-${rows.length}份.pdf`;
  return { html, fileName };
}
