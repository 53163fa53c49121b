// At most N exec channels at once on one connection, the rest wait in FIFO order. sshd refuses sessions
// beyond MaxSessions (default 10), and a refusal looks like a failed command unless we stay below it.
// The limit can drop at run time (the server told us its real limit by refusing a channel), and the
// whole queue can be held (while connecting) or failed at once (when the connection goes offline).

interface Waiter {
  grant: () => void;
  fail: (err: unknown) => void;
}

export class ChannelLimiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private held = false;
  /** Highest number of channels ever in use at once: lets tests and benches check the cap held. */
  peak = 0;

  constructor(private max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`channel limit must be a positive integer, got ${max}`);
  }

  get limit(): number {
    return this.max;
  }
  get inUse(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Wait for a free channel. `front` puts the request at the head of the queue (a command that lost its
   * slot through no fault of its own goes first). An aborted signal removes the request from the queue.
   */
  acquire(options: { front?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const { front = false, signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.held && this.active < this.max && (front || this.waiting.length === 0)) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (front) this.waiting.unshift(waiter);
      else this.waiting.push(waiter);
    });
  }

  release(): void {
    if (this.active === 0) throw new Error('ChannelLimiter.release() without a matching acquire()');
    this.active--;
    this.pump();
  }

  /** Lower (or restore) the limit; channels already open stay open. */
  setLimit(max: number): void {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`channel limit must be a positive integer, got ${max}`);
    this.max = max;
    this.pump();
  }

  /** Stop granting channels (requests keep queueing) until resume(). */
  hold(): void {
    this.held = true;
  }

  resume(): void {
    this.held = false;
    this.pump();
  }

  /** Fail every queued request with `err` (channels in use are not affected). */
  failQueued(err: unknown): void {
    for (const w of this.waiting.splice(0)) w.fail(err);
  }

  private take(): void {
    this.active++;
    if (this.active > this.peak) this.peak = this.active;
  }

  private pump(): void {
    while (!this.held && this.active < this.max && this.waiting.length > 0) {
      const next = this.waiting.shift() as Waiter;
      this.take();
      next.grant();
    }
  }
}
