import type { Logger } from '../logger';

/** Waits before each retry of a failed outcome write: three retries over about 2.6 s. */
export const RECORD_RETRY_DELAYS_MS: readonly number[] = [100, 500, 2000];

/**
 * Group commit of outcomes: a write starts as soon as the recorder is idle, and those
 * arriving while a write is under way go together in the next one, so an outcome waits at
 * most for one write before its own. A write first lets the current turn of the event loop
 * finish (no timer): answers Slack already sent are read and join it. Without that, SQLite,
 * whose driver runs a whole transaction without giving the event loop a turn, would write
 * every outcome on its own.
 *
 * A failed write is retried a few times (the posts it records are in Slack already: only
 * the recording may be repeated); if it still fails the outcomes stay unrecorded, and the
 * claims' leases run out so that another attempt finds the posts in Slack before sending
 * anything.
 */
export class OutcomeRecorder<T> {
  private queue: T[] = [];
  private writing: Promise<void> | null = null;
  /** Outcomes that could not be recorded at all. */
  lost = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly logger: Logger,
    private readonly onRecorded: (items: T[]) => void = () => {},
    private readonly retryDelaysMs: readonly number[] = RECORD_RETRY_DELAYS_MS,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    this.writing ??= this.loop().finally(() => {
      this.writing = null;
    });
  }

  /** Resolves once everything pushed so far has been written (or given up on). */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async loop(): Promise<void> {
    while (this.queue.length) {
      await new Promise<void>((r) => setImmediate(r));
      const items = this.queue;
      this.queue = [];
      for (let attempt = 0; ; attempt += 1) {
        try {
          await this.write(items);
          this.onRecorded(items);
          break;
        } catch (err) {
          const delay = this.retryDelaysMs[attempt];
          if (delay === undefined) {
            this.lost += items.length;
            this.logger.error(
              { err, outcomes: items.length },
              'could not record delivery outcomes; they will be checked in Slack before any resend',
            );
            break;
          }
          this.logger.warn({ err, attempt: attempt + 1 }, 'recording delivery outcomes failed; retrying');
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    }
  }
}
