import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import { getLeadSummary } from '../domain/leads';
import { getOrderHistory } from '../domain/order-history';
import { getRates } from '../domain/rates';
import { ProductionError } from '../production/types';
import type { EphemeralMessage } from './commands/types';
import type { InteractionOrigin } from './lead-interactions';
import { postToResponseUrl } from './lead-interactions';
import { buildNoticeModal } from './views/lead-modals';
import { escapeMrkdwn } from './views/mrkdwn';
import { buildOrderHistoryMessage, PRODUCTION_NOT_CONFIGURED, type OrderHistoryCustomer } from './views/order-history';

/**
 * A customer's order history as a message, read from production now. Never throws for a
 * production failure: the user is told plainly that production data is unavailable.
 */
export async function orderHistoryMessage(deps: AppDeps, customer: OrderHistoryCustomer): Promise<EphemeralMessage> {
  if (!deps.production) return { text: PRODUCTION_NOT_CONFIGURED };
  try {
    const rates = await getRates(deps.db.prisma);
    const history = await getOrderHistory(deps.production, rates, customer.customerId);
    return buildOrderHistoryMessage(customer, history);
  } catch (err) {
    if (err instanceof ProductionError) {
      deps.logger.warn({ err, customerId: customer.customerId }, 'order history unavailable');
      return { text: `${escapeMrkdwn(err.userMessage)}. The order history of ${escapeMrkdwn(customer.name)} cannot be shown right now; try again later.` };
    }
    throw err;
  }
}

/**
 * Shows the order history where the user asked: under the message they clicked, or (from
 * the Home tab) in a modal opened at once with "Loading…" and updated when Metabase
 * answers, because a trigger_id expires in 3 s and Metabase may take longer.
 */
export async function showOrderHistory(deps: AppDeps, client: WebClient, origin: InteractionOrigin, leadId: number): Promise<void> {
  if (origin.responseUrl) {
    await postToResponseUrl(deps, origin.responseUrl, await orderHistoryMessage(deps, await getLeadSummary(deps.db.prisma, leadId)));
    return;
  }
  if (!origin.triggerId) throw new Error('nowhere to show the order history');
  const opened = await client.views.open({ trigger_id: origin.triggerId, view: buildNoticeModal('Order history', 'Loading orders from production…') });
  const message = await orderHistoryMessage(deps, await getLeadSummary(deps.db.prisma, leadId));
  const view = { ...buildNoticeModal('Order history', message.text), ...(message.blocks ? { blocks: message.blocks } : {}) };
  await client.views.update({ view_id: opened.view!.id!, view });
}
