import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL, type ClusterConfig } from '../../../../shared/model/cluster';
import { HostVerifier } from '../../../../electron/core/ssh/host-verifier';
import { InMemoryPinnedHostKeys } from '../../../../electron/core/ssh/pinned-host-keys';
import { ConnectionPool } from '../../../../electron/core/ssh/pool';
import type { ConnectionStatus } from '../../../../electron/core/ssh/connection';

const cluster = (name: string, port = 22): ClusterConfig => ({
  name,
  host: 'login.example.org',
  port,
  user: 'ops',
  auth: { kind: 'agent' },
  jump: [],
  knownHostsFiles: [],
  poll: { ...DEFAULT_POLL },
  enabled: true,
});

const pool = () => new ConnectionPool({ verifier: new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [] }) });

describe('ConnectionPool', () => {
  it('hands out one connection per cluster name', () => {
    const p = pool();
    const a = p.get(cluster('a'));
    expect(p.get(cluster('a'))).toBe(a);
    expect(p.get(cluster('b'))).not.toBe(a);
    expect(p.find('a')).toBe(a);
    expect(p.statuses().map((s) => [s.cluster, s.state])).toEqual([
      ['a', 'idle'],
      ['b', 'idle'],
    ]);
  });

  it('replaces (and closes) the connection when the cluster configuration changes', async () => {
    const p = pool();
    const seen: ConnectionStatus[] = [];
    p.onState((s) => seen.push(s));
    const old = p.get(cluster('a', 22));
    const fresh = p.get(cluster('a', 2222));
    expect(fresh).not.toBe(old);
    await new Promise((r) => setTimeout(r, 0));
    expect(old.status().state).toBe('closed');
    expect(seen).toEqual([expect.objectContaining({ cluster: 'a', state: 'closed', reason: 'closed-by-user' })]);
    expect(p.statuses()).toHaveLength(1);
  });

  it('closes everything', async () => {
    const p = pool();
    const conns = [p.get(cluster('a')), p.get(cluster('b'))];
    await p.closeAll();
    expect(conns.map((c) => c.status().state)).toEqual(['closed', 'closed']);
    expect(p.statuses()).toEqual([]);
    await p.remove('nope');
  });
});
