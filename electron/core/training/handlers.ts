import type { trainingContract } from '@shared/contract/training';
import type { HandlersFor } from '../api/handler';
import { chinaToday, trainingOptions } from './common';
import { getPlan, savePlan } from './plans';
import { cancelSession, getSession, listSessions, saveSession } from './sessions';
import { checkDuplicate, revealIdNumber, saveTrainee } from './trainees';
import { exportTraineeHistory, listTrainees, traineeHistory } from './traineeQueries';
import { addPersonAndSignIn, addRegistrations, listAttendance, lookupForSignIn, markAbsent, recordSignIn, removeRegistration, setAttendance } from './attendance';
import { importSigninSheet, signinTemplate } from './signinImport';
import { certificatesHtml, issueCertificates, listCertificates } from './certificates';
import { exportStats, trainingStats } from './stats';
import { exportExam, listExamCandidates, saveExamCandidate } from './exam';
import { commitTraineeImport, exportTraineesForImport, previewTraineeImport, traineeImportTemplate } from './traineeImport';

/** Handlers of the training area, one per entry of `trainingContract`. */
export const trainingHandlers: HandlersFor<typeof trainingContract> = {
  'training.options': (ctx) => trainingOptions(ctx),
  'training.plan.get': (ctx, i) => getPlan(ctx.db, i.year),
  'training.plan.save': (ctx, i) => savePlan(ctx, i),
  'training.sessions.list': (ctx, i) => listSessions(ctx.db, i),
  'training.sessions.get': (ctx, i) => getSession(ctx.db, i.id),
  'training.sessions.save': (ctx, i) => saveSession(ctx, i),
  'training.sessions.cancel': (ctx, i) => cancelSession(ctx, i.id, i.reason),
  'training.trainees.list': (ctx, i) => listTrainees(ctx.db, ctx.requireUser().roles, i),
  'training.trainees.get': (ctx, i) => traineeHistory(ctx.db, ctx.requireUser().roles, i.id),
  'training.trainees.revealIdNumber': (ctx, i) => revealIdNumber(ctx, i.id),
  'training.trainees.export': (ctx, i) => exportTraineeHistory(ctx.db, ctx.requireUser().roles, i.id),
  'training.trainees.checkDuplicate': (ctx, i) => checkDuplicate(ctx, i),
  'training.trainees.save': (ctx, i) => saveTrainee(ctx, i),
  'training.trainees.import.preview': (ctx, i) => previewTraineeImport(ctx, i),
  'training.trainees.import.commit': (ctx, i) => commitTraineeImport(ctx, i),
  'training.trainees.import.template': () => traineeImportTemplate(),
  'training.trainees.exportRoster': (ctx) => exportTraineesForImport(ctx),
  'training.registrations.add': (ctx, i) => addRegistrations(ctx, i.sessionId, i.traineeIds),
  'training.registrations.remove': (ctx, i) => removeRegistration(ctx, i.sessionId, i.traineeId),
  'training.attendance.list': (ctx, i) => listAttendance(ctx.db, i.sessionId),
  'training.signin.lookup': (ctx, i) => lookupForSignIn(ctx.db, i.sessionId, i.query),
  'training.signin.record': (ctx, i) => recordSignIn(ctx, i.sessionId, i.traineeId, i.clock),
  'training.signin.addPerson': (ctx, i) => addPersonAndSignIn(ctx, i),
  'training.attendance.set': (ctx, i) => setAttendance(ctx, i),
  'training.attendance.markAbsent': (ctx, i) => markAbsent(ctx, i.sessionId),
  'training.signin.import': (ctx, i) => importSigninSheet(ctx, i),
  'training.signin.template': (ctx, i) => signinTemplate(ctx.db, i.sessionId),
  'training.certificates.issue': (ctx, i) => issueCertificates(ctx, i.sessionId),
  'training.certificates.list': (ctx, i) => listCertificates(ctx.db, i),
  'training.certificates.print': (ctx, i) => certificatesHtml(ctx.db, i.serials),
  'training.stats': (ctx, i) => trainingStats(ctx.db, i.year, chinaToday(ctx.now())),
  'training.stats.export': (ctx, i) => exportStats(ctx.db, i.year, chinaToday(ctx.now())),
  'training.exam.list': (ctx, i) => listExamCandidates(ctx.db, i.year),
  'training.exam.saveCandidate': (ctx, i) => saveExamCandidate(ctx, i),
  'training.exam.export': (ctx, i) => exportExam(ctx.db, i.year),
};
