import type { FromCheckWorker } from './crm-data-check-worker';
import { type CrmDataSkeleton, CrmDataSyntaxError } from './crm-data-reader';
import { threadAnswer } from './thread-answer';

/**
 * Reads the CRM data export at `file` through once on a thread of its own
 * (crm-data-check-worker.ts) and returns its skeleton (readCrmDataFile), so checking a file
 * of hundreds of megabytes neither holds the event loop nor leaves its garbage in this
 * thread's heap. Throws CrmDataSyntaxError for a file that is not an export's JSON.
 */
export async function checkCrmDataFile(file: string): Promise<CrmDataSkeleton> {
  const answer = await threadAnswer<FromCheckWorker>('crm-data-check-worker', { file }, CHECK_THREAD_LIMITS);
  if (answer.op === 'invalid') throw new CrmDataSyntaxError(answer.message);
  if (answer.op === 'failed') throw new Error(`the file could not be read: ${answer.message}`);
  return answer.skeleton;
}

/** A read buffer and the rows of a piece of it at a time; the skeleton is a few hundred bytes. */
const CHECK_THREAD_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };
