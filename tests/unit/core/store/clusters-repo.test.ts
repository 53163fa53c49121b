import { describe, expect, it } from 'vitest';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { StoreError } from '../../../../electron/core/store/errors';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { clusterConfig, run, storeWith } from './builders';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

describe('ClustersRepo', () => {
  it('adds, updates, lists and removes clusters by name', () => {
    const store = storeWith(tempDir(), []);
    const repo = new ClustersRepo(store.db);
    const id = repo.save(clusterConfig('alpha'), 100);
    expect(repo.save({ ...clusterConfig('alpha'), port: 2222 }, 200)).toBe(id);
    repo.save(clusterConfig('beta'), 300);
    expect(repo.list().map((c) => [c.name, c.config.port, c.createdAt, c.updatedAt])).toEqual([
      ['alpha', 2222, 100, 200],
      ['beta', 22, 300, 300],
    ]);
    expect(repo.remove('beta')).toBe(true);
    expect(repo.remove('beta')).toBe(false);
    expect(() => repo.idOf('beta')).toThrow(/no cluster named "beta" \(known: alpha\)/);
    store.close();
  });

  it('refuses unsafe names and any secret in the config', () => {
    const store = storeWith(tempDir(), []);
    const repo = new ClustersRepo(store.db);
    expect(() => repo.save(clusterConfig('-rf'), 1)).toThrow(StoreError);
    expect(() => repo.save(clusterConfig('a b'), 1)).toThrow(/not allowed/);
    const withSecret = { ...clusterConfig('alpha'), auth: { kind: 'password', password: 'hunter2' } } as never;
    expect(() => repo.save(withSecret, 1)).toThrow(/secret.*config\.auth\.password/);
    const jumpSecret = { ...clusterConfig('alpha'), jump: [{ host: 'j', port: 22, user: 'u', identityFile: null, passphrase: 'x' }] } as never;
    expect(() => repo.save(jumpSecret, 1)).toThrow(/config\.jump\[0\]\.passphrase/);
    // `hasPassphrase: true` says a passphrase exists (in the SecretStore); it is not one.
    expect(() => repo.save({ ...clusterConfig('alpha'), auth: { kind: 'key', identityFile: '~/.ssh/id_ed25519', hasPassphrase: true } }, 1)).not.toThrow();
    store.close();
  });

  it('stores capabilities and the time zone, and removing a cluster removes its data', () => {
    const store = storeWith(tempDir(), [{ name: 'alpha', timeZone: 'Europe/Berlin' }]);
    const repo = new ClustersRepo(store.db);
    const id = repo.idOf('alpha');
    expect(repo.timeZone(id)).toBe('Europe/Berlin');
    expect(repo.capabilities(id)?.slurmVersion).toBe('24.11.5');
    new SnapshotWriter(store).write({ cluster: 'alpha', startedAt: 1, finishedAt: 2, accounting: { runs: [run(1)], since: null, until: 2 } });
    repo.remove('alpha');
    for (const table of ['snapshots', 'runs', 'usage_daily', 'capabilities']) {
      expect(store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    store.close();
  });
});
