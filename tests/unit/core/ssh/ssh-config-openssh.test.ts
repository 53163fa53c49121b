// Differential check: the resolver must agree with OpenSSH itself (`ssh -G`, which prints the options ssh
// would use for a host without connecting) on a config that uses the tricky parts of ssh_config(5).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIdentity } from '../../../../electron/core/ssh/ssh-config';
import { resolvedHostName, resolveHost, type ConfigSource } from '../../../../electron/core/ssh/ssh-config-resolve';
import { expandTokens, FILE_TOKENS } from '../../../../electron/core/ssh/ssh-config-tokens';
import { TempDir } from './ssh-fixture';

const hasSsh = spawnSync('ssh', ['-V']).status === 0;

function sshG(config: string, alias: string): Map<string, string> {
  const res = spawnSync('ssh', ['-G', '-F', config, alias], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`ssh -G failed: ${res.stderr}`);
  return new Map(res.stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
}

describe.skipIf(!hasSsh)('ssh config resolution agrees with `ssh -G`', () => {
  let dir: TempDir;
  let source: ConfigSource;
  const me = os.userInfo().username;
  const aliases = ['alpha', 'beta', 'gamma', 'gpu7.hpc', 'GPU8.hpc', 'bad.hpc', 'login.c', 'Login.C', 'jumpy', 'cmd', 'Upper', 'upper', 'Mixed', 'mixed'];

  beforeAll(() => {
    dir = new TempDir();
    dir.write('inc-10.conf', 'Host gamma\n  HostName gamma-from-include.example.org\n  Port 2010\n');
    dir.write('inc-20.conf', 'Host gamma\n  Port 2020\n  User from-inc-20\n');
    dir.write('only-beta.conf', 'User only-for-beta\n');
    const config = dir.write(
      'config',
      `
Include ${dir.path}/inc-*.conf
Host beta
  Include ${dir.path}/only-beta.conf
Host alpha
  HostName=alpha.example.org
  Port = 2200
Match host alpha.example.org !originalhost beta
  User matched-by-hostname
Match originalhost gpu*.hpc localuser ${me}
  Port 2300
Host *.hpc !bad.hpc
  User hpc
  ProxyJump hopper@bastion:2222,inner
Host *.c
  HostName %h.example.org
Host jumpy
  ProxyJump none
  ProxyCommand never-used
Host cmd
  ProxyCommand "ssh -W %h:%p bastion"
  ProxyJump never-used
Host upper
  Port 2400
Host Mixed
  HostName MiXeD.Example.ORG
Match host mixed.example.org
  Port 2404
Host *
  Port 2999
  User fallback
  UserKnownHostsFile ${dir.path}/kh-%h-%p-%r-%n ${dir.path}/kh-second
  ControlPath ${dir.path}/cp-%C
`,
    );
    source = { path: config, kind: 'user' };
  });
  afterAll(() => dir?.remove());

  it.each(aliases)('%s', async (alias) => {
    const expected = sshG(source.path, alias);
    const ident = localIdentity({ home: os.homedir() });
    const r = await resolveHost(alias, [source], ident);
    const hostname = resolvedHostName(r, ident);
    expect(hostname, 'hostname').toBe(expected.get('hostname'));
    expect(String(Number(r.options.get('port')?.[0] ?? 22)), 'port').toBe(expected.get('port'));
    const user = r.options.get('user')?.[0] ?? me;
    expect(user, 'user').toBe(expected.get('user'));
    const ctx = { alias, host: hostname, port: Number(expected.get('port')), remoteUser: user, localUser: me, home: os.homedir(), localHost: os.hostname(), uid: process.getuid?.() ?? 0, proxyJump: r.options.get('proxyjump')?.[0] ?? '', env: process.env };
    const khf = (r.options.get('userknownhostsfile') ?? []).map((f) => expandTokens(f, FILE_TOKENS, ctx, true)).join(' ');
    expect(khf, 'userknownhostsfile').toBe(expected.get('userknownhostsfile'));
    const jump = r.options.get('proxyjump')?.[0];
    expect(jump?.toLowerCase() === 'none' ? undefined : jump, 'proxyjump').toBe(expected.get('proxyjump'));
    // ssh keeps ProxyCommand as the raw rest of the line; the import only needs to know it is there.
    expect(r.options.has('proxycommand') && r.options.get('proxycommand')?.[0] !== 'none', 'proxycommand').toBe(expected.has('proxycommand'));
    // %C (the connection hash) as ssh computes it; ssh -G expands ControlPath but leaves it unset with a proxy.
    if (!r.options.has('proxyjump') && !r.options.has('proxycommand')) {
      expect(expandTokens(r.options.get('controlpath')?.[0] ?? '', FILE_TOKENS, ctx), 'controlpath').toBe(expected.get('controlpath'));
    }
  });
});
