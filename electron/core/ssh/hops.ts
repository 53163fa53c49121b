// The machines a cluster's connection passes through, in order: its ProxyJump hops, then its login host.
// A jump host with an IdentityFile authenticates with that key, otherwise with ssh-agent, as `ssh -J` does.
import type { ClusterAuth, ClusterConfig } from '../../../shared/model/cluster';
import { SshError, type SshHop } from './errors';
import type { HopSpec } from './transport';

export function hopsOf(cluster: ClusterConfig): HopSpec[] {
  const jumps = cluster.jump.map((j, i): HopSpec => {
    const auth: ClusterAuth = j.identityFile ? { kind: 'key', identityFile: j.identityFile, hasPassphrase: false } : { kind: 'agent' };
    return { hop: { host: j.host, port: j.port, user: j.user, role: { jump: i } }, auth };
  });
  const specs = [...jumps, { hop: { host: cluster.host, port: cluster.port, user: cluster.user, role: 'target' as const }, auth: cluster.auth }];
  for (const { hop } of specs) validateHop(cluster.name, hop);
  return specs;
}

function validateHop(cluster: string, hop: SshHop): void {
  const what = hop.role === 'target' ? `cluster ${cluster}` : `jump host ${hop.role.jump + 1} of cluster ${cluster}`;
  if (!hop.host || /\s/.test(hop.host)) throw new SshError('invalid-config', `${what} has no valid host name (${JSON.stringify(hop.host)})`, hop);
  if (!Number.isInteger(hop.port) || hop.port < 1 || hop.port > 65535) throw new SshError('invalid-config', `${what} has an invalid port ${hop.port}`, hop);
  if (!hop.user || /[\s@:]/.test(hop.user)) throw new SshError('invalid-config', `${what} has no valid user name (${JSON.stringify(hop.user)})`, hop);
}
