import { createReadStream } from 'node:fs';
import type { WebClient } from '@slack/web-api';
import { request } from 'undici';
import type { ChartOptions } from '../../charts/pipeline-chart-data';
import { slackErrorCode } from '../../common/slack-error-code';
import { formatLocalDateOf } from '../../common/zoned-time';
import type { AppDeps } from '../../deps';
import type { DigestFigures } from '../../domain/digest-figures';
import { NotSlackUrlError, requireSlackOrigin, SLACK_FILES_ORIGIN, type SlackHttpDeps } from '../runtime/slack-http';
import { isQuietDigest } from '../views/digest-message';

/**
 * Files the app shares in Slack: the upload flow below, and the digest's pipeline picture
 * (shareDigestPicture) that the digest job and the `/crm digest` preview both send.
 *
 * Shares a file in a conversation with Slack's external upload flow:
 * files.getUploadURLExternal (name, byte length, alt text) returns an upload URL and a file
 * id; the bytes are POSTed raw to that URL (HTTP 200 is success, anything else a failure);
 * files.completeUploadExternal shares the file id into the conversation.
 *
 * Not @slack/web-api's filesUploadV2: it sends the alt text as `alt_text` where the method
 * documents `alt_txt`, and wraps the bytes in a multipart form. The two API calls still go
 * through the WebClient (its base URL, retries and rate-limit queue); the upload URL is
 * Slack's own and never gets the bot token.
 */

export interface FileShare {
  /** A conversation id (C…, G…, D…): Slack refuses a user id here; see openDirectMessage. */
  channelId: string;
  filename: string;
  title: string;
  /** The bytes, or a file holding them (an export: streamed from disk, never read whole). */
  bytes: Buffer | FileOnDisk;
  /** For screen readers; Slack allows 1,000 characters. */
  altText?: string;
  /** The message the file is shared with. */
  initialComment?: string;
  threadTs?: string;
}

/** A finished file and its size in bytes (Slack wants the length before the bytes). */
export interface FileOnDisk {
  path: string;
  length: number;
}

export type UploadStep = 'get_upload_url' | 'upload' | 'complete' | 'open_dm';

/** Which step of the flow failed, with Slack's error code or the HTTP status. */
export class FileUploadError extends Error {
  constructor(
    readonly step: UploadStep,
    readonly code: string,
  ) {
    super(`file upload failed at ${step}: ${code}`);
    this.name = 'FileUploadError';
  }
}

export interface UploadOptions {
  /** Per attempt of the byte upload (default SLACK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Waits before the 2nd, 3rd… attempt of the byte upload after a network error or 5xx. */
  retryDelaysMs?: number[];
}

const DEFAULT_RETRY_DELAYS_MS = [500, 1500];

function failureCode(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return slackErrorCode(err) ?? e.code ?? e.message ?? 'unknown_error';
}

async function slackStep<T>(step: UploadStep, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new FileUploadError(step, failureCode(err));
  }
}

async function postBytes(
  deps: SlackHttpDeps,
  url: string,
  bytes: Buffer | FileOnDisk,
  options: UploadOptions,
): Promise<void> {
  try {
    // The bytes go to Slack's upload host only, whatever an answer names.
    requireSlackOrigin(deps, url, SLACK_FILES_ORIGIN, 'an upload URL');
  } catch (err) {
    if (err instanceof NotSlackUrlError) throw new FileUploadError('upload', 'not_a_slack_host');
    throw err;
  }
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  // A large file takes longer to send than a request takes to answer: a second more per MB.
  const timeoutMs = (options.timeoutMs ?? deps.config.SLACK_TIMEOUT_MS) + Math.ceil(bytes.length / 1_048_576) * 1000;
  let lastCode = 'unknown_error';
  for (let attempt = 0; attempt <= delays.length; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
    // A file is read afresh on each attempt, a piece at a time, as the socket takes it.
    const body = Buffer.isBuffer(bytes) ? bytes : createReadStream(bytes.path);
    try {
      const res = await request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body.dump();
      if (res.statusCode === 200) return;
      lastCode = `http_${res.statusCode}`;
      // A 4xx will not get better by asking again.
      if (res.statusCode < 500) break;
    } catch (err) {
      lastCode = (err as { code?: string; name?: string }).code ?? (err as Error).name ?? 'network_error';
    } finally {
      if (!Buffer.isBuffer(body)) body.destroy();
    }
  }
  throw new FileUploadError('upload', lastCode);
}

export async function shareFile(
  deps: SlackHttpDeps,
  client: WebClient,
  file: FileShare,
  options: UploadOptions = {},
): Promise<{ fileId: string }> {
  const reserved = await slackStep('get_upload_url', () =>
    client.apiCall('files.getUploadURLExternal', {
      filename: file.filename,
      length: file.bytes.length,
      ...(file.altText ? { alt_txt: file.altText } : {}),
    }),
  );
  const { upload_url: uploadUrl, file_id: fileId } = reserved as { upload_url?: unknown; file_id?: unknown };
  if (typeof uploadUrl !== 'string' || typeof fileId !== 'string')
    throw new FileUploadError('get_upload_url', 'no_upload_url');
  await postBytes(deps, uploadUrl, file.bytes, options);
  await slackStep('complete', () =>
    client.files.completeUploadExternal({
      files: [{ id: fileId, title: file.title }],
      channel_id: file.channelId,
      ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
      ...(file.threadTs ? { thread_ts: file.threadTs } : {}),
    }),
  );
  return { fileId };
}

/**
 * The id of the app's direct-message conversation with a user (conversations.open, im:write):
 * the place for things meant for that person alone, such as a file only they should see.
 */
export async function openDirectMessage(client: WebClient, userId: string): Promise<string> {
  const res = await slackStep('open_dm', () => client.conversations.open({ users: userId }));
  const id = res.channel?.id;
  if (!id) throw new FileUploadError('open_dm', 'no_channel');
  return id;
}

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

export async function shareDigestPicture(
  deps: AppDeps,
  client: WebClient,
  req: DigestPictureRequest,
): Promise<PictureOutcome> {
  if (isQuietDigest(req.figures)) return 'skipped';
  const where = 'channelId' in req.to ? { channel: req.to.channelId } : { user: req.to.userId };
  try {
    // Loaded on the first picture: the chart renderer (vega, resvg) is megabytes no other path needs.
    const [{ pipelineChartData }, { renderPipelineChart }] = await Promise.all([
      import('../../charts/pipeline-chart-data'),
      import('../../charts/pipeline-chart'),
    ]);
    const data = pipelineChartData(req.figures, req.chart);
    const { png, altText } = await renderPipelineChart(data);
    const preview = 'userId' in req.to;
    const channelId = 'channelId' in req.to ? req.to.channelId : await openDirectMessage(client, req.to.userId);
    const { filename, title } = pictureFile(req.figures, req.chart);
    const initialComment = preview
      ? `Pipeline picture for your digest preview of ${data.period}. Only you can see it here.`
      : `Pipeline picture for this digest: ${data.period}.`;
    await shareFile(deps, client, { channelId, filename, title, bytes: png, altText, initialComment });
    deps.logger.info({ ...where, bytes: png.length }, 'digest picture shared');
    return 'shared';
  } catch (err) {
    const detail = err instanceof FileUploadError ? { step: err.step, code: err.code } : {};
    deps.logger.warn({ err, ...detail, ...where }, 'digest picture could not be shared; the text digest stands');
    return 'failed';
  }
}
