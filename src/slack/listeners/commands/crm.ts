import type { AppContext } from '../../../app-context';
import { UserFacingError } from '../../../common/errors';
import { refusalFor, resolveViewer } from '../../viewer';
import { buildHelpMessage } from '../../views/help';
import { escapeMrkdwn } from '../../views/mrkdwn';
import { decodeSlackText } from '../../views/slack-text';
import { userErrorText } from '../../views/user-error';
import type { CommandListener } from '../listener-types';
import { type EphemeralMessage, UsageError } from './subcommand';
import { findSubcommand, SUBCOMMANDS } from './subcommands';

/** `/crm <subcommand> [args]`: ack at once, authorise, run the subcommand (one file each), reply ephemerally. */
export function crmCommand(deps: AppContext): CommandListener {
  return async ({ command, ack, respond, client }) => {
    await ack();
    const reply = (m: EphemeralMessage) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...m }).then(() => undefined);
    // Slack sends the text encoded (`&amp;`, `&lt;`, mentions as `<@U…|name>`): decoded once,
    // here. `args` is what was typed, as it reads; `noteArgs` keeps people, channels and links
    // in Slack's markup for text that is stored and shown again.
    const encoded = command.text.trim();
    const [rawName = ''] = encoded.split(/\s+/);
    const name = decodeSlackText(rawName);
    const args = decodeSlackText(encoded.slice(rawName.length)).trim();
    const noteArgs = decodeSlackText(encoded.slice(rawName.length), 'note').trim();
    try {
      const viewer = await resolveViewer(deps, client, command.user_id);
      const refusal = refusalFor(viewer, 'read');
      if (refusal) return await reply({ text: refusal });
      if (name === '' || name.toLowerCase() === 'help') return await reply(buildHelpMessage(SUBCOMMANDS));
      const sub = findSubcommand(name);
      if (!sub)
        return await reply(buildHelpMessage(SUBCOMMANDS, `Unknown command \`${name.replace(/[`<>&]/g, '')}\`.`));
      const denied = refusalFor(viewer, sub.access);
      if (denied) return await reply({ text: denied });
      await sub.run({
        deps,
        client,
        viewer,
        args,
        noteArgs,
        triggerId: command.trigger_id,
        channelId: command.channel_id,
        reply,
      });
    } catch (err) {
      if (err instanceof UsageError) {
        const usage = findSubcommand(name)?.usage ?? '/crm help';
        return void (await reply({ text: `${err.userMessage}\nUsage: \`${escapeMrkdwn(usage)}\`` }));
      }
      deps.logger.error({ err, subcommand: name }, '/crm failed');
      const message =
        err instanceof UserFacingError
          ? userErrorText(err)
          : 'Sorry, something went wrong running that command. It has been logged.';
      await reply({ text: message }).catch(() => undefined);
    }
  };
}
