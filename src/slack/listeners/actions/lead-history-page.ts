import type { AppContext } from '../../../app-context';
import { UserFacingError } from '../../../common/errors';
import { getLeadHistory } from '../../../domain/lead-history';
import { getLeadSummary } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/settings';
import { refusalFor, viewerForAction } from '../../viewer';
import { buildLeadHistoryMessage } from '../../views/lead-card';
import { buildNoticeModal } from '../../views/notice-modal';
import { userErrorText } from '../../views/user-error';
import { actionOrigin, openModal, postToResponseUrl, tellUser } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';

/** "All history" / "Older" / "Newer": value `<leadId>:<page>`; replaces the message with that page. */
export function leadHistoryPage(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const origin = actionOrigin(body);
    const viewer = await viewerForAction(deps, client, origin);
    const refusal = refusalFor(viewer, 'read');
    if (refusal) return tellUser(deps, client, origin, refusal, 'Not allowed');
    const m = /^(\d+):(\d+)$/.exec(action.value ?? '');
    if (!m) return void deps.logger.warn({ value: action.value }, 'history button without lead and page');
    const { prisma } = deps.db;
    const leadId = Number(m[1]);
    try {
      const [lead, page, labels] = await Promise.all([
        getLeadSummary(prisma, leadId),
        getLeadHistory(prisma, leadId, Number(m[2])),
        loadStageLabels(prisma),
      ]);
      const message = buildLeadHistoryMessage(lead, page, labels);
      if (origin.responseUrl) await postToResponseUrl(deps, origin.responseUrl, { ...message, replace_original: true });
      else
        await openModal(client, origin, {
          ...buildNoticeModal('Lead history', message.text),
          blocks: message.blocks ?? [],
        });
    } catch (err) {
      if (err instanceof UserFacingError) return tellUser(deps, client, origin, userErrorText(err));
      deps.logger.error({ err }, 'lead history failed');
      await tellUser(deps, client, origin, 'Sorry, the history could not be shown. It has been logged.');
    }
  };
}
