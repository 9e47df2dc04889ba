import { orderHistoryMessage } from '../actions/view-orders';
import { leadFromArgument } from './lead-argument';
import type { Subcommand } from './subcommand';

export const ordersCommand: Subcommand = {
  name: 'orders',
  usage: '/crm orders <customer>',
  description: 'order history from production, newest first, in local currency and USD',
  access: 'read',
  async run(ctx) {
    const lead = await leadFromArgument(ctx, ctx.args, this.usage);
    if (!lead) return;
    // The matched lead already names the customer: no second read of it.
    await ctx.reply(await orderHistoryMessage(ctx.deps, lead));
  },
};
