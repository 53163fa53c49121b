// ProxyJump over the real test-bed sshds: reach beta THROUGH alpha's sshd (and through alpha twice, for a
// multi-hop chain); alpha's sshd must really carry the traffic, and every hop's host key is checked.
import { afterEach, describe, expect, it } from 'vitest';
import type { JumpHost } from '../../shared/model/cluster';
import type { ClusterConnection } from '../../electron/core/ssh/connection';
import type { SshError } from '../../electron/core/ssh/errors';
import type { HostKeyPrompt, HostKeyQuestion } from '../../electron/core/ports';
import { readCluster } from './testbed';
import { keyOf, KNOWN_HOSTS, knownHostsLineOf, sshdConnectionsTo, testbedCluster, testbedConnection, testbedVerifier } from './ssh-helpers';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const open: ClusterConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function alphaHop(): JumpHost {
  return { host: '127.0.0.1', port: readCluster('alpha').sshPort, user: 'opsuser', identityFile: keyOf('opsuser') };
}

describe('ProxyJump through alpha', () => {
  it('reaches beta through alpha’s sshd, which carries the connection', async () => {
    const betaPort = readCluster('beta').sshPort;
    const c = testbedConnection(testbedCluster('beta', 'opsuser', { jump: [alphaHop()] }));
    open.push(c);
    const res = await c.exec(['sinfo', '--version']);
    expect(res.stdout.trim()).toMatch(new RegExp(`^slurm(-wlm)? ${readCluster('beta').slurmVersion.replace(/\./g, '\\.')}$`));
    // The TCP connection to beta's sshd belongs to an sshd process (alpha's session), not to us.
    expect(sshdConnectionsTo(betaPort).length).toBeGreaterThanOrEqual(1);
    expect(c.hostKeyTrust()?.map((t) => t.via)).toEqual(['known-hosts', 'known-hosts']);
  });

  it('chains several hops (alpha → alpha → beta)', async () => {
    const c = testbedConnection(testbedCluster('beta', 'opsoper', { jump: [alphaHop(), { ...alphaHop(), user: 'opscoord', identityFile: keyOf('opscoord') }] }));
    open.push(c);
    expect((await c.exec(['id', '-un'])).stdout.trim()).toBe('opsoper');
    expect(c.hostKeyTrust()).toHaveLength(3);
  });

  it('checks the jump host key too: an unknown alpha key is put to the prompt as the jump host', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clusterops-jump-'));
    const onlyBeta = path.join(dir, 'known_hosts');
    writeFileSync(onlyBeta, `${knownHostsLineOf('beta')}\n`);
    const asked: HostKeyQuestion[] = [];
    const prompt: HostKeyPrompt = { ask: async (q) => (asked.push(q), 'reject') };
    const c = testbedConnection(testbedCluster('beta', 'opsuser', { jump: [alphaHop()], knownHostsFiles: [onlyBeta] }), { verifier: testbedVerifier([], prompt) });
    open.push(c);
    const err = (await c.connect().catch((e: unknown) => e)) as SshError;
    expect(err.reason).toBe('host-key-unknown-rejected');
    expect(asked).toEqual([expect.objectContaining({ role: { jump: 0 }, port: readCluster('alpha').sshPort, fingerprint: expect.stringMatching(/^SHA256:/) })]);
    expect(KNOWN_HOSTS).toBeTruthy();
  });

  it('a jump host that cannot reach the target says which hop and where', async () => {
    const closed = 1; // nothing listens on 127.0.0.1:1
    const cluster = { ...testbedCluster('beta', 'opsuser', { jump: [alphaHop()] }), port: closed };
    const c = testbedConnection(cluster);
    open.push(c);
    const err = (await c.connect().catch((e: unknown) => e)) as SshError;
    expect(err.reason).toBe('unreachable');
    expect(err.message).toContain(`jump host 1 (opsuser@127.0.0.1:${readCluster('alpha').sshPort}) could not connect to 127.0.0.1:1`);
  });
});
