import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { getLeadHistory } from '../../../domain/lead-history';
import { getLeadSummary, LeadNotFoundError } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/stages';
import { ACTION_IDS } from '../../action-ids';
import { actionOrigin, postToResponseUrl, tellUser } from '../../lead-interactions';
import { buildLeadHistoryMessage } from '../../views/lead-card';
import { buildNoticeModal } from '../../views/lead-modals';
import { refusalFor, resolveViewer } from '../../viewer';

/** "All history" / "Older" / "Newer": value `<leadId>:<page>`; replaces the message with that page. */
export function registerLeadHistoryPage(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.leadHistoryPage, async ({ ack, body, action, client }) => {
    await ack();
    const origin = actionOrigin(body);
    const viewer = await resolveViewer(deps, client, body.user.id);
    const refusal = refusalFor(viewer, 'read');
    if (refusal) return tellUser(deps, client, origin, refusal, 'Not allowed');
    const m = /^(\d+):(\d+)$/.exec(action.value ?? '');
    if (!m) return void deps.logger.warn({ value: action.value }, 'history button without lead and page');
    const { prisma } = deps.db;
    try {
      const [lead, page, labels] = await Promise.all([getLeadSummary(prisma, Number(m[1])), getLeadHistory(prisma, Number(m[1]), Number(m[2])), loadStageLabels(prisma)]);
      const message = buildLeadHistoryMessage(lead, page, labels);
      if (origin.responseUrl) await postToResponseUrl(deps, origin.responseUrl, { ...message, replace_original: true });
      else await client.views.open({ trigger_id: body.trigger_id, view: { ...buildNoticeModal('Lead history', message.text), blocks: message.blocks ?? [] } });
    } catch (err) {
      if (err instanceof LeadNotFoundError) return tellUser(deps, client, origin, err.userMessage);
      deps.logger.error({ err }, 'lead history failed');
      await tellUser(deps, client, origin, 'Sorry, the history could not be shown. It has been logged.');
    }
  });
}
