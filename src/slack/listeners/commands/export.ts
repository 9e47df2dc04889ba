import type { WebClient } from '@slack/web-api';
import { formatLocalDateOf } from '../../../common/zoned-time';
import {
  describeExport,
  ExportRequestError,
  exportAuditSummary,
  exportCurrencies,
  exportFileName,
  exportOwnersAndCount,
  exportScopeFor,
  markExportUndelivered,
  parseExportRequest,
  recordExport,
} from '../../../domain/lead-export';
import { loadStageLabels } from '../../../domain/settings';
import { leadExportCsvStream } from '../../../exports/lead-csv';
import { spoolToTempFile } from '../../../exports/spool-file';
import { refusalFor } from '../../viewer';
import { escapeMrkdwn } from '../../views/mrkdwn';
import { FileUploadError, openDirectMessage, shareFile } from '../../web-api/files';
import { CRM_DATA_EXPORT_ARGUMENT, runCrmDataExport } from './export-crm-data';
import { type Subcommand, UsageError } from './subcommand';

/** users.info calls in flight at once (Tier 4): an export may name every member of the roster. */
const OWNER_LOOKUPS_IN_FLIGHT = 8;

/** Display names of the owners in an export; an owner Slack will not describe keeps their id. */
async function ownerNames(client: WebClient, ownerIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let next = 0;
  const lookup = async (): Promise<void> => {
    while (next < ownerIds.length) {
      const id = ownerIds[next++]!;
      try {
        const { user } = await client.users.info({ user: id });
        const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
        if (name) names.set(id, name);
      } catch {
        // The id alone still says who owns the lead.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(OWNER_LOOKUPS_IN_FLIGHT, ownerIds.length) }, lookup));
  return names;
}

/**
 * `/crm export [stage <name> | mine | uncontacted <days>]`: the leads as a CSV file in the
 * person's messages with the app (an ephemeral reply cannot carry a file). Audited.
 * `/crm export crm-data` (admins) is the whole CRM as JSON instead (export-crm-data.ts).
 */
export const exportCommand: Subcommand = {
  name: 'export',
  usage: '/crm export [stage <name> | mine | uncontacted <days> | crm-data]',
  description:
    'leads as a CSV file for a spreadsheet, sent to your messages with the app (account managers: the leads they own); `crm-data` (admins): all of the CRM’s data as one JSON file',
  access: 'read',
  async run(ctx) {
    const { deps, client, viewer } = ctx;
    const { prisma } = deps.db;
    if (/^crm-data\b/i.test(ctx.args)) {
      if (ctx.args.toLowerCase() !== CRM_DATA_EXPORT_ARGUMENT)
        throw new UsageError('`/crm export crm-data` takes nothing after it.');
      const denied = refusalFor(viewer, 'admin');
      return denied ? ctx.reply({ text: denied }) : runCrmDataExport(ctx);
    }
    const labels = await loadStageLabels(prisma);
    let filter: ReturnType<typeof parseExportRequest>;
    try {
      filter = parseExportRequest(ctx.args, labels);
    } catch (err) {
      if (err instanceof ExportRequestError) throw new UsageError(escapeMrkdwn(err.userMessage));
      throw err;
    }
    const scope = exportScopeFor(viewer.role!, viewer.userId);
    const description = describeExport(filter, scope, labels);
    const now = deps.clock.now();
    const request = { filter, scope, viewerId: viewer.userId, now };
    const { ownerIds, count } = await exportOwnersAndCount(prisma, request);
    if (count === 0) return ctx.reply({ text: `No leads to export (${escapeMrkdwn(description)}).` });

    const [currencies, names] = await Promise.all([exportCurrencies(prisma, request), ownerNames(client, ownerIds)]);
    const filename = exportFileName(filter, formatLocalDateOf(now, viewer.timeZone));
    // Written page by page to a private temporary file, then streamed to Slack from it.
    const tally = { rows: 0 };
    const csvOptions = { stageLabels: labels, timeZone: viewer.timeZone, ownerNames: names };
    const file = await spoolToTempFile(leadExportCsvStream(deps.db, request, currencies, csvOptions, tally), filename);
    try {
      const summary = exportAuditSummary(tally.rows, description);
      const auditId = await recordExport(prisma, deps.clock, viewer.userId, summary);
      try {
        const channelId = await openDirectMessage(client, viewer.userId);
        await shareFile(deps, client, {
          channelId,
          filename,
          title: filename,
          bytes: { path: file.path, length: file.length },
          initialComment: `Your CRM export: ${summary}.`,
        });
      } catch (err) {
        const reason = err instanceof FileUploadError ? `${err.step}: ${err.code}` : 'error';
        deps.logger.error({ err, user: viewer.userId, rows: tally.rows }, 'lead export could not be sent');
        await markExportUndelivered(prisma, auditId, reason).catch((e: unknown) =>
          deps.logger.warn({ err: e }, 'could not mark the export undelivered'),
        );
        return ctx.reply({
          text: 'Sorry, the export file could not be sent to your messages with the CRM app. The problem has been logged; try again later.',
        });
      }
      deps.logger.info({ user: viewer.userId, rows: tally.rows, bytes: file.length }, 'lead export sent');
      await ctx.reply({ text: `Your export (${escapeMrkdwn(summary)}) is in your messages with the CRM app.` });
    } finally {
      await file.remove();
    }
  },
};
