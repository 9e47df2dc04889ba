import { listLeadsOwnedBy } from '../../../domain/my-leads';
import { loadStageLabels } from '../../../domain/settings';
import { buildMyLeads } from '../../views/lead-lists';
import { type Subcommand, UsageError } from './subcommand';

export const mineCommand: Subcommand = {
  name: 'mine',
  usage: '/crm mine',
  description: 'your leads, by stage',
  access: 'read',
  async run(ctx) {
    if (ctx.args) throw new UsageError('`mine` takes no arguments.');
    const { prisma } = ctx.deps.db;
    const [stages, labels] = await Promise.all([listLeadsOwnedBy(prisma, ctx.viewer.userId), loadStageLabels(prisma)]);
    await ctx.reply(buildMyLeads(stages, labels));
  },
};
