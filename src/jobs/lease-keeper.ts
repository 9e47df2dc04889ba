import type { Clock } from '../clock';
import type { Logger } from '../logger';

/**
 * Keeps a set of claims leased while a batch works on them: renews every third of the
 * lease, and answers whether the lease can still be trusted before each send. If renewals
 * fail for long enough that the lease may have run out, `held()` turns false and the batch
 * stops sending (another instance may have taken its claims over).
 */
export class LeaseKeeper {
  private heldUntil: number;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  private readonly pending = new Set<number>();

  constructor(
    private readonly opts: {
      leaseMs: number;
      clock: Clock;
      logger: Logger;
      /** Renews the given claims until now + leaseMs; resolves to how many are still held. */
      renew(ids: number[], now: Date): Promise<number>;
    },
    ids: number[],
  ) {
    for (const id of ids) this.pending.add(id);
    this.heldUntil = opts.clock.now().getTime() + opts.leaseMs;
  }

  start(): this {
    const every = Math.max(50, Math.floor(this.opts.leaseMs / 3));
    this.timer = setInterval(() => void this.renewNow(), every);
    this.timer.unref?.();
    return this;
  }

  /** The claim needs no more renewing (its outcome is recorded). */
  done(id: number): void {
    this.pending.delete(id);
  }

  /** True while the lease is safely ours: a margin of a third of the lease before it runs out. */
  held(): boolean {
    return this.opts.clock.now().getTime() < this.heldUntil - this.opts.leaseMs / 3;
  }

  private renewNow(): Promise<void> {
    if (this.renewing || this.pending.size === 0) return this.renewing ?? Promise.resolve();
    const now = this.opts.clock.now();
    this.renewing = this.opts
      .renew([...this.pending], now)
      .then(() => {
        this.heldUntil = now.getTime() + this.opts.leaseMs;
      })
      .catch((err: unknown) =>
        this.opts.logger.warn({ err, claims: this.pending.size }, 'could not renew the claim lease'),
      )
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
  }
}
