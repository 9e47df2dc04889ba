import type { SyncOutcome } from '../../../domain/sync-coordinator';
import { escapeMrkdwn } from '../../views/mrkdwn';
import { type Subcommand, UsageError } from './subcommand';

/** The reply to `/crm sync` for what the coordinator did. */
export function syncReplyText(outcome: SyncOutcome): string {
  switch (outcome.kind) {
    case 'off':
      return 'Production data is not configured (METABASE_URL unset), so there is nothing to sync.';
    case 'busy_elsewhere':
      return 'Another app instance is syncing right now. Its results will show on the Home tab when it finishes.';
    case 'reused':
    case 'backoff':
      // A forced request never stops at these; kept for completeness of the reply.
      return 'A recent sync is still current; nothing was run.';
    case 'ran': {
      const r = outcome.run;
      const seconds = ((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1);
      if (r.status === 'failed')
        return `:warning: Sync failed: ${escapeMrkdwn(r.error ?? 'unknown error')}. Cached figures are unchanged.`;
      const rejected = r.rejected ? ` ${r.rejected.toLocaleString('en-US')} row(s) were refused (see the logs).` : '';
      return (
        `:white_check_mark: Sync done${outcome.joined ? ' (joined the run already in progress)' : ''}: ` +
        `${r.fetched.toLocaleString('en-US')} customers read, ${r.created.toLocaleString('en-US')} new leads, ` +
        `${r.updated.toLocaleString('en-US')} updated, in ${seconds} s.${rejected}`
      );
    }
  }
}

/** `/crm sync` (admins): runs the lead sync now, whatever the reuse window says. */
export const syncSubcommand: Subcommand = {
  name: 'sync',
  usage: '/crm sync',
  description: 'sync leads from production now (admins)',
  access: 'admin',
  async run(ctx) {
    if (ctx.args) throw new UsageError('`/crm sync` takes no arguments.');
    if (!ctx.deps.production) return ctx.reply({ text: syncReplyText({ kind: 'off', changed: false }) });
    await ctx.reply({ text: ':hourglass_flowing_sand: Syncing leads from production…' });
    const outcome = await ctx.deps.syncCoordinator.requestSync({ trigger: 'command', force: true });
    await ctx.reply({ text: syncReplyText(outcome) });
    if (outcome.changed) await ctx.deps.homePublisher.publish(ctx.client, ctx.viewer);
  },
};
