import type { AppContext } from '../../../app-context';
import { UserFacingError } from '../../../common/errors';
import { getLeadSummary } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/settings';
import { acceptedSuggestionNote, isSuggestionKind } from '../../../domain/suggestions';
import { SUGGESTED_STAGE } from '../../../domain/who-to-call';
import { viewerForAction } from '../../viewer';
import { buildStageChangeModal } from '../../views/lead-card';
import { parseSuggestionValue } from '../../views/today-section';
import { actionOrigin, openModal } from '../../web-api/reply';
import { runLeadVerb } from '../lead-flow';
import type { ButtonListener } from '../listener-types';

/**
 * Accept on a stage suggestion: the stage modal, the suggested stage picked and a note saying
 * why. Nothing changes until the person saves it (the change then lands in the history).
 */
export function suggestionAccept(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const value = parseSuggestionValue(action.value);
    if (!value || !isSuggestionKind(value.kind))
      return void deps.logger.warn({ value: action.value }, 'suggestion button with an unreadable value');
    const { kind } = value;
    const origin = actionOrigin(body);
    const viewer = await viewerForAction(deps, client, origin);
    await runLeadVerb(
      { deps, client, viewer, origin, leadId: value.leadId },
      {
        name: 'accept_suggestion',
        access: 'edit',
        async run() {
          const { prisma } = deps.db;
          const [lead, labels] = await Promise.all([getLeadSummary(prisma, value.leadId), loadStageLabels(prisma)]);
          if (String(lead.stage) === SUGGESTED_STAGE[kind])
            throw new UserFacingError('That lead is already in the suggested stage.');
          const note = acceptedSuggestionNote({ kind, orderCount: Number(value.facts) });
          await openModal(
            client,
            origin,
            buildStageChangeModal(lead, {
              labels,
              preselect: SUGGESTED_STAGE[kind],
              responseUrl: origin.responseUrl,
              values:
                kind === 'at_risk'
                  ? { note, churnReason: 'No order for more than twice its usual interval' }
                  : { note },
            }),
          );
        },
      },
    );
  };
}
