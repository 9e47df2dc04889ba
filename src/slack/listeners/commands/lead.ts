import { leadCardFor } from '../lead-flow';
import { leadFromArgument } from './lead-argument';
import type { Subcommand } from './subcommand';

export const leadCommand: Subcommand = {
  name: 'lead',
  usage: '/crm lead <customer id or name>',
  description: 'the lead card: stage, owner, contact, lifetime USD, latest notes, history and any stage suggestion',
  access: 'read',
  async run(ctx) {
    const match = await leadFromArgument(ctx, ctx.args, this.usage);
    if (!match) return;
    await ctx.reply(await leadCardFor(ctx.deps, ctx.viewer, match.leadId));
  },
};
