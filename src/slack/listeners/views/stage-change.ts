import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { changeStage, LeadValidationError } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/stages';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { inputValue, registerLeadSubmission, selectedValue } from './lead-submission';

export function registerStageChangeSubmission(app: App, deps: AppDeps): void {
  const options = { callbackId: CALLBACK_IDS.stageChange, primaryBlock: LEAD_BLOCKS.stage, overrides: { note: LEAD_BLOCKS.stageNote } };
  registerLeadSubmission(app, deps, options, async ({ view, viewer, meta }) => {
    const toStage = selectedValue(view, LEAD_BLOCKS.stage, ACTION_IDS.stageSelect);
    if (!toStage) throw new LeadValidationError('stage', 'Pick a stage.');
    return changeStage(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      expectedVersion: meta.version,
      actorId: viewer.userId,
      toStage,
      note: inputValue(view, LEAD_BLOCKS.stageNote, ACTION_IDS.stageNote),
      churnReason: inputValue(view, LEAD_BLOCKS.churnReason, ACTION_IDS.churnReason),
      labels: await loadStageLabels(deps.db.prisma),
    });
  });
}
