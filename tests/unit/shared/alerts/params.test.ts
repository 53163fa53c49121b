import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS, EMPTY_ALERT_SETTINGS, paramsFor, paramsForNode, validateOverride } from '../../../../shared/alerts/params';
import { ALERT_RULES, type AlertSettings, type RuleParamsOverride } from '../../../../shared/alerts/types';

const layered: AlertSettings = {
  global: { outOfServiceMinutes: 10, idleUtilPct: 8, enabled: { 'partition-underused': false } },
  clusters: {
    alpha: {
      params: { outOfServiceMinutes: 20, strandedMinutes: 15 },
      partitions: {
        gpu: { outOfServiceMinutes: 30, repeatOffenderCount: 5, repeatOffenderDays: 3 },
        debug: { outOfServiceMinutes: 2, strandedMinutes: 30, repeatOffenderDays: 14, enabled: { 'gpus-out-of-service': false } },
        quiet: { enabled: { 'gpus-out-of-service': false, 'repeat-offender': false } },
      },
    },
    beta: { partitions: { gpu: { idleUtilPct: 1 } } },
  },
};

describe('paramsFor', () => {
  it('gives the defaults with empty settings, every rule on', () => {
    const p = paramsFor(EMPTY_ALERT_SETTINGS, 'alpha');
    expect(p).toEqual(DEFAULT_RULE_PARAMS);
    expect(Object.keys(p.enabled).sort()).toEqual([...ALERT_RULES].sort());
    expect(Object.values(p.enabled).every((on) => on === true)).toBe(true);
  });

  it('layers global, then cluster, then partition', () => {
    expect(paramsFor(layered, 'alpha').outOfServiceMinutes).toBe(20);
    expect(paramsFor(layered, 'alpha', 'gpu').outOfServiceMinutes).toBe(30);
    expect(paramsFor(layered, 'alpha', 'debug').outOfServiceMinutes).toBe(2);
    // A partition without its own value keeps the cluster's; a cluster without one keeps the global's.
    expect(paramsFor(layered, 'alpha', 'gpu').strandedMinutes).toBe(15);
    expect(paramsFor(layered, 'alpha', 'gpu').idleUtilPct).toBe(8);
    expect(paramsFor(layered, 'beta').outOfServiceMinutes).toBe(10);
    expect(paramsFor(layered, 'beta', 'gpu').idleUtilPct).toBe(1);
    // An unknown cluster or partition gets the global settings.
    expect(paramsFor(layered, 'nowhere', 'gpu').outOfServiceMinutes).toBe(10);
    expect(paramsFor(layered, 'alpha', 'nope').outOfServiceMinutes).toBe(20);
    // Untouched values stay at the defaults.
    expect(paramsFor(layered, 'alpha', 'gpu').staleMinutes).toBe(DEFAULT_RULE_PARAMS.staleMinutes);
  });

  it('merges enabled flags rule by rule instead of replacing the set', () => {
    const p = paramsFor(layered, 'alpha', 'debug');
    expect(p.enabled['partition-underused']).toBe(false); // global
    expect(p.enabled['gpus-out-of-service']).toBe(false); // partition
    expect(p.enabled['stranded-gpus']).toBe(true); // default
    expect(paramsFor(layered, 'alpha', 'gpu').enabled['gpus-out-of-service']).toBe(true);
  });

  it('ignores undefined values in an override', () => {
    const s: AlertSettings = { global: { outOfServiceMinutes: undefined }, clusters: {} };
    expect(paramsFor(s, 'alpha').outOfServiceMinutes).toBe(DEFAULT_RULE_PARAMS.outOfServiceMinutes);
  });

  it('does not change the defaults object', () => {
    paramsFor(layered, 'alpha', 'debug');
    expect(DEFAULT_RULE_PARAMS.outOfServiceMinutes).toBe(5);
    expect(DEFAULT_RULE_PARAMS.enabled['gpus-out-of-service']).toBe(true);
  });
});

describe('paramsForNode (a node in several partitions: strictest wins)', () => {
  it('takes the cluster params for a node in no partition', () => {
    expect(paramsForNode(layered, 'alpha', [])).toEqual(paramsFor(layered, 'alpha'));
  });

  it('takes the shortest duration and the lowest repeat count among its partitions', () => {
    const p = paramsForNode(layered, 'alpha', ['gpu', 'debug']);
    expect(p.outOfServiceMinutes).toBe(2);
    expect(p.strandedMinutes).toBe(15); // gpu keeps the cluster's 15, debug says 30
    expect(p.repeatOffenderCount).toBe(3); // debug keeps the default 3, gpu says 5
    expect(p.repeatOffenderDays).toBe(14); // the longer look-back is the stricter one
  });

  it('a partition without an override still takes part with the cluster values', () => {
    // gpu says 30; `other` has no override and so has the cluster's 20.
    expect(paramsForNode(layered, 'alpha', ['gpu', 'other']).outOfServiceMinutes).toBe(20);
    expect(paramsForNode(layered, 'alpha', ['gpu']).outOfServiceMinutes).toBe(30);
    expect(paramsForNode(layered, 'alpha', ['gpu']).repeatOffenderCount).toBe(5);
    expect(paramsForNode(layered, 'alpha', ['gpu']).repeatOffenderDays).toBe(3);
  });

  it('keeps a rule on if any of the partitions has it on', () => {
    expect(paramsForNode(layered, 'alpha', ['debug']).enabled['gpus-out-of-service']).toBe(false);
    expect(paramsForNode(layered, 'alpha', ['debug', 'quiet']).enabled['gpus-out-of-service']).toBe(false);
    expect(paramsForNode(layered, 'alpha', ['debug', 'gpu']).enabled['gpus-out-of-service']).toBe(true);
    expect(paramsForNode(layered, 'alpha', ['quiet']).enabled['repeat-offender']).toBe(false);
    expect(paramsForNode(layered, 'alpha', ['quiet', 'debug']).enabled['repeat-offender']).toBe(true);
    // Off globally and nowhere turned back on: off.
    expect(paramsForNode(layered, 'alpha', ['gpu', 'debug']).enabled['partition-underused']).toBe(false);
  });

  it('keeps the cluster values of settings that are not per node', () => {
    expect(paramsForNode(layered, 'beta', ['gpu']).idleUtilPct).toBe(8);
  });
});

describe('validateOverride', () => {
  it('accepts a sensible override', () => {
    expect(validateOverride({ outOfServiceMinutes: 0, idleUtilPct: 100, repeatOffenderCount: 2, enabled: { 'stranded-gpus': false } }, 'global')).toEqual([]);
  });

  it('names every problem with where it was found', () => {
    const bad = {
      outOfServiceMinutes: -1,
      idleMinutes: Number.POSITIVE_INFINITY,
      underusedPct: 101,
      idleUtilPct: 100.5,
      repeatOffenderCount: 2.5,
      strandedMinGpus: 1.5,
      staleMinutes: '15',
      bogus: 3,
      enabled: { 'no-such-rule': true, 'data-stale': 'yes' },
    } as unknown as RuleParamsOverride;
    expect(validateOverride(bad, 'clusters.alpha')).toEqual([
      'clusters.alpha: outOfServiceMinutes must be a number ≥ 0 (got -1)',
      'clusters.alpha: idleMinutes must be a number ≥ 0 (got null)',
      'clusters.alpha: underusedPct is a percentage (0–100), got 101',
      'clusters.alpha: idleUtilPct is a percentage (0–100), got 100.5',
      'clusters.alpha: repeatOffenderCount must be a whole number',
      'clusters.alpha: strandedMinGpus must be a whole number',
      'clusters.alpha: staleMinutes must be a number ≥ 0 (got "15")',
      'clusters.alpha: unknown setting "bogus"',
      `clusters.alpha: unknown rule "no-such-rule" (rules: ${ALERT_RULES.join(', ')})`,
      'clusters.alpha: enabled.data-stale must be true or false',
    ]);
  });
});
