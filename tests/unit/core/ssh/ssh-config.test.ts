// Importing hosts from OpenSSH client config files written the way people write them: wildcard and
// negated Host patterns, Match blocks, Include with globs, first-obtained-value-wins, %-tokens, ProxyJump
// chains. Each test builds a throwaway home directory, so nothing depends on this machine's ~/.ssh.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostNotImportable, importSshConfig, parseJumpSpec, type ConfigSource, type LocalIdentity } from '../../../../electron/core/ssh/ssh-config';
import { parseSshConfig, splitArgs, SshConfigError } from '../../../../electron/core/ssh/ssh-config-parse';
import { makeKey } from './ssh-test-server';
import { TempDir } from './ssh-fixture';

let dir: TempDir;
let home: string;
let ident: Partial<LocalIdentity>;
let source: ConfigSource;

function write(rel: string, text: string): string {
  const file = path.join(home, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function config(text: string): void {
  write('.ssh/config', text);
}

async function run(hosts?: string[]) {
  return importSshConfig({ sources: [source], hosts, identity: ident });
}

async function one(alias: string) {
  const result = await run([alias]);
  const found = result.clusters.find((c) => c.alias === alias);
  if (!found) throw new Error(`not imported: ${JSON.stringify(result.skipped)}`);
  return found;
}

beforeEach(() => {
  dir = new TempDir();
  home = path.join(dir.path, 'home');
  ident = { home, localUser: 'me', localHost: 'laptop.example.net', uid: 1000, env: { KEYS: `${home}/keys` } };
  source = { path: path.join(home, '.ssh/config'), kind: 'user' };
});

afterEach(() => dir.remove());

describe('ssh config lines', () => {
  it('reads Keyword value, Keyword=value, quotes, escapes and trailing comments', () => {
    const lines = parseSshConfig('Host a b # two\n  HostName=x.example.org\nIdentityFile "/p/with space/id"\nUser = bob\n\n# c\nSendEnv \'LANG\' LC_\\ X\n', 'f');
    expect(lines.map((l) => [l.keyword, l.args, l.line])).toEqual([
      ['host', ['a', 'b'], 1],
      ['hostname', ['x.example.org'], 2],
      ['identityfile', ['/p/with space/id'], 3],
      ['user', ['bob'], 4],
      ['sendenv', ['LANG', 'LC_ X'], 7],
    ]);
  });

  it('names file and line of a broken line', () => {
    expect(() => parseSshConfig('Host a\n  IdentityFile "/unterminated\n', '/x/config')).toThrow(SshConfigError);
    expect(() => parseSshConfig('Host a\n  IdentityFile "/unterminated\n', '/x/config')).toThrow('/x/config:2: unterminated quote');
    expect(() => parseSshConfig('=oops\n', 'f')).toThrow('f:1:');
    expect(splitArgs('', 'f', 1)).toEqual([]);
  });
});

describe('importSshConfig', () => {
  it('turns a Host block into a cluster named after the alias', async () => {
    write('.ssh/id_ed25519', makeKey().private);
    config(`
Host alpha
  HostName login.alpha.example.org
  Port 2222
  User ops
  IdentityFile ~/.ssh/id_ed25519
  UserKnownHostsFile ~/.ssh/known_hosts.d/%h
`);
    const { clusters, skipped } = await run();
    expect(skipped).toEqual([]);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.cluster).toEqual({
      name: 'alpha',
      host: 'login.alpha.example.org',
      port: 2222,
      user: 'ops',
      auth: { kind: 'key', identityFile: `${home}/.ssh/id_ed25519`, hasPassphrase: false },
      jump: [],
      knownHostsFiles: [`${home}/.ssh/known_hosts.d/login.alpha.example.org`],
      poll: { queue: 60, accounting: 300, fairshare: 900 },
      enabled: true,
    });
  });

  it('keeps the first value obtained: a Host * default before a block wins over it, one after does not', async () => {
    config(`
Host *
  User default-first
Host alpha
  User ignored
  Port 2200
Host beta
  User beta-user
Host *
  Port 2300
  User never
`);
    const { clusters } = await run();
    expect(clusters.map((c) => [c.alias, c.cluster.user, c.cluster.port])).toEqual([
      ['alpha', 'default-first', 2200],
      ['beta', 'default-first', 2300],
    ]);
  });

  it('lists only concrete aliases, and honours wildcards and negation for hosts asked for by name', async () => {
    config(`
Host *.hpc !bad.hpc
  User hpcuser
Host gpu?.hpc
  Port 2022
Host login
`);
    const listed = await run();
    expect(listed.clusters.map((c) => c.alias)).toEqual(['login']);
    const named = await run(['gpu1.hpc', 'bad.hpc', 'gpu12.hpc']);
    expect(named.clusters.map((c) => [c.alias, c.cluster.user, c.cluster.port])).toEqual([
      ['gpu1.hpc', 'hpcuser', 2022],
      ['bad.hpc', 'me', 22],
      ['gpu12.hpc', 'hpcuser', 22],
    ]);
  });

  it('expands %h in HostName to the alias', async () => {
    config('Host *.c\n  HostName %h.example.org\n');
    expect((await one('login.c')).cluster.host).toBe('login.c.example.org');
  });

  it('expands ~, ${ENV} and %d %u %r %h %p %n %l %L %i %% %C in IdentityFile, picking the first that exists', async () => {
    const key = makeKey().private;
    write('keys/ops@gpu.example.org-22-c1-laptop-laptop.example.net-1000-me-%', key);
    write('.ssh/second', key);
    config(`
Host c1
  HostName gpu.example.org
  User ops
  IdentityFile ~/.ssh/missing
  IdentityFile \${KEYS}/%r@%h-%p-%n-%L-%l-%i-%u-%%
  IdentityFile %d/.ssh/second
  IdentityFile ~/.ssh/hash-%C
`);
    const imported = await one('c1');
    expect(imported.cluster.auth).toEqual({ kind: 'key', identityFile: `${home}/keys/ops@gpu.example.org-22-c1-laptop-laptop.example.net-1000-me-%`, hasPassphrase: false });
    expect(imported.warnings.join('\n')).toContain('several IdentityFile entries exist');
  });

  it('falls back to ssh-agent when no IdentityFile exists, and says so', async () => {
    config('Host c\n  IdentityFile ~/.ssh/nope\n');
    const imported = await one('c');
    expect(imported.cluster.auth).toEqual({ kind: 'agent' });
    expect(imported.warnings.join()).toContain('none of the IdentityFile entries exist');
    config('Host c\n  IdentityAgent ~/agent.sock\n');
    expect((await one('c')).cluster.auth).toEqual({ kind: 'agent', socket: `${home}/agent.sock` });
  });

  it('marks an encrypted key as needing a passphrase without decrypting it', async () => {
    write('.ssh/enc', makeKey('pw').private);
    config('Host c\n  IdentityFile ~/.ssh/enc\n');
    expect((await one('c')).cluster.auth).toMatchObject({ kind: 'key', hasPassphrase: true });
  });

  it('follows Include globs relative to ~/.ssh in sorted order, conditionally inside a Host block', async () => {
    write('.ssh/conf.d/20-beta.conf', 'Host beta\n  HostName beta.example.org\n  User from-20\n');
    write('.ssh/conf.d/10-alpha.conf', 'Host alpha\n  HostName alpha.example.org\nHost beta\n  User from-10\n');
    write('.ssh/conf.d/ignored.txt', 'Host never\n');
    write('.ssh/only-for-gamma', 'Port 2444\n');
    config(`
Include conf.d/*.conf
Host gamma
  Include only-for-gamma
Host delta
  HostName delta.example.org
`);
    const { clusters } = await run();
    expect(clusters.map((c) => [c.alias, c.cluster.host, c.cluster.user, c.cluster.port])).toEqual([
      ['alpha', 'alpha.example.org', 'me', 22],
      ['beta', 'beta.example.org', 'from-10', 22],
      ['gamma', 'gamma', 'me', 2444],
      ['delta', 'delta.example.org', 'me', 22],
    ]);
  });

  it('refuses an Include loop with the file named', async () => {
    config('Include config\n');
    await expect(run(['x'])).rejects.toThrow(/Include nested more than 16 deep/);
  });

  it('evaluates Match host/originalhost/user/localuser/all and negation; never runs Match exec', async () => {
    const marker = path.join(dir.path, 'exec-ran');
    config(`
Host alpha
  HostName alpha.example.org
Match exec "touch ${marker}"
  User from-exec
Match host alpha.example.org !originalhost beta
  Port 2001
Match originalhost beta localuser me
  User beta-user
Match user beta-user
  Port 2002
Match all
  Port 2999
`);
    const { clusters } = await run(['alpha', 'beta']);
    expect(clusters.map((c) => [c.alias, c.cluster.user, c.cluster.port])).toEqual([
      ['alpha', 'me', 2001],
      ['beta', 'beta-user', 2002],
    ]);
    expect(existsSync(marker)).toBe(false);
    expect(clusters[0]?.warnings.join()).toMatch(/Match exec" is not evaluated/);
  });

  it('resolves ProxyJump hops through the config, explicit user@ and :port winning', async () => {
    write('.ssh/bastion_key', makeKey().private);
    config(`
Host cluster
  HostName login.internal
  ProxyJump bastion,hopper@inner:2200
Host bastion
  HostName bastion.example.org
  User jumper
  Port 2022
  IdentityFile ~/.ssh/bastion_key
Host inner
  HostName inner.internal
  User ignored-because-explicit
  Port 9999
`);
    const c = await one('cluster');
    expect(c.cluster.jump).toEqual([
      { host: 'bastion.example.org', port: 2022, user: 'jumper', identityFile: `${home}/.ssh/bastion_key` },
      { host: 'inner.internal', port: 2200, user: 'hopper', identityFile: null },
    ]);
  });

  it("follows the first hop's own ProxyJump, detects loops, and honours ProxyJump none", async () => {
    config(`
Host cluster
  ProxyJump mid
Host mid
  ProxyJump edge
Host edge
  HostName edge.example.org
Host loop1
  ProxyJump loop2
Host loop2
  ProxyJump loop1
Host direct
  ProxyJump none
Host * !edge
  ProxyJump edge
`);
    const { clusters, skipped } = await run(['cluster', 'loop1', 'direct']);
    expect(clusters.find((c) => c.alias === 'cluster')?.cluster.jump.map((j) => j.host)).toEqual(['edge.example.org', 'mid']);
    expect(clusters.find((c) => c.alias === 'direct')?.cluster.jump).toEqual([]);
    expect(skipped).toEqual([{ alias: 'loop1', reason: expect.stringContaining('loops back') }]);
  });

  it('skips ProxyCommand hosts with the reason, unless a ProxyJump came first', async () => {
    config(`
Host legacy
  ProxyCommand ssh -W %h:%p bastion
Host modern
  ProxyJump bastion
  ProxyCommand ignored
`);
    const { clusters, skipped } = await run();
    expect(skipped).toEqual([{ alias: 'legacy', reason: expect.stringContaining('ProxyCommand') }]);
    expect(clusters.map((c) => c.alias)).toEqual(['modern']);
  });

  it('reads ProxyJump elements in every form ssh accepts', () => {
    expect(parseJumpSpec('host')).toEqual({ user: null, host: 'host', port: null });
    expect(parseJumpSpec('u@host:2200')).toEqual({ user: 'u', host: 'host', port: 2200 });
    expect(parseJumpSpec('ssh://u@host:2200')).toEqual({ user: 'u', host: 'host', port: 2200 });
    expect(parseJumpSpec('u@[2001:db8::1]:2222')).toEqual({ user: 'u', host: '2001:db8::1', port: 2222 });
    expect(parseJumpSpec('first.last@corp@host')).toEqual({ user: 'first.last@corp', host: 'host', port: null });
    expect(() => parseJumpSpec('host:99999')).toThrow(HostNotImportable);
    expect(() => parseJumpSpec('host:99999')).toThrow(/invalid port/);
    expect(() => parseJumpSpec('@host')).toThrow(/empty user/);
  });

  it('imports several known_hosts files, drops none and /dev/null (saying host keys are still checked)', async () => {
    config('Host c\n  UserKnownHostsFile ~/.ssh/kh1 /etc/ssh/kh-%n\n  GlobalKnownHostsFile none\nHost d\n  UserKnownHostsFile /dev/null\n  StrictHostKeyChecking no\n');
    const { clusters } = await run();
    expect(clusters[0]?.cluster.knownHostsFiles).toEqual([`${home}/.ssh/kh1`, '/etc/ssh/kh-c']);
    expect(clusters[1]?.cluster.knownHostsFiles).toEqual([]);
    expect(clusters[1]?.warnings.join('\n')).toMatch(/still checks host keys[\s\S]*StrictHostKeyChecking no is ignored/);
  });

  it('skips hosts it cannot represent, with the reason; a broken file fails with file:line', async () => {
    config('Host ok\nHost badport\n  Port ssh\nHost tok\n  IdentityFile ~/%z\nHost name:with:colons\n');
    const { clusters, skipped } = await run();
    expect(clusters.map((c) => c.alias)).toEqual(['ok']);
    expect(skipped).toEqual([
      { alias: 'badport', reason: expect.stringContaining('Port "ssh"') },
      { alias: 'tok', reason: expect.stringContaining('%z') },
      { alias: 'name:with:colons', reason: expect.stringContaining('cannot be a cluster name') },
    ]);
    config('Host a\n  User "x\n');
    await expect(run()).rejects.toThrow(`${home}/.ssh/config:2: unterminated quote`);
  });

  it('reads the system config after the user config, with relative Includes under /etc/ssh semantics', async () => {
    const system = write('etc/ssh_config', 'Host *\n  User system-user\n  Port 2345\n');
    config('Host alpha\n  Port 2000\n');
    const result = await importSshConfig({ sources: [source, { path: system, kind: 'system' }], identity: ident });
    expect(result.clusters.map((c) => [c.cluster.user, c.cluster.port])).toEqual([['system-user', 2000]]);
  });

  it('treats a missing config file as empty', async () => {
    expect(await run()).toEqual({ clusters: [], skipped: [] });
  });
});
