import { openNewFollowUpModal } from '../actions/open-follow-up-modal';
import { leadFromArgument } from './lead-argument';
import { type Subcommand, UsageError } from './subcommand';

const USAGE = '/crm remind <customer>';

/** `/crm remind <customer>`: opens the follow-up modal on that customer's lead. */
export const remindCommand: Subcommand = {
  name: 'remind',
  usage: USAGE,
  description: 'set a follow-up reminder (once or recurring) on a lead',
  access: 'edit',
  async run(ctx) {
    const q = ctx.args.trim();
    if (!q) throw new UsageError('Say which customer to set a follow-up for: a customer id, name, company or e-mail.');
    const lead = await leadFromArgument(ctx, q, USAGE);
    if (!lead) return;
    const result = await openNewFollowUpModal(ctx.deps, ctx.client, {
      origin: { userId: ctx.viewer.userId, triggerId: ctx.triggerId },
      viewer: ctx.viewer,
      leadId: lead.leadId,
    });
    if (!result.ok) await ctx.reply({ text: result.message });
  },
};
