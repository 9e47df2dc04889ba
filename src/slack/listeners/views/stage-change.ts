import type { ViewOutput } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { changeStage, getLeadSummary, LeadValidationError } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/settings';
import { ACTION_IDS, CALLBACK_IDS } from '../../views/action-ids';
import { buildStageChangeModal, LEAD_BLOCKS } from '../../views/lead-modals';
import { inputValue, openModal, selectedValue } from '../../web-api/reply';
import { type LeadSubmissionOptions, type LeadVerb, leadButton, leadSubmission } from '../lead-flow';
import type { ButtonListener, ViewListener } from '../listener-types';

/** The stage-change modal: the `stage` verb that opens it, and its submission. */

/** "Change stage": opens the stage-change modal (with the current labels). */
export const stageVerb: LeadVerb = {
  name: 'stage',
  access: 'edit',
  async run({ deps, client, origin, leadId }) {
    const { prisma } = deps.db;
    const [lead, labels] = await Promise.all([getLeadSummary(prisma, leadId), loadStageLabels(prisma)]);
    await openModal(client, origin, buildStageChangeModal(lead, { labels, responseUrl: origin.responseUrl }));
  },
};

export function openStageModal(deps: AppContext): ButtonListener {
  return leadButton(deps, stageVerb);
}

const typed = (view: ViewOutput) => ({
  stage: selectedValue(view, LEAD_BLOCKS.stage, ACTION_IDS.stageSelect),
  note: inputValue(view, LEAD_BLOCKS.stageNote, ACTION_IDS.stageNote),
  churnReason: inputValue(view, LEAD_BLOCKS.churnReason, ACTION_IDS.churnReason),
});

/** The stage-change modal submitted: moves the lead (a churn needs its reason). */
export function stageChange(deps: AppContext): ViewListener {
  const options: LeadSubmissionOptions = {
    callbackId: CALLBACK_IDS.stageChange,
    primaryBlock: LEAD_BLOCKS.stage,
    overrides: { note: LEAD_BLOCKS.stageNote },
    refill: ({ view, meta }, { lead, notice, labels }) => {
      const { stage, note, churnReason } = typed(view);
      return buildStageChangeModal(lead, {
        labels,
        responseUrl: meta.responseUrl,
        notice,
        values: { note, churnReason },
        ...(stage ? { preselect: stage } : {}),
      });
    },
  };
  return leadSubmission(deps, options, async ({ view, viewer, meta }) => {
    const { stage: toStage, note, churnReason } = typed(view);
    if (!toStage) throw new LeadValidationError('stage', 'Pick a stage.');
    return changeStage(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      expectedVersion: meta.version,
      actorId: viewer.userId,
      toStage,
      note,
      churnReason,
    });
  });
}
