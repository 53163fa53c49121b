// Small deterministic fuzzing helpers: a seeded PRNG (so a failure reproduces), random strings biased
// towards the characters Slurm outputs are made of, and truncations/mutations of valid inputs.
import { expect } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'abcxyzAZ0123456789[]-,_:=+*~#!%$@^()/.|T NULLKMG\t\n\u0000é';

export function randomString(next: () => number, maxLen = 40, alphabet = ALPHABET): string {
  const len = Math.floor(next() * maxLen);
  let out = '';
  for (let i = 0; i < len; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

/** Every prefix, and random one-character deletions / insertions / replacements of `valid`. */
export function mutations(valid: string, next: () => number, count = 50): string[] {
  const out: string[] = [];
  for (let i = 0; i <= valid.length; i++) out.push(valid.slice(0, i));
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * (valid.length + 1));
    const c = ALPHABET[Math.floor(next() * ALPHABET.length)] as string;
    const kind = Math.floor(next() * 3);
    out.push(kind === 0 ? valid.slice(0, at) + valid.slice(at + 1) : kind === 1 ? valid.slice(0, at) + c + valid.slice(at) : valid.slice(0, at) + c + valid.slice(at + 1));
  }
  return out;
}

/**
 * Run `fn` on each input: it must return (and `check` the result, when given) or throw a SlurmParseError.
 * Anything else (a TypeError, a RangeError, an endless loop caught by the test timeout) fails the test.
 */
export function expectTypedOutcome<T>(inputs: readonly string[], fn: (s: string) => T, check?: (result: T, input: string) => void): { ok: number; rejected: number } {
  let ok = 0;
  let rejected = 0;
  for (const input of inputs) {
    let result: T;
    try {
      result = fn(input);
    } catch (err) {
      if (!(err instanceof SlurmParseError)) {
        throw new Error(`input ${JSON.stringify(input)} threw ${String(err)}`);
      }
      rejected++;
      continue;
    }
    ok++;
    check?.(result, input);
  }
  expect(ok + rejected).toBe(inputs.length);
  return { ok, rejected };
}
