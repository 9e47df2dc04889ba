import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An export written to a temporary file as it is produced, so the app never holds the whole
 * file: Slack's upload (files.getUploadURLExternal) wants the byte length before the bytes,
 * which only a finished file knows. The file is readable by this user alone (a folder of
 * mode 0700 holding a file of mode 0600: exports carry customers' contact details) and is
 * removed by `remove()`, which callers run in `finally`.
 */
export interface SpooledFile {
  path: string;
  /** Bytes written. */
  length: number;
  remove(): Promise<void>;
}

/**
 * Writes every piece `chunks` yields, in order, waiting whenever the disk is behind (the
 * stream's backpressure); returns the finished file. On failure the file is removed.
 */
export async function spoolToTempFile(chunks: AsyncIterable<string | Buffer>, name: string): Promise<SpooledFile> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-export-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, name.replace(/[^\w.-]/g, '_'));
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  // Always listened to: a disk error while the next piece is being produced must not go unhandled.
  let failure: Error | null = null;
  out.on('error', (err) => {
    failure ??= err;
  });
  try {
    await once(out, 'open');
    for await (const chunk of chunks) {
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    if (failure) throw failure;
    return { path, length: out.bytesWritten, remove };
  } catch (err) {
    if (!out.destroyed) {
      const closed = once(out, 'close').catch(() => undefined);
      out.destroy();
      await closed;
    }
    await remove();
    throw err;
  }
}
