import { digestFiguresFor } from '../../../domain/digest-figures';
import { trailingDigestPeriod } from '../../../domain/digest-schedule';
import { getAllSettings } from '../../../domain/settings';
import { buildDigestMessage } from '../../views/digest-message';
import { shareDigestPicture } from '../../web-api/files';
import type { Subcommand } from './subcommand';

/** `/crm digest`: what the channel digest would say for a period ending now, to the caller only. */
export const digestSubcommand: Subcommand = {
  name: 'digest',
  usage: '/crm digest',
  description: 'preview the manager digest (only you see it)',
  access: 'read',
  async run(ctx) {
    // Digests are for managers; admins configure them. Account managers have their own views.
    if (ctx.viewer.role !== 'manager' && ctx.viewer.role !== 'admin') {
      return ctx.reply({ text: 'Digest previews are for managers and admins.' });
    }
    const { deps } = ctx;
    const { prisma } = deps.db;
    const settings = await getAllSettings(prisma, deps.config);
    const now = deps.clock.now();
    const period = trailingDigestPeriod(settings.digest_schedule, now);
    const [figures, homeUrl] = await Promise.all([
      digestFiguresFor(prisma, settings, period, now),
      deps.appHomeUrl.get(ctx.client),
    ]);
    const message = buildDigestMessage(figures, {
      stageLabels: settings.stage_labels,
      timeZone: settings.digest_schedule.timeZone,
      homeUrl,
      preview: true,
    });
    await ctx.reply({ text: message.text, blocks: message.blocks });
    // An ephemeral message cannot carry an uploaded file: the picture goes to the asker's DM with the app.
    const chart = { stageLabels: settings.stage_labels, timeZone: settings.digest_schedule.timeZone };
    const picture = await shareDigestPicture(deps, ctx.client, { figures, chart, to: { userId: ctx.viewer.userId } });
    if (picture === 'shared')
      await ctx.reply({ text: 'The pipeline picture for this preview is in your messages with the CRM app.' });
    if (picture === 'failed')
      await ctx.reply({
        text: 'The pipeline picture could not be sent (the preview above has the same figures). The problem has been logged.',
      });
  },
};
