import { describe, expect, it } from 'vitest';
import { normaliseSacctmgrUsersJson } from '../../../../../shared/slurm/json/sacctmgr-users';
import { dataParserDoc, testbed } from './fixtures';

describe('normaliseSacctmgrUsersJson', () => {
  it('24.11: AdminLevel and the accounts a user coordinates', () => {
    expect(normaliseSacctmgrUsersJson(testbed('24.11', 'sacctmgr-user-opscoord.json')).items).toEqual([
      { user: 'opscoord', adminLevel: 'None', defaultAccount: 'nlp', coordinatorOf: ['nlp'], accounts: ['nlp'] },
    ]);
    expect(normaliseSacctmgrUsersJson(testbed('24.11', 'sacctmgr-user-opsoper.json')).items).toEqual([
      { user: 'opsoper', adminLevel: 'Operator', defaultAccount: 'ops', coordinatorOf: [], accounts: ['ops'] },
    ]);
  });

  it('reads every user of a listing, and refuses an unknown admin level', () => {
    const r = normaliseSacctmgrUsersJson(
      dataParserDoc('v0.0.42', {
        users: [
          { name: 'root', administrator_level: ['Administrator'], default: { account: 'root' }, coordinators: [], associations: [{ account: 'root' }] },
          { name: 'mallory', administrator_level: ['Overlord'] },
          { name: 'carol', administrator_level: 'None', associations: [{ account: 'a' }, { account: 'b' }, { account: 'a' }] },
        ],
      }),
    );
    expect(r.items.map((u) => [u.user, u.adminLevel, u.accounts])).toEqual([
      ['root', 'Administrator', ['root']],
      ['carol', 'None', ['a', 'b']],
    ]);
    expect(r.errors[0]?.message).toMatch(/users\[1\]\.administrator_level: unknown admin level "Overlord"/);
  });
});
