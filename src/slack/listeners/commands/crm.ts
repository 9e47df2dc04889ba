import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { SUBCOMMANDS, findSubcommand } from '../../commands';
import { buildHelpMessage } from '../../commands/help';
import { UsageError, type EphemeralMessage } from '../../commands/types';
import { refusalFor, resolveViewer } from '../../viewer';
import { escapeMrkdwn } from '../../views/mrkdwn';

/** `/crm <subcommand> [args]`: ack at once, authorise, run the subcommand, reply ephemerally. */
export function registerCrmCommand(app: App, deps: AppDeps): void {
  app.command('/crm', async ({ command, ack, respond, client }) => {
    await ack();
    const reply = (m: EphemeralMessage) => respond({ response_type: 'ephemeral', replace_original: false, ...m }).then(() => undefined);
    const text = command.text.trim();
    const [name = ''] = text.split(/\s+/);
    const args = text.slice(name.length).trim();
    try {
      const viewer = await resolveViewer(deps, client, command.user_id);
      const refusal = refusalFor(viewer, 'read');
      if (refusal) return await reply({ text: refusal });
      if (name === '' || name.toLowerCase() === 'help') return await reply(buildHelpMessage(SUBCOMMANDS));
      const sub = findSubcommand(name);
      if (!sub) {
        return await reply(buildHelpMessage(SUBCOMMANDS, `Unknown command \`${name.replace(/[`<>&]/g, '')}\`.`));
      }
      const denied = refusalFor(viewer, sub.access);
      if (denied) return await reply({ text: denied });
      await sub.run({ deps, client, viewer, args, triggerId: command.trigger_id, channelId: command.channel_id, reply });
    } catch (err) {
      if (err instanceof UsageError) {
        const sub = findSubcommand(name);
        return void (await reply({ text: `${err.userMessage}\nUsage: \`${escapeMrkdwn(sub?.usage ?? '/crm help')}\`` }));
      }
      deps.logger.error({ err, subcommand: name }, '/crm failed');
      const userMessage = (err as { userMessage?: string }).userMessage;
      await reply({ text: userMessage ?? 'Sorry, something went wrong running that command. It has been logged.' }).catch(() => undefined);
    }
  });
}
