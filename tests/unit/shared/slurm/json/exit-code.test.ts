import { describe, expect, it } from 'vitest';
import { asSacctPrints, exitCodeFrom } from '../../../../../shared/slurm/json/exit-code';
import { FieldError } from '../../../../../shared/slurm/json/values';

const nv = (number: number, set = true, infinite = false) => ({ set, infinite, number });

describe('exitCodeFrom', () => {
  it('reads raw wait statuses (22.05 squeue, 23.02 squeue, wrapped from 23.02.4)', () => {
    // Values seen on the 22.05 test bed: exit 3, SIGTERM, and a shell that exited 143 after SIGTERM.
    expect(exitCodeFrom(768, 'exit_code')).toEqual({ code: 3, signal: 0 });
    expect(exitCodeFrom(15, 'exit_code')).toEqual({ code: 0, signal: 15 });
    expect(exitCodeFrom(36608, 'exit_code')).toEqual({ code: 143, signal: 0 });
    expect(exitCodeFrom(0, 'exit_code')).toEqual({ code: 0, signal: 0 });
    expect(exitCodeFrom(nv(768), 'exit_code')).toEqual({ code: 3, signal: 0 });
    expect(exitCodeFrom(nv(0, false), 'exit_code')).toBeNull();
    expect(exitCodeFrom(4294967294, 'exit_code')).toBeNull();
  });

  it('reads v0.0.40+ objects by their status', () => {
    expect(exitCodeFrom({ status: ['ERROR'], return_code: nv(3), signal: { id: nv(0, false), name: '' } }, 'e')).toEqual({ code: 3, signal: 0 });
    expect(exitCodeFrom({ status: ['SIGNALED'], return_code: nv(0, false), signal: { id: nv(15), name: 'TERM' } }, 'e')).toEqual({ code: 0, signal: 15 });
    expect(exitCodeFrom({ status: ['SIGNALED', 'CORE_DUMPED'], return_code: nv(0, false), signal: { id: nv(11), name: 'SEGV' } }, 'e')).toEqual({ code: 0, signal: 11 });
    expect(exitCodeFrom({ status: ['SUCCESS'], return_code: nv(0), signal: { id: nv(0, false), name: '' } }, 'e')).toEqual({ code: 0, signal: 0 });
    expect(exitCodeFrom({ status: ['PENDING'], return_code: nv(0, false) }, 'e')).toBeNull();
  });

  it('reads 22.05 sacct objects (plain numbers, signal_id)', () => {
    expect(exitCodeFrom({ status: 'SIGNALED', return_code: null, signal: { signal_id: 15, name: 'Terminated' } }, 'e')).toEqual({ code: 0, signal: 15 });
    expect(exitCodeFrom({ status: 'SUCCESS', return_code: 0 }, 'e')).toEqual({ code: 0, signal: 0 });
  });

  it('refuses statuses it cannot read, with the field name', () => {
    expect(() => exitCodeFrom({ status: ['SIGNALED'], return_code: null, signal: { id: nv(0, false) } }, 'exit_code')).toThrow(FieldError);
    expect(() => exitCodeFrom({ status: ['WHATEVER'] }, 'exit_code')).toThrow(/unknown exit status/);
    expect(() => exitCodeFrom({ status: ['ERROR'], return_code: nv(300) }, 'exit_code')).toThrow(/out of range/);
    expect(() => exitCodeFrom(0x7f, 'exit_code')).toThrow(FieldError); // WIFSTOPPED: not a finished job
  });
});

describe('asSacctPrints', () => {
  it('takes 128 off statuses of 128 and more, as sacct prints them', () => {
    expect(asSacctPrints({ code: 143, signal: 0 })).toEqual({ code: 15, signal: 0 });
    expect(asSacctPrints({ code: 127, signal: 0 })).toEqual({ code: 127, signal: 0 });
    expect(asSacctPrints({ code: 0, signal: 9 })).toEqual({ code: 0, signal: 9 });
    expect(asSacctPrints(null)).toBeNull();
  });
});
