import { getAllSettings, loadStageLabels } from '../../../domain/settings';
import { loadToday } from '../../../domain/who-to-call';
import { canEdit } from '../../viewer';
import { buildTodayMessage, TODAY_MESSAGE_MAX_BLOCKS } from '../../views/today-section';
import { type Subcommand, UsageError } from './subcommand';

/** Lines per list (per person for managers) `/crm today` shows. */
export const TODAY_COMMAND_PER_OWNER = 8;

export const todayCommand: Subcommand = {
  name: 'today',
  usage: '/crm today',
  description:
    'who to call today: follow-ups due, accounts overdue or at risk by value, new customers never contacted, stage suggestions (managers: the whole team)',
  access: 'read',
  async run(ctx) {
    if (ctx.args) throw new UsageError('`today` takes no arguments.');
    const { prisma } = ctx.deps.db;
    const { viewer } = ctx;
    const [settings, labels] = await Promise.all([getAllSettings(prisma, ctx.deps.config), loadStageLabels(prisma)]);
    const data = await loadToday(
      prisma,
      {
        userId: viewer.userId,
        timeZone: viewer.timeZone,
        team: viewer.role !== 'account_manager',
        mayTakeUnowned: canEdit(viewer),
      },
      ctx.deps.clock.now(),
      { perOwner: TODAY_COMMAND_PER_OWNER, factors: settings.rhythm_factors },
    );
    await ctx.reply(
      buildTodayMessage(data, {
        viewerId: viewer.userId,
        canEdit: canEdit(viewer),
        labels,
        maxBlocks: TODAY_MESSAGE_MAX_BLOCKS,
        title: 'Who to call today',
      }),
    );
  },
};
