import type { AppContext } from '../../../app-context';
import { changeStage, LeadValidationError } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/stages';
import { ACTION_IDS, CALLBACK_IDS } from '../../views/action-ids';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import type { ViewListener } from '../types';
import { inputValue, leadSubmission, selectedValue } from './lead-submission';

/** The stage-change modal submitted: moves the lead (a churn needs its reason). */
export function stageChange(deps: AppContext): ViewListener {
  const options = { callbackId: CALLBACK_IDS.stageChange, primaryBlock: LEAD_BLOCKS.stage, overrides: { note: LEAD_BLOCKS.stageNote } };
  return leadSubmission(deps, options, async ({ view, viewer, meta }) => {
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
