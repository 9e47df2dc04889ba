import { getLeadCard } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/settings';
import { canEdit } from '../../viewer';
import { buildLeadCard } from '../../views/lead-card';
import { leadFromArgument } from './lead-argument';
import type { Subcommand } from './subcommand';

export const leadCommand: Subcommand = {
  name: 'lead',
  usage: '/crm lead <customer id or name>',
  description: 'the lead card: stage, owner, contact, lifetime USD, latest notes and history',
  access: 'read',
  async run(ctx) {
    const match = await leadFromArgument(ctx, ctx.args, this.usage);
    if (!match) return;
    const { prisma } = ctx.deps.db;
    const [card, labels] = await Promise.all([getLeadCard(prisma, match.leadId), loadStageLabels(prisma)]);
    await ctx.reply(buildLeadCard(card, { labels, viewerId: ctx.viewer.userId, canEdit: canEdit(ctx.viewer) }));
  },
};
