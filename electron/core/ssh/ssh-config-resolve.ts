// What ssh would use for one host alias, following ssh_config(5): files in order (user, then system),
// `Host` patterns with `*`/`?` and `!negation`, `Match` with the criteria that need no side effects
// (all, host, originalhost, user, localuser, canonical), `Include` with globs (conditional inside a
// Host/Match block, relative to ~/.ssh or /etc/ssh, nested at most 16 deep), and the first obtained value
// of each option winning (IdentityFile and other list options accumulate). `Match exec` is never run:
// a block we cannot evaluate is skipped and reported, so importing a config never executes anything.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expandGlob } from './ssh-config-glob';
import { parseSshConfig, SshConfigError, type ConfigLine } from './ssh-config-parse';
import { expandTilde, expandTokens, TokenError } from './ssh-config-tokens';

export interface ConfigSource {
  path: string;
  /** Relative Include paths resolve to ~/.ssh for user files and /etc/ssh for system files. */
  kind: 'user' | 'system';
}

export interface LocalIdentity {
  home: string;
  localUser: string;
  localHost: string;
  uid: number;
  env: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedHost {
  alias: string;
  /** Lower-case keyword → arguments of the first occurrence (all occurrences, appended, for list options). */
  options: Map<string, string[]>;
  /** Lower-case keyword → "file:line" it came from (the first, for list options). */
  origin: Map<string, string>;
  warnings: string[];
}

/** Options every occurrence of which adds to a list instead of the first one winning. */
const CUMULATIVE = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv']);
const MAX_INCLUDE_DEPTH = 16;

/** Reads and parses config files once per import. Missing files read as empty (ssh skips them too). */
export class ConfigFiles {
  private readonly cache = new Map<string, Promise<ConfigLine[]>>();

  read(file: string): Promise<ConfigLine[]> {
    let p = this.cache.get(file);
    if (!p) {
      p = readFile(file, 'utf8').then(
        (text) => parseSshConfig(text, file),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
          throw new SshConfigError(`cannot read: ${err.message}`, file, null);
        },
      );
      this.cache.set(file, p);
    }
    return p;
  }
}

/** An Include argument → absolute glob pattern. */
export function includePattern(arg: string, source: ConfigSource, ident: LocalIdentity): string {
  const expanded = source.kind === 'user' ? expandTilde(arg, ident.home) : arg;
  if (path.isAbsolute(expanded)) return expanded;
  return path.join(source.kind === 'user' ? path.join(ident.home, '.ssh') : '/etc/ssh', expanded);
}

/** ssh's match_pattern(): `*` and `?` only, whole string. */
export function matchPattern(value: string, pattern: string, ignoreCase = false): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(value);
}

/**
 * ssh's match_pattern_list(): comma list, `!pattern` vetoes; true only for a positive, unvetoed match.
 * `Match host` / `originalhost` compare without case, `Match user` / `localuser` with case (as ssh -G shows).
 */
export function matchPatternList(value: string, list: string, ignoreCase = false): boolean {
  let matched = false;
  for (const item of list.split(',')) {
    const negated = item.startsWith('!');
    if (matchPattern(value, negated ? item.slice(1) : item, ignoreCase)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** A `Host` line: any positive pattern matches and no negated one does. Case matters here (ssh 9.2). */
export function hostLineMatches(patterns: readonly string[], alias: string): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (matchPattern(alias, negated ? p.slice(1) : p)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export async function resolveHost(alias: string, sources: readonly ConfigSource[], ident: LocalIdentity, files = new ConfigFiles()): Promise<ResolvedHost> {
  const state: ResolvedHost = { alias, options: new Map(), origin: new Map(), warnings: [] };
  const warn = (w: string) => {
    if (!state.warnings.includes(w)) state.warnings.push(w);
  };

  const evalMatch = (line: ConfigLine): boolean => {
    const where = `${line.file}:${line.line}`;
    if (line.args.length === 0) throw new SshConfigError('Match needs criteria', line.file, line.line);
    let result = true;
    for (let i = 0; i < line.args.length; i++) {
      let criterion = (line.args[i] as string).toLowerCase();
      const negate = criterion.startsWith('!');
      if (negate) criterion = criterion.slice(1);
      let ok: boolean;
      if (criterion === 'all') ok = true;
      else if (criterion === 'canonical') ok = false; // we never canonicalize host names
      else if (criterion === 'final') {
        warn(`${where}: "Match final" is not evaluated; that block is ignored`);
        return false;
      } else {
        const arg = line.args[++i];
        if (arg === undefined) throw new SshConfigError(`Match ${criterion} needs an argument`, line.file, line.line);
        switch (criterion) {
          case 'host': {
            const hn = state.options.get('hostname')?.[0];
            ok = matchPatternList(hn ? hn.replace(/%h/g, alias).replace(/%%/g, '%') : alias, arg, true);
            break;
          }
          case 'originalhost':
            ok = matchPatternList(alias, arg, true);
            break;
          case 'user':
            ok = matchPatternList(state.options.get('user')?.[0] ?? ident.localUser, arg);
            break;
          case 'localuser':
            ok = matchPatternList(ident.localUser, arg);
            break;
          default:
            // exec (would run a command), localnetwork, tagged, sessiontype, command, version: not evaluated.
            warn(`${where}: "Match ${criterion}" is not evaluated; that block is ignored`);
            return false;
        }
      }
      if (negate) ok = !ok;
      result &&= ok;
    }
    return result;
  };

  const apply = (line: ConfigLine) => {
    const k = line.keyword;
    if (line.args.length === 0) throw new SshConfigError(`${k} needs a value`, line.file, line.line);
    const origin = `${line.file}:${line.line}`;
    if (CUMULATIVE.has(k)) {
      state.options.set(k, [...(state.options.get(k) ?? []), ...line.args]);
      if (!state.origin.has(k)) state.origin.set(k, origin);
      return;
    }
    if (state.options.has(k)) return;
    // ProxyJump and ProxyCommand compete: whichever comes first wins, except that ssh (9.2, checked with
    // ssh -G) lets a ProxyCommand after "ProxyJump none" still apply.
    if (k === 'proxyjump' && state.options.has('proxycommand')) return;
    if (k === 'proxycommand' && (state.options.get('proxyjump')?.[0] ?? 'none').toLowerCase() !== 'none') return;
    state.options.set(k, line.args);
    state.origin.set(k, origin);
  };

  const processFile = async (file: string, source: ConfigSource, depth: number): Promise<void> => {
    if (depth > MAX_INCLUDE_DEPTH) throw new SshConfigError(`Include nested more than ${MAX_INCLUDE_DEPTH} deep`, file, null);
    let active = true;
    for (const line of await files.read(file)) {
      switch (line.keyword) {
        case 'host':
          if (line.args.length === 0) throw new SshConfigError('Host needs at least one pattern', line.file, line.line);
          active = hostLineMatches(line.args, alias);
          break;
        case 'match':
          active = evalMatch(line);
          break;
        case 'include':
          if (!active) break;
          if (line.args.length === 0) throw new SshConfigError('Include needs a file name', line.file, line.line);
          for (const arg of line.args) {
            let pattern: string;
            try {
              pattern = includePattern(arg, source, ident);
            } catch (err) {
              if (err instanceof TokenError) throw new SshConfigError(err.message, line.file, line.line);
              throw err;
            }
            for (const included of await expandGlob(pattern)) await processFile(included, source, depth + 1);
          }
          break;
        default:
          if (active) apply(line);
      }
    }
  };

  for (const source of sources) await processFile(source.path, source, 0);
  return state;
}

/** Every concrete alias (no wildcard, not negated) named on a Host line, in file order, Includes followed. */
export async function listAliases(sources: readonly ConfigSource[], ident: LocalIdentity, files = new ConfigFiles()): Promise<string[]> {
  const seen = new Set<string>();
  const aliases: string[] = [];
  const visit = async (file: string, source: ConfigSource, depth: number) => {
    if (depth > MAX_INCLUDE_DEPTH) throw new SshConfigError(`Include nested more than ${MAX_INCLUDE_DEPTH} deep`, file, null);
    for (const line of await files.read(file)) {
      if (line.keyword === 'host') {
        for (const p of line.args) {
          if (p.startsWith('!') || /[*?]/.test(p) || seen.has(p)) continue;
          seen.add(p);
          aliases.push(p);
        }
      } else if (line.keyword === 'include') {
        for (const arg of line.args) {
          for (const included of await expandGlob(includePattern(arg, source, ident))) await visit(included, source, depth + 1);
        }
      }
    }
  };
  for (const source of sources) await visit(source.path, source, 0);
  return aliases;
}

/** HostName with its %h / %% tokens expanded (the only tokens ssh allows there), lower-cased as ssh does. */
export function resolvedHostName(resolved: ResolvedHost, ident: LocalIdentity): string {
  const raw = resolved.options.get('hostname')?.[0];
  if (!raw) return resolved.alias.toLowerCase();
  return expandTokens(raw, ['%', 'h'], {
    alias: resolved.alias,
    host: resolved.alias,
    port: 22,
    remoteUser: '',
    localUser: ident.localUser,
    home: ident.home,
    localHost: ident.localHost,
    uid: ident.uid,
    proxyJump: '',
    env: ident.env,
  }).toLowerCase();
}
