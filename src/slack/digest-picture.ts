import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import { isQuietDigest, type DigestFigures } from '../domain/digest';
import { formatLocalDateOf } from '../domain/zoned-time';
import { pipelineChartData, type ChartOptions } from '../charts/pipeline-chart-data';
import { renderPipelineChart } from '../charts/pipeline-chart';
import { FileUploadError, openDirectMessage, shareFile } from './file-upload';

/**
 * The digest's pipeline picture, shared after its text. The text is the digest of record
 * (posted once, exactly); the picture follows as its own file message in the same
 * conversation, unthreaded so it shows at a glance under the text. A picture that cannot be
 * drawn or uploaded is logged and the text stands alone. A quiet digest (one line, nothing
 * moved) gets no picture.
 */

export type PictureOutcome = 'shared' | 'skipped' | 'failed';

export interface DigestPictureRequest {
  figures: DigestFigures;
  chart: ChartOptions;
  /** The channel the digest went to, or the user the preview is for (their DM with the app). */
  to: { channelId: string } | { userId: string };
}

function pictureFile(figures: DigestFigures, chart: ChartOptions): { filename: string; title: string } {
  const day = formatLocalDateOf(figures.to, chart.timeZone);
  return { filename: `crm-pipeline-${day}.png`, title: `CRM pipeline by stage, ${day}` };
}

export async function shareDigestPicture(deps: AppDeps, client: WebClient, req: DigestPictureRequest): Promise<PictureOutcome> {
  if (isQuietDigest(req.figures)) return 'skipped';
  const where = 'channelId' in req.to ? { channel: req.to.channelId } : { user: req.to.userId };
  try {
    const data = pipelineChartData(req.figures, req.chart);
    const { png, altText } = await renderPipelineChart(data);
    const preview = 'userId' in req.to;
    const channelId = 'channelId' in req.to ? req.to.channelId : await openDirectMessage(client, req.to.userId);
    const { filename, title } = pictureFile(req.figures, req.chart);
    const initialComment = preview
      ? `Pipeline picture for your digest preview of ${data.period}. Only you can see it here.`
      : `Pipeline picture for this digest: ${data.period}.`;
    await shareFile(client, { channelId, filename, title, bytes: png, altText, initialComment });
    deps.logger.info({ ...where, bytes: png.length }, 'digest picture shared');
    return 'shared';
  } catch (err) {
    const detail = err instanceof FileUploadError ? { step: err.step, code: err.code } : {};
    deps.logger.warn({ err, ...detail, ...where }, 'digest picture could not be shared; the text digest stands');
    return 'failed';
  }
}
