import { resolveLead } from '../../domain/lead-lookup';
import { loadStageLabels } from '../../domain/stages';
import { openFollowUpModal } from '../follow-up-entry';
import { buildCandidatesMessage } from '../views/lead-lists';
import { escapeMrkdwn, truncate } from '../views/mrkdwn';
import { UsageError, type Subcommand } from './types';

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
    const { prisma } = ctx.deps.db;
    const resolution = await resolveLead(prisma, q);
    if (resolution.kind === 'none') throw new UsageError(`No lead matches “${escapeMrkdwn(truncate(q, 100))}”.`);
    if (resolution.kind === 'ambiguous') {
      return void (await ctx.reply(buildCandidatesMessage(q, resolution.candidates, resolution.total, USAGE, await loadStageLabels(prisma))));
    }
    const result = await openFollowUpModal(ctx.deps, ctx.client, { triggerId: ctx.triggerId, viewer: ctx.viewer, leadId: resolution.lead.leadId });
    if (!result.ok) await ctx.reply({ text: result.message });
  },
};
