import type { AppContext } from '../../../app-context';
import { loadStageLabels } from '../../../domain/settings';
import { dismissSuggestion } from '../../../domain/suggestions';
import { viewerForAction } from '../../viewer';
import { parseSuggestionValue } from '../../views/today-section';
import { actionOrigin, tellUser } from '../../web-api/reply';
import { refreshLeadCard, runLeadVerb } from '../lead-flow';
import type { ButtonListener } from '../listener-types';

/** Dismiss on a stage suggestion: hidden until its facts change, recorded in the lead's history. */
export function suggestionDismiss(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const value = parseSuggestionValue(action.value);
    if (!value) return void deps.logger.warn({ value: action.value }, 'suggestion button with an unreadable value');
    const origin = actionOrigin(body);
    const viewer = await viewerForAction(deps, client, origin);
    await runLeadVerb(
      { deps, client, viewer, origin, leadId: value.leadId },
      {
        name: 'dismiss_suggestion',
        access: 'edit',
        async run() {
          const labels = await loadStageLabels(deps.db.prisma);
          await dismissSuggestion(deps.db.prisma, deps.clock, { ...value, actorId: viewer.userId }, labels);
          await Promise.all([
            deps.homePublisher.publish(client, viewer),
            origin.responseUrl
              ? refreshLeadCard(deps, viewer, value.leadId, origin.responseUrl)
              : origin.viewId
                ? tellUser(deps, client, origin, 'Suggestion dismissed.', 'Dismissed')
                : Promise.resolve(),
          ]);
        },
      },
    );
  };
}
