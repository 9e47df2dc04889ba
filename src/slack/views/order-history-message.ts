import type { KnownBlock } from '@slack/types';
import { formatRateUsed } from '../../common/money';
import type { OrderHistory } from '../../domain/order-history';
import { customerTitle, slackDate, usdText } from './lead-format';
import type { EphemeralMessage } from './message';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn, fitList } from './mrkdwn';

/** How many orders one message lists; totals always cover all of them. */
export const ORDERS_SHOWN = 25;

export interface OrderHistoryCustomer {
  name: string;
  company: string | null;
  customerId: string;
}

/** Each rate behind the USD figures with its date, so a figure can be redone by hand. */
function ratesText(history: OrderHistory): string {
  if (history.ratesUsed.length)
    return `USD at ${history.ratesUsed.map((r) => escapeMrkdwn(formatRateUsed(r))).join(' · ')}.`;
  return history.rateDates.length ? 'All amounts are in USD: no conversion.' : 'No USD rate used.';
}

/** A customer's orders, newest first: local amount, USD, status; totals per currency and in USD; each rate used, with its date. */
export function buildOrderHistoryMessage(customer: OrderHistoryCustomer, history: OrderHistory): EphemeralMessage {
  const title = `${customerTitle(customer.name, customer.company)} · \`${escapeMrkdwn(customer.customerId)}\``;
  if (history.orders.length === 0) {
    const rejected = history.rejectedCount
      ? ` (${history.rejectedCount} order row(s) could not be read and were logged)`
      : '';
    return { text: `${title}: production has no orders for this customer${rejected}.` };
  }
  const orderLines = history.orders.slice(0, ORDERS_SHOWN).map((o) => {
    const usd = o.usdFormatted ?? `no USD rate for ${escapeAndCut(o.currency, 20)}`;
    return `• ${slackDate(o.createdAt)} · \`${escapeAndCut(o.orderId, 40)}\` · ${escapeAndCut(o.market, 20)} · ${escapeAndCut(o.localFormatted, 40)} · ${usd} · _${escapeAndCut(o.status, 40)}_`;
  });
  const olderOrders = (n: number) => `_…and ${n} older order${n === 1 ? '' : 's'} (included in the totals)._`;
  const totalLines = history.totalsByCurrency.map(
    (t) =>
      `• ${escapeMrkdwn(t.localFormatted)} (${t.usdFormatted ?? `no USD rate for ${escapeMrkdwn(t.currency)}`}) over ${t.orderCount} order${t.orderCount === 1 ? '' : 's'}`,
  );
  const usdTotal = usdText(history.usdTotal.usdCents, history.usdTotal.unknownCurrencies);
  const usdLine = `*Total in USD: ${usdTotal}*`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${title}: ${history.orders.length} order${history.orders.length === 1 ? '' : 's'}, newest first`,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: fitList({ lines: orderLines, total: history.orders.length, more: olderOrders }, 3000),
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${fitList({ head: '*Totals*', lines: totalLines, more: (n) => `_…and ${n} more currencies_` }, 3000 - usdLine.length - 1)}\n${usdLine}`,
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: cutMrkdwn(
            `${ratesText(history)}${history.rejectedCount ? ` ${history.rejectedCount} order row(s) from production could not be read and were logged.` : ''}`,
            2900,
          ),
        },
      ],
    },
  ];
  return {
    text: `${escapeMrkdwn(customer.name)}: ${history.orders.length} orders, ${escapeMrkdwn(usdTotal)} in USD`,
    blocks,
  };
}

export const PRODUCTION_NOT_CONFIGURED =
  'Order history comes from production through Metabase, which is not configured here (METABASE_URL is unset), so it cannot be shown.';

/** What the user reads when production could not answer (`reason` is the error's user message). */
export function buildOrderHistoryUnavailable(customer: OrderHistoryCustomer, reason: string): EphemeralMessage {
  return {
    text: `${escapeMrkdwn(reason)}. The order history of ${escapeMrkdwn(customer.name)} cannot be shown right now; try again later.`,
  };
}
