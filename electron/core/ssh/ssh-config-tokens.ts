// The expansions ssh_config(5) applies to file names and host names: `~/`, `${ENV}` and %-tokens
// (TOKENS section). Each option allows its own set of tokens; an unknown token or an unset variable is an
// error, as it is for ssh.
import { createHash } from 'node:crypto';

export interface TokenContext {
  /** %n: the alias as written (original host). */
  alias: string;
  /** %h: the remote host name after HostName. */
  host: string;
  /** %p */
  port: number;
  /** %r: the remote user. */
  remoteUser: string;
  /** %u: the local user. */
  localUser: string;
  /** %d: the local home directory. */
  home: string;
  /** %l: the local host name (with domain); %L: up to the first dot. */
  localHost: string;
  /** %i: the local numeric user id. */
  uid: number;
  /** %j: the ProxyJump value, or "" */
  proxyJump: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Tokens IdentityFile, CertificateFile, UserKnownHostsFile, IdentityAgent and ControlPath accept. */
export const FILE_TOKENS = ['%', 'C', 'd', 'h', 'i', 'j', 'k', 'L', 'l', 'n', 'p', 'r', 'u'];

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

function tokenValue(t: string, ctx: TokenContext): string {
  switch (t) {
    case '%':
      return '%';
    case 'C':
      // ssh's connection hash: SHA1 over %l %h %p %r %j, concatenated.
      return createHash('sha1').update(`${ctx.localHost}${ctx.host}${ctx.port}${ctx.remoteUser}${ctx.proxyJump}`).digest('hex');
    case 'd':
      return ctx.home;
    case 'h':
    case 'k': // HostKeyAlias is not supported, so %k is the host name
      return ctx.host;
    case 'i':
      return String(ctx.uid);
    case 'j':
      return ctx.proxyJump;
    case 'L':
      return ctx.localHost.split('.')[0] as string;
    case 'l':
      return ctx.localHost;
    case 'n':
      return ctx.alias;
    case 'p':
      return String(ctx.port);
    case 'r':
      return ctx.remoteUser;
    case 'u':
      return ctx.localUser;
    default:
      throw new TokenError(`unknown token %${t}`);
  }
}

/**
 * Expand %-tokens (only those in `allowed`, each a letter or '%' for %%) and, with `env`, ${NAME} from the
 * environment, in one left-to-right pass as ssh's percent_dollar_expand does (an expanded value is never
 * expanded again).
 */
export function expandTokens(value: string, allowed: readonly string[], ctx: TokenContext, env = false): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (env && c === '$' && value[i + 1] === '{') {
      const end = value.indexOf('}', i + 2);
      if (end < 0) throw new TokenError(`unterminated \${ in "${value}"`);
      const name = value.slice(i + 2, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TokenError(`invalid environment variable reference \${${name}}`);
      const v = ctx.env[name];
      if (v === undefined) throw new TokenError(`environment variable ${name} is not set (used in "${value}")`);
      out += v;
      i = end;
      continue;
    }
    if (c !== '%') {
      out += c;
      continue;
    }
    const t = value[i + 1];
    if (t === undefined) throw new TokenError(`"${value}" ends with a lone %`);
    if (!allowed.includes(t)) throw new TokenError(`%${t} is not allowed in "${value}"`);
    out += tokenValue(t, ctx);
    i++;
  }
  return out;
}

/** `~` / `~/x` against ctx.home; `~user/` is refused (we do not read other users' password entries). */
export function expandTilde(value: string, home: string): string {
  if (value === '~') return home;
  if (value.startsWith('~/')) return `${home.replace(/\/$/, '')}/${value.slice(2)}`;
  if (value.startsWith('~')) throw new TokenError(`"${value}": ~user paths are not supported`);
  return value;
}

/** A file option as ssh expands it: ~ first, then ${ENV} and %-tokens. */
export function expandFileOption(value: string, ctx: TokenContext): string {
  return expandTokens(expandTilde(value, ctx.home), FILE_TOKENS, ctx, true);
}
