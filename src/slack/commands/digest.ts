import type { Subcommand } from './types';
import { getAllSettings } from '../../domain/settings';
import { trailingDigestPeriod } from '../../domain/digest-schedule';
import { composeDigest } from '../digest-compose';

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
    const settings = await getAllSettings(deps.db.prisma, deps.config);
    const period = trailingDigestPeriod(settings.digest_schedule, deps.clock.now());
    const { message } = await composeDigest(deps, ctx.client, settings, period, { preview: true });
    await ctx.reply({ text: message.text, blocks: message.blocks });
  },
};
