import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { changeStage } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/stages';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { afterLeadChange } from '../../lead-interactions';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { beginLeadSubmission, errorsForFailure, fieldErrors, inputValue, selectedValue } from './lead-submission';

export function registerStageChangeSubmission(app: App, deps: AppDeps): void {
  app.view(CALLBACK_IDS.stageChange, async ({ ack, body, view, client }) => {
    const begun = await beginLeadSubmission(deps, client, body.user.id, view, LEAD_BLOCKS.stage);
    if ('errors' in begun) return void (await ack(begun.errors));
    const { viewer, meta } = begun;
    const toStage = selectedValue(view, LEAD_BLOCKS.stage, ACTION_IDS.stageSelect);
    if (!toStage) return void (await ack(fieldErrors({ [LEAD_BLOCKS.stage]: 'Pick a stage.' })));
    let change;
    try {
      change = await changeStage(deps.db.prisma, deps.clock, {
        leadId: meta.leadId,
        expectedVersion: meta.version,
        actorId: viewer.userId,
        toStage,
        note: inputValue(view, LEAD_BLOCKS.stageNote, ACTION_IDS.stageNote),
        churnReason: inputValue(view, LEAD_BLOCKS.churnReason, ACTION_IDS.churnReason),
        labels: await loadStageLabels(deps.db.prisma),
      });
    } catch (err) {
      return void (await ack(errorsForFailure(deps, err, LEAD_BLOCKS.stage, { note: LEAD_BLOCKS.stageNote })));
    }
    await ack();
    await afterLeadChange(deps, client, viewer, change, meta.responseUrl);
  });
}
