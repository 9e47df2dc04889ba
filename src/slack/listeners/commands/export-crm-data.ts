import { UserFacingError } from '../../../common/errors';
import { describeCrmDataExport, recordCrmDataExport } from '../../../domain/crm-data';
import { markExportUndelivered } from '../../../domain/lead-export';
import { crmDataExportStream } from '../../../exports/crm-data-json';
import { spoolToTempFile } from '../../../exports/spool-file';
import { FileUploadError, openDirectMessage, shareFile } from '../../web-api/files';
import type { CommandContext } from './subcommand';

/** `/crm export crm-data`: the argument that asks for the whole-data JSON export instead of a CSV. */
export const CRM_DATA_EXPORT_ARGUMENT = 'crm-data';

/**
 * `/crm export crm-data` (admins; the caller checks): every CRM table as one JSON file, sent
 * to the admin's direct messages with the app (never to the channel the command was typed
 * in). Audited before it is sent; a file that could not be sent stays in the audit list, marked so.
 */
export async function runCrmDataExport(ctx: CommandContext): Promise<void> {
  const { deps, client, viewer } = ctx;
  await ctx.reply({ text: ':hourglass_flowing_sand: Preparing the export of the CRM data…' });
  const now = deps.clock.now();
  const filename = `crm-data-${now.toISOString().slice(0, 10)}.json`;
  // Written table by table, page by page, to a private temporary file; streamed to Slack from it.
  const tally = { rowCounts: {} as Record<string, number>, migration: '' };
  const file = await spoolToTempFile(crmDataExportStream(deps.db, now, tally), filename);
  try {
    const summary = describeCrmDataExport(tally);
    const auditId = await recordCrmDataExport(deps.db.prisma, viewer.userId, tally, now);
    try {
      const channelId = await openDirectMessage(client, viewer.userId);
      await shareFile(deps, client, {
        channelId,
        filename,
        title: `CRM data ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        bytes: { path: file.path, length: file.length },
        initialComment:
          `The CRM data export you asked for: ${summary.text}, at migration ${tally.migration}. It includes customers' contact details: ` +
          'keep it somewhere safe. `npm run restore -- <file>` imports it into an empty database.',
      });
    } catch (err) {
      const code = err instanceof FileUploadError ? err.code : 'an error';
      const reason = err instanceof FileUploadError ? `${err.step}: ${err.code}` : 'error';
      await markExportUndelivered(deps.db.prisma, auditId, reason).catch((e: unknown) =>
        deps.logger.warn({ err: e }, 'could not mark the export undelivered'),
      );
      throw new UserFacingError(
        `Could not send the export file to you (Slack answered \`${code}\`). Please try again later.`,
        { cause: err },
      );
    }
    deps.logger.info({ actorId: viewer.userId, rows: summary.rows, bytes: file.length }, 'CRM data exported');
    await ctx.reply({
      text: `:white_check_mark: Sent to your direct messages with the app: ${summary.text} (${Math.ceil(file.length / 1024).toLocaleString('en-US')} KB).`,
    });
  } finally {
    await file.remove();
  }
}
