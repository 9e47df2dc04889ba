import type { AppContext } from '../../../app-context';
import { getLeadCard } from '../../../domain/lead-card-data';
import { loadStageLabels } from '../../../domain/settings';
import { canEdit, refusalFor, resolveViewer } from '../../viewer';
import { buildLeadCard } from '../../views/lead-card';
import type { ButtonListener } from '../listener-types';

/** "Open lead" on a follow-up DM: the lead card, to the clicker only. */
export function followUpOpenLead(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client, respond }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    const refusal = refusalFor(viewer, 'read');
    if (refusal) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: refusal }));
    const leadId = Number(action.value);
    try {
      const [card, labels] = await Promise.all([getLeadCard(deps.db.prisma, leadId), loadStageLabels(deps.db.prisma)]);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...buildLeadCard(card, { labels, viewerId: viewer.userId, canEdit: canEdit(viewer) }),
      });
    } catch (err) {
      deps.logger.warn({ err, leadId }, 'could not open the lead from a follow-up');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That lead could not be opened; it may have been removed.',
      });
    }
  };
}
