import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { parseExitCode } from '../../../../../shared/slurm/parse/exitcode';
import { expectTypedOutcome, randomString, rng } from './fuzz';

describe('parseExitCode', () => {
  it('reads code:signal text', () => {
    expect(parseExitCode('0:0')).toEqual({ code: 0, signal: 0 });
    expect(parseExitCode('0:15')).toEqual({ code: 0, signal: 15 });
    expect(parseExitCode('3:0')).toEqual({ code: 3, signal: 0 });
    expect(parseExitCode('255:0')).toEqual({ code: 255, signal: 0 });
  });

  it('reads raw wait statuses as the 22.05 JSON gives them', () => {
    expect(parseExitCode(768)).toEqual({ code: 3, signal: 0 });
    expect(parseExitCode(0)).toEqual({ code: 0, signal: 0 });
    expect(parseExitCode(9)).toEqual({ code: 0, signal: 9 });
    expect(parseExitCode(15)).toEqual({ code: 0, signal: 15 });
    expect(parseExitCode(0x8b)).toEqual({ code: 0, signal: 11 }); // SIGSEGV with core dump
    expect(parseExitCode(256)).toEqual({ code: 1, signal: 0 });
    expect(parseExitCode('768')).toEqual({ code: 3, signal: 0 });
  });

  it('reads NO_VAL and empty as no exit code', () => {
    expect(parseExitCode(0xfffffffe)).toBeNull();
    expect(parseExitCode('')).toBeNull();
  });

  it('refuses malformed values', () => {
    for (const bad of ['0:', ':0', '1:2:3', 'x', '256:0', '-1:0', '0:999']) expect(() => parseExitCode(bad), bad).toThrow(SlurmParseError);
    for (const bad of [1.5, -5, 0x10000, 0x7f, Number.NaN]) expect(() => parseExitCode(bad), String(bad)).toThrow(SlurmParseError);
  });

  it('never crashes (fuzz)', () => {
    const next = rng(19);
    expectTypedOutcome(Array.from({ length: 3000 }, () => randomString(next, 8, '0123456789:- x')), parseExitCode, (e) => {
      if (e) expect(e.code >= 0 && e.code <= 255 && e.signal >= 0 && e.signal <= 255).toBe(true);
    });
  });
});
