import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteArg, shellCommand } from '../../../shared/slurm/quote';

/** Run the quoted line through a real POSIX shell and get argv back, one per line. */
function roundTrip(argv: string[]): string[] {
  const line = shellCommand(['printf', '%s\\n', ...argv]);
  return execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' }).split('\n').slice(0, -1);
}

describe('shellCommand', () => {
  it('leaves plain words alone and quotes everything else', () => {
    expect(shellCommand(['squeue', '-h', '-o', '%i|%T', '--partition=gpu'])).toBe("squeue -h -o '%i|%T' --partition=gpu");
    expect(quoteArg('')).toBe("''");
  });

  it('gives hostile values back to the program unchanged through a real shell', () => {
    const nasty = ['a b', "it's", '$(touch /tmp/pwned)', '`id`', 'x;rm -rf /', '*', '\n', '"q"', '\\', '!', '~root'];
    expect(roundTrip(nasty)).toEqual(nasty.flatMap((s) => s.split('\n')));
  });

  it('passes environment through env(1), which every login shell understands', () => {
    expect(shellCommand(['sacct', '-P'], { SLURM_TIME_FORMAT: '%s' })).toBe('env SLURM_TIME_FORMAT=%s sacct -P');
    expect(() => shellCommand(['x'], { 'A;B': '1' })).toThrow(/invalid environment/);
  });

  it('refuses unsafe program names and NUL bytes', () => {
    expect(() => shellCommand(['rm -rf', 'x'])).toThrow(/unsafe program/);
    expect(() => shellCommand([])).toThrow(/empty/);
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
  });
});
