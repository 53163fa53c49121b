import { describe, expect, it } from 'vitest';
import { expandJobIds, MAX_EXPANDED_IDS, splitJobIdInput } from '../../../../shared/actions/job-id-list';
import { SlurmArgumentError } from '../../../../shared/slurm/parse/job-id';

describe('expandJobIds', () => {
  it('takes plain ids, array tasks and task ranges, in order, without duplicates', () => {
    expect(expandJobIds(['123', '123_4', '7_[1-3,9]', '123'])).toEqual(['123', '123_4', '7_1', '7_2', '7_3', '7_9']);
    expect(expandJobIds(['5_[0-6:3]'])).toEqual(['5_0', '5_3', '5_6']);
    expect(expandJobIds(['1,2  3', '4_[1,2],5'])).toEqual(['1', '2', '3', '4_1', '4_2', '5']);
  });

  it('splits on commas outside brackets and on whitespace', () => {
    expect(splitJobIdInput('1,2_[3,4] 5\t6')).toEqual(['1', '2_[3,4]', '5', '6']);
  });

  it.each([
    '1;touch /tmp/x', '$(id)', '1`id`', '-1', '0', '123.batch', '123+1', '123_[5-9%2]', '123_[9-5]', '12 && id', "1'", '123_', '_4', '123_[1-3]x',
    'gpu[01-02]', '1234567890123', '',
  ])('refuses %j whole, naming the bad token', (bad) => {
    if (bad === '') {
      expect(expandJobIds([bad])).toEqual([]);
      return;
    }
    expect(() => expandJobIds(['42', bad])).toThrow(SlurmArgumentError);
  });

  it('refuses a selection that expands past the limit', () => {
    expect(() => expandJobIds([`9_[1-${MAX_EXPANDED_IDS + 1}]`])).toThrow(/more than/);
    expect(expandJobIds([`9_[1-${MAX_EXPANDED_IDS}]`])).toHaveLength(MAX_EXPANDED_IDS);
  });
});
