// The small interfaces the core depends on instead of Electron or the terminal. Each host (desktop shell,
// web host, CLI, tests) supplies its own implementations.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
