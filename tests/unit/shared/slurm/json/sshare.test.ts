import { describe, expect, it } from 'vitest';
import { normaliseSshareJson } from '../../../../../shared/slurm/json/sshare';
import { dataParserDoc, testbed } from './fixtures';

describe('normaliseSshareJson', () => {
  it('24.11: the association tree with depth and parents from the JSON parent links', () => {
    const r = normaliseSshareJson(testbed('24.11', 'sshare.json'));
    expect(r.version.family.id).toBe('v0.0.42');
    expect(r.items.map((x) => `${' '.repeat(x.depth)}${x.account}${x.user ? `|${x.user}` : ''}<${x.parent ?? ''}`)).toEqual([
      'root<',
      ' root|root<root',
      ' ops<root',
      '  ops|opsoper<ops',
      ' production<root',
      '  inference<production',
      '   inference|bob<inference',
      ' research<root',
      '  nlp<research',
      '   nlp|alice<nlp',
      '   nlp|opscoord<nlp',
      '  vision<research',
      '   vision|opsuser<vision',
    ]);
  });

  it("24.11: factors as sshare prints them (six decimals, inf, accounts' FairShare empty)", () => {
    const rows = normaliseSshareJson(testbed('24.11', 'sshare.json')).items;
    const alice = rows.find((x) => x.user === 'alice');
    // sshare -P: nlp|alice|1|0.500000|5138|0.024978|0.438630|0.666667|1.139913||cpu=178,…
    expect(alice).toMatchObject({ rawShares: 1, normShares: 0.5, rawUsage: 5138, effectiveUsage: 0.43863, fairShare: 0.666667, levelFs: 1.139913, grpTresMins: null });
    expect(alice?.tresRunMins).toBe('cpu=178,mem=356466,energy=0,node=178,billing=178,fs/disk=0,vmem=0,pages=0,gres/gpu=0,gres/gpu:h100=0,gres/gpumem=0,gres/gpuutil=0');
    expect(rows.find((x) => x.account === 'ops' && x.user === null)).toMatchObject({ fairShare: null, levelFs: Number.POSITIVE_INFINITY, rawShares: 10 });
    expect(rows[0]).toMatchObject({ account: 'root', rawShares: null, normShares: 0, levelFs: null });
  });

  it('prints GrpTRESMins from set limits only, and rejects a user without an account', () => {
    const nv = (n: number, set = true, infinite = false) => ({ set, infinite, number: n });
    const r = normaliseSshareJson(
      dataParserDoc('v0.0.42', {
        shares: {
          shares: [
            { name: 'root', parent: '', type: ['ASSOCIATION'], shares: nv(0, false), usage: 0 },
            { name: 'gpu', parent: 'root', type: ['ASSOCIATION'], shares: nv(5), usage: 10, tres: { group_minutes: [{ name: 'cpu', value: nv(0, false, true) }, { name: 'gres/gpu', value: nv(6000) }], run_seconds: [] } },
            { name: 'eve', parent: '', type: ['USER'], shares: nv(1), usage: 1 },
          ],
        },
      }),
    );
    expect(r.items.map((x) => [x.account, x.depth, x.grpTresMins, x.tresRunMins])).toEqual([
      ['root', 0, null, null],
      ['gpu', 1, 'gres/gpu=6000', null],
    ]);
    expect(r.errors.map((e) => e.path)).toEqual(['shares.shares[2].parent']);
  });
});
