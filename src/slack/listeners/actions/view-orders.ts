import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { getLeadSummary } from '../../../domain/leads';
import { getOrderHistory } from '../../../domain/order-history';
import { getRates } from '../../../domain/rates';
import { ProductionError } from '../../../production/types';
import type { EphemeralMessage } from '../../views/message';
import { buildNoticeModal } from '../../views/notice-modal';
import {
  buildOrderHistoryMessage,
  buildOrderHistoryUnavailable,
  type OrderHistoryCustomer,
  PRODUCTION_NOT_CONFIGURED,
} from '../../views/order-history-message';
import { type InteractionOrigin, openModal, postToResponseUrl } from '../../web-api/reply';
import { type LeadVerb, leadButton } from '../lead-flow';
import type { ButtonListener } from '../listener-types';

/**
 * A customer's order history as a message, read from production now. Never throws for a
 * production failure: the user is told plainly that production data is unavailable.
 */
export async function orderHistoryMessage(deps: AppContext, customer: OrderHistoryCustomer): Promise<EphemeralMessage> {
  if (!deps.production) return { text: PRODUCTION_NOT_CONFIGURED };
  try {
    const rates = await getRates(deps.db.prisma);
    const history = await getOrderHistory(deps.production, rates, customer.customerId);
    return buildOrderHistoryMessage(customer, history);
  } catch (err) {
    if (err instanceof ProductionError) {
      deps.logger.warn({ err, customerId: customer.customerId }, 'order history unavailable');
      return buildOrderHistoryUnavailable(customer, err.userMessage);
    }
    throw err;
  }
}

/**
 * Shows the order history where the user asked: under the message they clicked, or (from
 * the Home tab) in a modal opened at once with "Loading…" and updated when Metabase
 * answers, because a trigger_id expires in 3 s and Metabase may take longer.
 */
async function showOrderHistory(
  deps: AppContext,
  client: WebClient,
  origin: InteractionOrigin,
  leadId: number,
): Promise<void> {
  const { prisma } = deps.db;
  if (origin.responseUrl) {
    await postToResponseUrl(
      deps,
      origin.responseUrl,
      await orderHistoryMessage(deps, await getLeadSummary(prisma, leadId)),
    );
    return;
  }
  // Opened (or, after a slow start, updated) at once; every later answer, errors included,
  // updates this modal: the trigger_id is spent.
  await openModal(client, origin, buildNoticeModal('Order history', 'Loading orders from production…'));
  const message = await orderHistoryMessage(deps, await getLeadSummary(prisma, leadId));
  await openModal(client, origin, {
    ...buildNoticeModal('Order history', message.text),
    ...(message.blocks ? { blocks: message.blocks } : {}),
  });
}

/** "Orders": the lead's order history from production. */
export const ordersVerb: LeadVerb = {
  name: 'orders',
  access: 'read',
  run: ({ deps, client, origin, leadId }) => showOrderHistory(deps, client, origin, leadId),
};

export function viewOrders(deps: AppContext): ButtonListener {
  return leadButton(deps, ordersVerb);
}
