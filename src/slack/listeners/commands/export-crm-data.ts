import { describeCrmDataExport, exportCrmData, recordCrmDataExport } from '../../../domain/crm-data';
import { UserFacingError } from '../../../shared/errors';
import { slackErrorCode } from '../../../shared/slack-error-code';
import { UsageError, type CommandContext, type Subcommand } from './subcommand';

/** The argument that selects the whole-data JSON export among `/crm export` variants. */
export const CRM_DATA_EXPORT_ARGUMENT = 'crm-data';

/**
 * `/crm export crm-data` (admins): every CRM table as one JSON file, sent to the admin's
 * direct messages with the app (never to the channel the command was typed in), and audited.
 */
export async function runCrmDataExport(ctx: CommandContext): Promise<void> {
  const { deps, client, viewer } = ctx;
  await ctx.reply({ text: ':hourglass_flowing_sand: Preparing the export of the CRM data…' });
  const now = deps.clock.now();
  const doc = await exportCrmData(deps.db.prisma, now);
  const file = Buffer.from(`${JSON.stringify(doc)}\n`);
  const summary = describeCrmDataExport(doc);
  try {
    // Posting to the user id lands in the app's Messages tab and names that DM channel for the file.
    const intro = await client.chat.postMessage({
      channel: viewer.userId,
      text: `The CRM data export you asked for: ${summary.text}, at migration ${doc.migration}. It includes customers' contact details: keep it somewhere safe. \`npm run restore -- <file>\` imports it into an empty database.`,
    });
    await client.filesUploadV2({
      channel_id: intro.channel!,
      file,
      filename: `crm-data-${now.toISOString().slice(0, 10)}.json`,
      title: `CRM data ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    });
  } catch (err) {
    throw new UserFacingError(`Could not send the export file to you (Slack answered \`${slackErrorCode(err) ?? 'an error'}\`). Please try again later.`, { cause: err });
  }
  await recordCrmDataExport(deps.db.prisma, viewer.userId, doc, now);
  deps.logger.info({ actorId: viewer.userId, rows: summary.rows, bytes: file.length }, 'CRM data exported');
  await ctx.reply({ text: `:white_check_mark: Sent to your direct messages with the app: ${summary.text} (${Math.ceil(file.length / 1024).toLocaleString('en-US')} KB).` });
}

/** `/crm export crm-data`; another `/crm export` variant can hand `crm-data` to runCrmDataExport. */
export const exportCrmDataSubcommand: Subcommand = {
  name: 'export',
  usage: '/crm export crm-data',
  description: "all of the CRM's own data as one JSON file, sent to you (admins)",
  access: 'admin',
  async run(ctx) {
    if (ctx.args.toLowerCase() !== CRM_DATA_EXPORT_ARGUMENT) throw new UsageError('Say what to export: `crm-data` (everything, as JSON).');
    await runCrmDataExport(ctx);
  },
};
