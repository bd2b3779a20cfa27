/** Incubation stage changes: validated by the shared transition table, appended to the history, audited. */
import { fail } from '@shared/errors';
import { todayInChina } from '@shared/dates/parse';
import { INCUBATION_STAGE_LABELS, TRANSITION_FIELD_LABELS, validateTransition, type IncubationStage, type TransitionInput } from '@shared/organizations/incubation';
import type { CallContext } from '../api/context';
import { checkVersion } from '../api/versions';
import { loadOrg, recordIncubationEvent } from './records';

export async function transitionOrganization(ctx: CallContext, orgId: string, input: TransitionInput, version?: number): Promise<void> {
  const nowIso = ctx.now().toISOString();
  const today = todayInChina(ctx.now());
  const recorder = ctx.user?.displayName ?? ctx.user?.username ?? '系统';
  await ctx.write(async (trx) => {
    const org = await loadOrg(trx, orgId);
    await checkVersion(trx, 'organizations', orgId, version);
    if (org.status === 'withdrawn') throw fail.rule(`「${org.name}」已退出台账,不能再变更孵化阶段`);
    const from = org.incubation_stage as IncubationStage | null;
    const issues = validateTransition({ from, lastDate: org.incubation_date, today }, input);
    if (issues.length) {
      throw fail.validation(
        issues.map((i) => i.message).join(';'),
        issues.map((i) => ({ path: i.field, message: `${TRANSITION_FIELD_LABELS[i.field]}:${i.message}` })),
      );
    }
    await recordIncubationEvent(
      trx,
      org,
      {
        to_stage: input.to,
        date: input.date,
        decided_by: input.decidedBy.trim(),
        reason: input.reason.trim(),
        mode: input.to === 'admitted' ? (input.mode ?? null) : null,
        space: input.to === 'admitted' ? (input.space?.trim() || null) : null,
        mentor: input.to === 'incubating' ? (input.mentor?.trim() || null) : null,
        agreement_start: input.to === 'incubating' ? (input.agreementStart ?? null) : null,
        agreement_end: input.to === 'incubating' ? (input.agreementEnd ?? null) : null,
        recorded_by: recorder,
      },
      nowIso,
    );
    await ctx.audit(trx, {
      entity: 'organization',
      entityId: orgId,
      summary: `「${org.name}」孵化阶段:${from ? INCUBATION_STAGE_LABELS[from] : '无'} → ${INCUBATION_STAGE_LABELS[input.to]}(${input.reason.trim()})`,
      before: { stage: from, date: org.incubation_date },
      after: input,
    });
  });
}
