import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeSlack } from './fake-slack';

/**
 * Slack's external file upload on the fake Slack: files.getUploadURLExternal, the upload
 * URL, files.completeUploadExternal. Mirrors what Slack documents: `filename` and `length`
 * are required (alt text at most 1,000 characters, else alt_txt_too_large); the upload URL
 * takes the bytes raw or as a multipart form and answers 200, any other status being a
 * failure; completion shares the file into one conversation whose id must look like
 * C…/G…/D…/Z… (a user id is refused with invalid_arguments), can happen once, and without a
 * channel leaves the file private. Two checks are the fake's own, where Slack does not
 * document its answer: bytes whose count differs from the announced `length` are refused
 * with HTTP 400, and completing a file that was never uploaded answers file_not_found.
 * API calls are recorded by the fake Slack like any other method (so failWith and
 * rateLimit apply); uploads to the URL are recorded here.
 */

export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  altText: string | null;
  bytes: Buffer | null;
  uploadContentType: string | null;
  completed: boolean;
  title: string | null;
  /** Null: completed without a channel, so private to the app. */
  channelId: string | null;
  threadTs: string | null;
  initialComment: string | null;
}

export interface UploadAttempt {
  fileId: string | null;
  status: number;
  bytes: number;
  /** The upload URL is pre-signed: a client has no reason to send its token there. */
  authorization: string | undefined;
}

const CONVERSATION_ID = /^[CGDZ][A-Z0-9]{8,}$/;

export class FakeSlackFiles {
  readonly files = new Map<string, FakeFile>();
  /** Files shared into a conversation, in the order they were completed. */
  readonly shared: FakeFile[] = [];
  readonly uploads: UploadAttempt[] = [];
  private readonly byToken = new Map<string, string>();
  private readonly uploadFailures: Array<{ status: number; remaining: number }> = [];

  constructor(private readonly slack: FakeSlack) {
    slack.respond('files.getUploadURLExternal', (args) => this.getUploadUrl(args));
    slack.respond('files.completeUploadExternal', (args) => this.complete(args));
    slack.rawRoutes.push((req, res) => this.serveUpload(req, res));
  }

  /** The next `times` POSTs to an upload URL answer `status` (and store nothing). */
  failUploads(times = 1, status = 500): void {
    this.uploadFailures.push({ status, remaining: times });
  }

  sharedIn(channelId: string): FakeFile[] {
    return this.shared.filter((f) => f.channelId === channelId);
  }

  reset(): void {
    this.files.clear();
    this.shared.length = 0;
    this.uploads.length = 0;
    this.byToken.clear();
    this.uploadFailures.length = 0;
  }

  private getUploadUrl(args: Record<string, any>): Record<string, any> {
    const filename = typeof args.filename === 'string' ? args.filename : '';
    const length = Number(args.length);
    if (!filename || args.length === undefined || length === 0) return { ok: false, error: 'missing_argument' };
    if (!Number.isInteger(length) || length < 0) return { ok: false, error: 'invalid_arguments' };
    const altText = typeof args.alt_txt === 'string' ? args.alt_txt : null;
    if (altText !== null && altText.length > 1000) return { ok: false, error: 'alt_txt_too_large' };
    const id = `F${randomBytes(6).toString('hex').toUpperCase().slice(0, 10)}`;
    const token = randomBytes(12).toString('hex');
    this.byToken.set(token, id);
    this.files.set(id, {
      id,
      filename,
      length,
      altText,
      bytes: null,
      uploadContentType: null,
      completed: false,
      title: null,
      channelId: null,
      threadTs: null,
      initialComment: null,
    });
    return { ok: true, upload_url: `${this.slack.url}/upload/v1/${token}`, file_id: id };
  }

  private async serveUpload(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '').split('?')[0]!;
    if (!path.startsWith('/upload/v1/')) return false;
    const body = await readRaw(req);
    const fileId = this.byToken.get(path.slice('/upload/v1/'.length)) ?? null;
    const answer = (status: number, text: string) => {
      this.uploads.push({ fileId, status, bytes: body.length, authorization: req.headers.authorization });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
      return true;
    };
    if (req.method !== 'POST') return answer(405, 'method not allowed');
    const failure = this.uploadFailures[0];
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.uploadFailures.shift();
      return answer(failure.status, 'injected failure');
    }
    const file = fileId ? this.files.get(fileId) : undefined;
    if (!file || file.completed) return answer(404, 'unknown upload url');
    const contentType = String(req.headers['content-type'] ?? '');
    const bytes = contentType.startsWith('multipart/form-data') ? firstMultipartPart(body, contentType) : body;
    if (!bytes || bytes.length !== file.length)
      return answer(400, `expected ${file.length} bytes, got ${bytes?.length ?? 0}`);
    file.bytes = bytes;
    file.uploadContentType = contentType;
    return answer(200, `OK - ${bytes.length}`);
  }

  private complete(args: Record<string, any>): Record<string, any> {
    const files = args.files;
    if (!Array.isArray(files) || files.length === 0 || files.some((f) => typeof f?.id !== 'string'))
      return { ok: false, error: 'invalid_arguments' };
    const channelId = args.channel_id === undefined ? null : String(args.channel_id);
    if (channelId !== null && !CONVERSATION_ID.test(channelId)) return { ok: false, error: 'invalid_arguments' };
    if (args.thread_ts !== undefined && channelId === null) return { ok: false, error: 'invalid_arguments' };
    if (channelId && !channelId.startsWith('D')) {
      if (this.slack.channels.size && !this.slack.channels.has(channelId))
        return { ok: false, error: 'channel_not_found' };
      if (this.slack.channels.has(channelId) && !this.slack.botChannels.has(channelId))
        return { ok: false, error: 'not_in_channel' };
    }
    const found = files.map((f: { id: string }) => this.files.get(f.id));
    if (found.some((f) => !f || f.completed || f.bytes === null)) return { ok: false, error: 'file_not_found' };
    const done = found.map((file, i) => {
      const f = file!;
      f.completed = true;
      f.title = typeof files[i].title === 'string' ? files[i].title : f.filename;
      f.channelId = channelId;
      f.threadTs = args.thread_ts === undefined ? null : String(args.thread_ts);
      f.initialComment = typeof args.initial_comment === 'string' ? args.initial_comment : null;
      if (channelId) this.shared.push(f);
      return { id: f.id, title: f.title };
    });
    return { ok: true, files: done };
  }
}

const attached = new WeakMap<FakeSlack, FakeSlackFiles>();

/** The file upload endpoints of a fake Slack, added on first use. */
export function fakeFilesOf(slack: FakeSlack): FakeSlackFiles {
  let files = attached.get(slack);
  if (!files) {
    files = new FakeSlackFiles(slack);
    attached.set(slack, files);
  }
  return files;
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The content of a multipart body's first part (what a form upload of one file sends). */
function firstMultipartPart(body: Buffer, contentType: string): Buffer | null {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const start = body.indexOf(delimiter);
  if (start === -1) return null;
  const headersEnd = body.indexOf('\r\n\r\n', start);
  if (headersEnd === -1) return null;
  const end = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
  return end === -1 ? null : body.subarray(headersEnd + 4, end);
}
