import type { organizationsContract } from '@shared/contract/organizations';
import { currentChinaYear } from '@shared/dates/parse';
import type { HandlersFor } from '../api/handler';
import { readHub } from '../admin/hubService';
import { checkCode, createOrganization, getOrganization, updateOrganization, withdrawOrganization } from './records';
import { similarNames } from './duplicateNames';
import { groupCounts, incubationBoard, listOrganizations, queryEnv, streetSummary } from './queries';
import { transitionOrganization } from './incubation';
import { fileMajorReport, listActivities, saveActivity, setActivityStatus } from './activities';
import { activityImportTemplate, commitActivityImport, exportActivitiesForImport, previewActivityImport } from './activityImport';
import { listEvaluations, saveEvaluation } from './evaluations';
import { createReport, downloadAttachment, listAttachments, listReports, uploadAttachment } from './documents';
import { commitImport, previewImport } from './importer';
import { exportOrganizations } from './exporter';
import { deleteView, listViews, saveView } from './views';

/** Handlers of the organizations area, one per entry of `organizationsContract`. */
export const organizationsHandlers: HandlersFor<typeof organizationsContract> = {
  'organizations.list': async (ctx, input) => listOrganizations(ctx.db, input, await queryEnv(ctx.core, ctx.now())),
  'organizations.views.list': (ctx) => listViews(ctx),
  'organizations.views.save': (ctx, { name, state }) => saveView(ctx, name, state),
  'organizations.views.delete': async (ctx, { id }) => {
    await deleteView(ctx, id);
    return { ok: true as const };
  },
  'organizations.groupCounts': async (ctx, { by, ...q }) => groupCounts(ctx.db, q, by, await queryEnv(ctx.core, ctx.now())),
  'organizations.get': (ctx, { id }) => getOrganization(ctx, id),
  'organizations.checkName': (ctx, { name, excludeId }) => similarNames(ctx.db, name, excludeId),
  'organizations.checkCode': (ctx, { code, excludeId }) => checkCode(ctx, code, excludeId),
  'organizations.create': (ctx, { input, incubation }) => createOrganization(ctx, input, incubation),
  'organizations.update': (ctx, { id, version, input }) => updateOrganization(ctx, id, version, input),
  'organizations.withdraw': async (ctx, { id, date, reason, version }) => {
    await withdrawOrganization(ctx, id, date, reason, version);
    return { ok: true as const };
  },
  'organizations.transition': async (ctx, { orgId, version, ...input }) => {
    await transitionOrganization(ctx, orgId, input, version);
    return { ok: true as const };
  },
  'organizations.board': async (ctx, input) => incubationBoard(ctx.db, await queryEnv(ctx.core, ctx.now()), input),
  'organizations.streetSummary': async (ctx, { year }) => {
    const y = year ?? currentChinaYear(ctx.now());
    return { year: y, rows: await streetSummary(ctx.db, await queryEnv(ctx.core, ctx.now()), y) };
  },
  'organizations.activities.list': (ctx, input) => listActivities(ctx, input),
  'organizations.activities.save': (ctx, input) => saveActivity(ctx, input),
  'organizations.activities.import.preview': (ctx, input) => previewActivityImport(ctx, input),
  'organizations.activities.import.commit': (ctx, input) => commitActivityImport(ctx, input),
  'organizations.activities.import.template': () => activityImportTemplate(),
  'organizations.activities.export': (ctx) => exportActivitiesForImport(ctx),
  'organizations.activities.fileReport': async (ctx, { id, filedDate, note }) => {
    await fileMajorReport(ctx, id, filedDate, note);
    return { ok: true as const };
  },
  'organizations.activities.setStatus': async (ctx, { id, status, actualAttendance }) => {
    await setActivityStatus(ctx, id, status, actualAttendance);
    return { ok: true as const };
  },
  'organizations.evaluations.list': (ctx, { orgId }) => listEvaluations(ctx, orgId),
  'organizations.evaluations.save': (ctx, input) => saveEvaluation(ctx, input),
  'organizations.reports.list': (ctx, { orgId }) => listReports(ctx, orgId),
  'organizations.reports.create': (ctx, input) => createReport(ctx, input),
  'organizations.attachments.list': (ctx, { orgId }) => listAttachments(ctx, orgId),
  'organizations.attachments.upload': (ctx, { orgId, file }) => uploadAttachment(ctx, orgId, file),
  'organizations.attachments.download': (ctx, { id }) => downloadAttachment(ctx, id),
  'organizations.import.preview': (ctx, input) => previewImport(ctx, input),
  'organizations.import.commit': (ctx, input) => commitImport(ctx, input),
  'organizations.export': async (ctx, input) => {
    const hub = await readHub(ctx.db);
    return exportOrganizations(ctx.db, ctx.core.sqlite, input, await queryEnv(ctx.core, ctx.now()), { hubName: hub?.name ?? '孵化基地', now: ctx.now() });
  },
};
