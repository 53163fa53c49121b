import { describe, expect, it } from 'vitest';
import { nodeStateFrom } from '../../../../../shared/slurm/json/node-state';
import { FieldError } from '../../../../../shared/slurm/json/values';

describe('nodeStateFrom', () => {
  it('reads 22.05: lower-case base word plus state_flags', () => {
    expect(nodeStateFrom('idle', ['DRAIN'], 'state')).toEqual({ state: 'IDLE', flags: ['DRAIN'] });
    expect(nodeStateFrom('down', ['NOT_RESPONDING'], 'state')).toEqual({ state: 'DOWN', flags: ['NOT_RESPONDING'] });
    expect(nodeStateFrom('mixed', [], 'state')).toEqual({ state: 'MIXED', flags: [] });
  });

  it('reads data_parser arrays wherever the base word sits', () => {
    expect(nodeStateFrom(['IDLE', 'DRAIN'], undefined, 'state')).toEqual({ state: 'IDLE', flags: ['DRAIN'] });
    expect(nodeStateFrom(['DRAIN', 'MIXED'], undefined, 'state')).toEqual({ state: 'MIXED', flags: ['DRAIN'] });
    expect(nodeStateFrom(['MIXED', 'PLANNED'], null, 'state')).toEqual({ state: 'MIXED', flags: ['PLANNED'] });
    expect(nodeStateFrom(['DOWN', 'DRAIN', 'NOT_RESPONDING'], null, 'state')).toEqual({ state: 'DOWN', flags: ['DRAIN', 'NOT_RESPONDING'] });
    // A flag alone: slurmctld's base 0 (UNKNOWN) with the flag.
    expect(nodeStateFrom(['POWERED_DOWN'], null, 'state')).toEqual({ state: 'UNKNOWN', flags: ['POWERED_DOWN'] });
    // Unknown flags of a newer Slurm are kept as they come.
    expect(nodeStateFrom(['IDLE', 'SHINY_NEW_FLAG'], null, 'state').flags).toEqual(['SHINY_NEW_FLAG']);
  });

  it('refuses empty and malformed states with the field name', () => {
    expect(() => nodeStateFrom([], null, 'state')).toThrow(FieldError);
    expect(() => nodeStateFrom('bogus', null, 'state')).toThrow(FieldError);
    expect(() => nodeStateFrom(['IDLE', 'lower case'], null, 'state')).toThrow(FieldError);
  });
});
