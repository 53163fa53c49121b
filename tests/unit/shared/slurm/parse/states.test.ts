import { describe, expect, it } from 'vitest';
import { nodeCanTakeWork, nodeStateLabel } from '../../../../../shared/model/node';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { parseJobState, parseNodeState } from '../../../../../shared/slurm/parse/states';
import { expectTypedOutcome, randomString, rng } from './fuzz';

describe('parseNodeState', () => {
  it('reads scontrol base+flags forms', () => {
    expect(parseNodeState('IDLE+DRAIN')).toEqual({ state: 'IDLE', flags: ['DRAIN'] });
    expect(parseNodeState('MIXED+DRAIN')).toEqual({ state: 'MIXED', flags: ['DRAIN'] });
    expect(parseNodeState('DOWN*+DRAIN+NOT_RESPONDING')).toEqual({ state: 'DOWN', flags: ['NOT_RESPONDING', 'DRAIN'] });
    expect(parseNodeState('DOWN+NOT_RESPONDING')).toEqual({ state: 'DOWN', flags: ['NOT_RESPONDING'] });
    expect(parseNodeState('IDLE+CLOUD+POWERED_DOWN')).toEqual({ state: 'IDLE', flags: ['CLOUD', 'POWERED_DOWN'] });
    expect(parseNodeState('ALLOCATED+COMPLETING')).toEqual({ state: 'ALLOCATED', flags: ['COMPLETING'] });
    expect(parseNodeState('MIXED+PLANNED+SOMETHING_NEW')).toEqual({ state: 'MIXED', flags: ['PLANNED', 'SOMETHING_NEW'] });
    expect(parseNodeState('idle+drain')).toEqual({ state: 'IDLE', flags: ['DRAIN'] });
  });

  it('reads sinfo long and compact words with their suffixes', () => {
    expect(parseNodeState('drained')).toEqual({ state: 'IDLE', flags: ['DRAIN'] });
    expect(parseNodeState('drain')).toEqual({ state: 'IDLE', flags: ['DRAIN'] });
    expect(parseNodeState('draining')).toEqual({ state: 'MIXED', flags: ['DRAIN'] });
    expect(parseNodeState('drng@')).toEqual({ state: 'MIXED', flags: ['DRAIN', 'REBOOT_REQUESTED'] });
    expect(parseNodeState('down*')).toEqual({ state: 'DOWN', flags: ['NOT_RESPONDING'] });
    expect(parseNodeState('mix-')).toEqual({ state: 'MIXED', flags: ['PLANNED'] });
    expect(parseNodeState('alloc#')).toEqual({ state: 'ALLOCATED', flags: ['POWERING_UP'] });
    expect(parseNodeState('idle~')).toEqual({ state: 'IDLE', flags: ['POWERED_DOWN'] });
    expect(parseNodeState('idle%')).toEqual({ state: 'IDLE', flags: ['POWERING_DOWN'] });
    expect(parseNodeState('idle!')).toEqual({ state: 'IDLE', flags: ['POWER_DOWN'] });
    expect(parseNodeState('mix$')).toEqual({ state: 'MIXED', flags: ['MAINTENANCE'] });
    expect(parseNodeState('allocated+')).toEqual({ state: 'ALLOCATED', flags: ['COMPLETING'] });
    expect(parseNodeState('alloc+')).toEqual({ state: 'ALLOCATED', flags: ['COMPLETING'] });
    expect(parseNodeState('boot^')).toEqual({ state: 'IDLE', flags: ['REBOOT_REQUESTED', 'REBOOT_ISSUED'] });
    expect(parseNodeState('inval')).toEqual({ state: 'UNKNOWN', flags: ['INVALID_REG'] });
    expect(parseNodeState('maint')).toEqual({ state: 'IDLE', flags: ['MAINTENANCE'] });
    expect(parseNodeState('failg')).toEqual({ state: 'ALLOCATED', flags: ['FAIL'] });
  });

  it('round-trips through the model label for the common states', () => {
    for (const [input, label] of [['drained', 'drained'], ['MIXED+DRAIN', 'draining'], ['down*', 'down*'], ['IDLE+DRAIN+NOT_RESPONDING', 'drained*'], ['mixed', 'mixed'], ['fail', 'fail']] as const) {
      expect(nodeStateLabel(parseNodeState(input)), input).toBe(label);
    }
    expect(nodeCanTakeWork(parseNodeState('idle'))).toBe(true);
    expect(nodeCanTakeWork(parseNodeState('drng'))).toBe(false);
    expect(nodeCanTakeWork(parseNodeState('idle~'))).toBe(false);
  });

  it('refuses what is not a node state', () => {
    for (const bad of ['', '?', 'BUSY', '+DRAIN', 'IDLE++DRAIN', 'IDLE+drain me', '123', 'IDLE+9X']) {
      expect(() => parseNodeState(bad), bad).toThrow(SlurmParseError);
    }
  });
});

describe('parseJobState', () => {
  it('reads full names, compact codes and CANCELLED by uid', () => {
    expect(parseJobState('RUNNING')).toEqual({ state: 'RUNNING', detail: null });
    expect(parseJobState('PD')).toEqual({ state: 'PENDING', detail: null });
    expect(parseJobState('OOM')).toEqual({ state: 'OUT_OF_MEMORY', detail: null });
    expect(parseJobState('CANCELLED by 1001')).toEqual({ state: 'CANCELLED', detail: '1001' });
    expect(parseJobState('CANCELLED by 0')).toEqual({ state: 'CANCELLED', detail: '0' });
    expect(parseJobState('PREEMPTED')).toEqual({ state: 'PREEMPTED', detail: null });
    expect(parseJobState('CANCELLED+')).toEqual({ state: 'CANCELLED', detail: null });
    expect(parseJobState('FUTURE_STATE')).toEqual({ state: 'FUTURE_STATE', detail: null });
  });

  it('refuses garbage', () => {
    for (const bad of ['', 'X', 'RUN NING', '123', 'CANCELLED by', 'pending!']) expect(() => parseJobState(bad), bad).toThrow(SlurmParseError);
  });
});

describe('state fuzz', () => {
  it('never crashes', () => {
    const next = rng(29);
    const inputs = Array.from({ length: 5000 }, () => randomString(next, 24, 'IDLEMXRAWNOCGdrainmx+*~#!%$@^-_ 01'));
    expectTypedOutcome(inputs, parseNodeState, (s) => expect(['IDLE', 'MIXED', 'ALLOCATED', 'DOWN', 'ERROR', 'FUTURE', 'UNKNOWN']).toContain(s.state));
    expectTypedOutcome(inputs, parseJobState);
  });
});
