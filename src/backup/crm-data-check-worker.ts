import { parentPort, workerData } from 'node:worker_threads';
import { type CrmDataSkeleton, CrmDataSyntaxError, readCrmDataFile } from './crm-data-reader';

/**
 * The thread behind crm-data-check.ts: reads a CRM data export through once (rows counted,
 * not kept) and answers with its skeleton, so the parsing and its garbage are this thread's.
 */
export interface CrmDataCheckData {
  file: string;
}

export type FromCheckWorker =
  | { op: 'checked'; skeleton: CrmDataSkeleton }
  /** Not JSON, or not shaped like an export: the message says where. */
  | { op: 'invalid'; message: string }
  | { op: 'failed'; message: string };

const data = workerData as CrmDataCheckData;

readCrmDataFile(data.file).then(
  (skeleton) => parentPort!.postMessage({ op: 'checked', skeleton } satisfies FromCheckWorker),
  (err: unknown) => {
    const invalid = err instanceof CrmDataSyntaxError || err instanceof SyntaxError;
    const message = String((err as Error)?.message ?? err);
    parentPort!.postMessage({ op: invalid ? 'invalid' : 'failed', message } satisfies FromCheckWorker);
  },
);
