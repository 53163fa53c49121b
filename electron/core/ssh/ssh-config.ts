// Import hosts from OpenSSH client config (~/.ssh/config, /etc/ssh/ssh_config) as ClusterConfig
// candidates named after their Host alias: HostName (%h), Port, User, IdentityFile (~, ${ENV}, %d %u %h
// %r ...), IdentityAgent, ProxyJump (comma list, user@host:port, ssh:// URIs, `none`; each hop resolved
// through the config like `ssh -J` does) and UserKnownHostsFile / GlobalKnownHostsFile. A host that
// cannot be reached the way ssh would (ProxyCommand, bad port, ...) is skipped with the reason, never
// imported half-right. Nothing is executed and no key is decrypted.
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import ssh2 from 'ssh2';
import { CLUSTER_NAME, DEFAULT_POLL, type ClusterAuth, type ClusterConfig, type JumpHost } from '../../../shared/model/cluster';
import { ConfigFiles, listAliases, resolvedHostName, resolveHost, type ConfigSource, type LocalIdentity, type ResolvedHost } from './ssh-config-resolve';
import { expandFileOption, TokenError, type TokenContext } from './ssh-config-tokens';

export { SshConfigError } from './ssh-config-parse';
export type { ConfigSource, LocalIdentity } from './ssh-config-resolve';

export interface ImportOptions {
  /** Default: ~/.ssh/config then /etc/ssh/ssh_config, as ssh reads them. Give one file to act like `ssh -F`. */
  sources?: ConfigSource[];
  /** Only these aliases (they may also be names only a wildcard block matches). Default: every concrete alias. */
  hosts?: string[];
  identity?: Partial<LocalIdentity>;
}

export interface ImportedCluster {
  alias: string;
  cluster: ClusterConfig;
  /** Things ssh would do that the console does differently, for the user to read. */
  warnings: string[];
}

export interface SkippedHost {
  alias: string;
  reason: string;
}

export interface SshConfigImport {
  clusters: ImportedCluster[];
  skipped: SkippedHost[];
}

export function defaultSources(home: string): ConfigSource[] {
  return [
    { path: `${home}/.ssh/config`, kind: 'user' },
    { path: '/etc/ssh/ssh_config', kind: 'system' },
  ];
}

export function localIdentity(overrides: Partial<LocalIdentity> = {}): LocalIdentity {
  return {
    home: overrides.home ?? os.homedir(),
    localUser: overrides.localUser ?? os.userInfo().username,
    localHost: overrides.localHost ?? os.hostname(),
    uid: overrides.uid ?? process.getuid?.() ?? 0,
    env: overrides.env ?? process.env,
  };
}

/** A host (or ProxyJump value) we cannot import as ssh would reach it; the message says why. */
export class HostNotImportable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostNotImportable';
  }
}

export async function importSshConfig(options: ImportOptions = {}): Promise<SshConfigImport> {
  const ident = localIdentity(options.identity);
  const sources = options.sources ?? defaultSources(ident.home);
  const files = new ConfigFiles();
  const aliases = options.hosts ?? (await listAliases(sources, ident, files));
  const result: SshConfigImport = { clusters: [], skipped: [] };
  for (const alias of aliases) {
    if (!CLUSTER_NAME.test(alias)) {
      result.skipped.push({ alias, reason: `"${alias}" cannot be a cluster name (letters, digits, . _ - only, at most 64)` });
      continue;
    }
    try {
      result.clusters.push(await importHost(alias, sources, ident, files));
    } catch (err) {
      if (err instanceof HostNotImportable || err instanceof TokenError) result.skipped.push({ alias, reason: err.message });
      else throw err; // SshConfigError (a broken file) fails the whole import, naming file:line
    }
  }
  return result;
}

async function importHost(alias: string, sources: readonly ConfigSource[], ident: LocalIdentity, files: ConfigFiles): Promise<ImportedCluster> {
  const warnings: string[] = [];
  const r = await resolveHost(alias, sources, ident, files);
  warnings.push(...r.warnings);
  const host = resolvedHostName(r, ident);
  const port = portOf(r);
  const user = first(r, 'user') ?? ident.localUser;
  const proxyCommand = first(r, 'proxycommand');
  if (proxyCommand && proxyCommand.toLowerCase() !== 'none') {
    throw new HostNotImportable(`uses ProxyCommand (${r.origin.get('proxycommand')}), which the console cannot run; use ProxyJump instead`);
  }
  const proxyJump = first(r, 'proxyjump');
  const jump = proxyJump && proxyJump.toLowerCase() !== 'none' ? await resolveJumps(proxyJump, sources, ident, files, [alias], warnings) : [];
  const ctx = tokenContext(r, host, port, user, proxyJump ?? '', ident);

  const identityFile = await firstUsableIdentity(r, ctx, warnings);
  const auth = await authFor(r, identityFile, ctx, warnings);

  const knownHostsFiles: string[] = [];
  for (const key of ['userknownhostsfile', 'globalknownhostsfile']) {
    for (const f of r.options.get(key) ?? []) {
      if (f.toLowerCase() === 'none') continue;
      const expanded = expandFileOption(f, ctx);
      if (expanded === '/dev/null') {
        warnings.push(`${key} is /dev/null (${r.origin.get(key)}): the console still checks host keys (known_hosts + its pinned keys)`);
        continue;
      }
      if (!knownHostsFiles.includes(expanded)) knownHostsFiles.push(expanded);
    }
  }
  const strict = first(r, 'stricthostkeychecking')?.toLowerCase();
  if (strict === 'no' || strict === 'off') warnings.push('StrictHostKeyChecking no is ignored: the console asks about unknown host keys and refuses changed ones');
  if (r.options.has('hostkeyalias')) warnings.push(`HostKeyAlias (${r.origin.get('hostkeyalias')}) is not supported: host keys are looked up by host name`);

  const cluster: ClusterConfig = { name: alias, host, port, user, auth, jump, knownHostsFiles, poll: { ...DEFAULT_POLL }, enabled: true };
  return { alias, cluster, warnings };
}

function first(r: ResolvedHost, key: string): string | undefined {
  return r.options.get(key)?.[0];
}

function portOf(r: ResolvedHost): number {
  const raw = first(r, 'port');
  if (raw === undefined) return 22;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new HostNotImportable(`Port "${raw}" (${r.origin.get('port')}) is not a port number`);
  return port;
}

function tokenContext(r: ResolvedHost, host: string, port: number, remoteUser: string, proxyJump: string, ident: LocalIdentity): TokenContext {
  return { alias: r.alias, host, port, remoteUser, localUser: ident.localUser, home: ident.home, localHost: ident.localHost, uid: ident.uid, proxyJump, env: ident.env };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** ssh tries every IdentityFile that exists; the console's model has one key, so the first that exists. */
async function firstUsableIdentity(r: ResolvedHost, ctx: TokenContext, warnings: string[]): Promise<string | null> {
  const configured = (r.options.get('identityfile') ?? []).filter((f) => f.toLowerCase() !== 'none');
  const existing: string[] = [];
  for (const f of configured) {
    const expanded = expandFileOption(f, ctx);
    if (await isFile(expanded)) existing.push(expanded);
  }
  if (configured.length > 0 && existing.length === 0) {
    warnings.push(`none of the IdentityFile entries exist (${configured.join(', ')}); using ssh-agent instead`);
  }
  if (existing.length > 1) warnings.push(`several IdentityFile entries exist; the console uses the first, ${existing[0]}`);
  return existing[0] ?? null;
}

async function authFor(r: ResolvedHost, identityFile: string | null, ctx: TokenContext, warnings: string[]): Promise<ClusterAuth> {
  if (identityFile) return { kind: 'key', identityFile, hasPassphrase: await isEncrypted(identityFile, warnings) };
  const agent = first(r, 'identityagent');
  if (agent === undefined || agent === 'SSH_AUTH_SOCK') return { kind: 'agent' };
  if (agent.toLowerCase() === 'none') {
    warnings.push('IdentityAgent none and no IdentityFile: the console will use password authentication');
    return { kind: 'password' };
  }
  const socket = agent.startsWith('$') && !agent.startsWith('${') ? ctx.env[agent.slice(1)] : expandFileOption(agent, ctx);
  return socket ? { kind: 'agent', socket } : { kind: 'agent' };
}

/** Only whether the key is encrypted; it is never decrypted here. */
async function isEncrypted(file: string, warnings: string[]): Promise<boolean> {
  try {
    const parsed = ssh2.utils.parseKey(await readFile(file));
    if (parsed instanceof Error) {
      if (/no passphrase given/i.test(parsed.message)) return true;
      warnings.push(`${file} is not a private key the console can use: ${parsed.message}`);
    }
  } catch (err) {
    warnings.push(`cannot read ${file}: ${(err as Error).message}`);
  }
  return false;
}

export interface JumpSpec {
  user: string | null;
  host: string;
  port: number | null;
}

/** One ProxyJump element: `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(text: string): JumpSpec {
  let s = text.trim();
  if (s.toLowerCase().startsWith('ssh://')) s = s.slice(6).replace(/\/$/, '');
  let user: string | null = null;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
    if (!user) throw new HostNotImportable(`ProxyJump "${text}" has an empty user name`);
  }
  let host = s;
  let portText: string | null = null;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (v6) {
    host = v6[1] as string;
    portText = v6[2] ?? null;
  } else if (s.includes(':')) {
    const colon = s.lastIndexOf(':');
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
  }
  if (!host || /[\s/]/.test(host)) throw new HostNotImportable(`ProxyJump "${text}" has no valid host`);
  let port: number | null = null;
  if (portText !== null) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new HostNotImportable(`ProxyJump "${text}" has an invalid port`);
  }
  return { user, host, port };
}

/**
 * ProxyJump "a,b" → hops [a, b]. Like `ssh -J`: each hop name is looked up in the config (HostName, Port,
 * User, IdentityFile; an explicit user@ or :port wins), and the first hop's own ProxyJump is followed
 * (the later hops are reached through the earlier ones, so their own ProxyJump is not used).
 */
async function resolveJumps(value: string, sources: readonly ConfigSource[], ident: LocalIdentity, files: ConfigFiles, chain: string[], warnings: string[]): Promise<JumpHost[]> {
  const specs = value.split(',').map(parseJumpSpec);
  const hops: JumpHost[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as JumpSpec;
    if (chain.includes(spec.host)) throw new HostNotImportable(`ProxyJump loops back to ${spec.host} (${[...chain, spec.host].join(' -> ')})`);
    const r = await resolveHost(spec.host, sources, ident, files);
    const host = resolvedHostName(r, ident);
    const port = spec.port ?? portOf(r);
    const user = spec.user ?? first(r, 'user') ?? ident.localUser;
    const hopProxyCommand = first(r, 'proxycommand');
    const hopProxyJump = first(r, 'proxyjump');
    if (i === 0) {
      if (hopProxyCommand && hopProxyCommand.toLowerCase() !== 'none') throw new HostNotImportable(`jump host ${spec.host} uses ProxyCommand, which the console cannot run`);
      if (hopProxyJump && hopProxyJump.toLowerCase() !== 'none') {
        hops.push(...(await resolveJumps(hopProxyJump, sources, ident, files, [...chain, spec.host], warnings)));
      }
    }
    const ctx = tokenContext(r, host, port, user, hopProxyJump ?? '', ident);
    const hopWarnings: string[] = [];
    const identityFile = await firstUsableIdentity(r, ctx, hopWarnings);
    warnings.push(...hopWarnings.map((w) => `jump host ${spec.host}: ${w}`));
    hops.push({ host, port, user, identityFile });
  }
  return hops;
}
