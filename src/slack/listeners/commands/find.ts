import { searchLeads } from '../../../domain/lead-search';
import { loadStageLabels } from '../../../domain/settings';
import { buildFindResults } from '../../views/lead-lists';
import { refuseLongSearch } from './lead-argument';
import { type Subcommand, UsageError } from './subcommand';

export const FIND_RESULTS_LIMIT = 10;

export const findCommand: Subcommand = {
  name: 'find',
  usage: '/crm find <text>',
  description: 'search leads by name, company, e-mail or customer id',
  access: 'read',
  async run(ctx) {
    if (!ctx.args) throw new UsageError('Say what to search for.');
    refuseLongSearch(ctx, ctx.args);
    const { prisma } = ctx.deps.db;
    const [{ matches, total }, labels] = await Promise.all([
      searchLeads(prisma, ctx.args, FIND_RESULTS_LIMIT),
      loadStageLabels(prisma),
    ]);
    await ctx.reply(buildFindResults(ctx.args, matches, total, labels));
  },
};
