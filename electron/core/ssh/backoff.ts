// Reconnect delays: exponential, capped, with jitter so that many consoles (or many clusters behind one
// jump host) do not all reconnect in the same second after a login node comes back. Time and randomness
// are injected so tests can drive a reconnect sequence without waiting.

export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** Upper bound of any delay, in ms. */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Fraction of the delay that is random: 0 = none, 0.5 = between 50 % and 100 % of the nominal delay. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.5 };

/**
 * The delay before retry number `attempt` (0-based). The random part only ever shortens the nominal delay,
 * so the cap holds and a retry never comes sooner than (1 - jitter) of the nominal delay.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  const nominal = Math.min(policy.maxMs, policy.initialMs * policy.factor ** attempt);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(nominal * (1 - policy.jitter * r));
}

/** setTimeout/clearTimeout as a port, so tests can fire reconnect timers by hand. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending reconnect must not keep a CLI process alive on its own.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
