import { type ResourceLimits, Worker } from 'node:worker_threads';
import { workerSource } from '../worker-source';

/**
 * Runs the thread `script` (a module of src/backup, without extension) with `data` and
 * resolves with the one message it answers with; rejects when the thread fails or stops
 * before answering. The thread is ended (and with it any connection it holds) before the
 * answer is given. For the restore's work on a whole file, which holds no event loop this way.
 */
export function threadAnswer<M>(script: string, data: unknown, resourceLimits: ResourceLimits): Promise<M> {
  return new Promise<M>((resolve, reject) => {
    const worker = new Worker(workerSource(__filename, script), { eval: true, workerData: data, resourceLimits });
    const name = script.replace(/-worker$/, '');
    let settled = false;
    const settle = (answer: { message: M } | { error: Error }) => {
      if (settled) return;
      settled = true;
      void worker.terminate().then(() => ('message' in answer ? resolve(answer.message) : reject(answer.error)));
    };
    worker.on('message', (message: M) => settle({ message }));
    worker.on('error', (err) => settle({ error: new Error(`the ${name} thread failed: ${err.message}`) }));
    worker.on('exit', (code) =>
      settle({ error: new Error(`the ${name} thread stopped before it answered (exit code ${code})`) }),
    );
  });
}
