import { loadStageLabels } from '../../../domain/settings';
import { DEFAULT_UNCONTACTED_DAYS, findUncontacted, MAX_UNCONTACTED_DAYS } from '../../../domain/uncontacted-leads';
import { buildUncontactedList } from '../../views/lead-lists';
import { escapeAndCut } from '../../views/mrkdwn';
import { type Subcommand, UsageError } from './subcommand';

export const UNCONTACTED_LIST_LIMIT = 20;

export const uncontactedCommand: Subcommand = {
  name: 'uncontacted',
  usage: '/crm uncontacted [days]',
  description: `customers who ordered in the last N days (default ${DEFAULT_UNCONTACTED_DAYS}) and were never contacted, biggest first`,
  access: 'read',
  async run(ctx) {
    let days = DEFAULT_UNCONTACTED_DAYS;
    if (ctx.args) {
      if (!/^\d+$/.test(ctx.args) || Number(ctx.args) < 1 || Number(ctx.args) > MAX_UNCONTACTED_DAYS) {
        throw new UsageError(
          `“${escapeAndCut(ctx.args, 40)}” is not a number of days from 1 to ${MAX_UNCONTACTED_DAYS}.`,
        );
      }
      days = Number(ctx.args);
    }
    const { prisma } = ctx.deps.db;
    const [result, labels] = await Promise.all([
      findUncontacted(prisma, { days, now: ctx.deps.clock.now(), limit: UNCONTACTED_LIST_LIMIT }),
      loadStageLabels(prisma),
    ]);
    await ctx.reply(buildUncontactedList(result, labels));
  },
};
