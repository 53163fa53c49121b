// One long-lived interactive `scontrol -a -d -o` per cluster connection, fed `show node`, `show partition`,
// `show reservation` and `show job` on its stdin.
//
// Why: a Slurm client spends most of a small answer starting up (reading slurm.conf, loading plugins:
// ~3.5 ms of the ~5 ms of `scontrol show partition` on the test bed, before the SSH channel's own cost),
// and an interactive scontrol also keeps the last answer and sends slurmctld its time, so an unchanged
// table comes back as "no change" instead of the whole table. A `show` in a warm session costs ~1 ms.
//
// Framing. scontrol answers each command in order and flushes after each one (readline builds also echo
// the command after a `scontrol: ` prompt; builds without readline print the prompt with no newline).
// After each request we send two commands that touch nothing:
//   show hostnames co<nonce>x<seq>   → prints the line `co<nonce>x<seq>` on stdout (hostlist expansion, no RPC)
//   co-mark-<nonce>-<seq>            → "invalid keyword: co-mark-…" on stderr
// so everything on stdout before the first line and on stderr before the second is that request's answer.
// The nonce is random per session, so no answer can contain a marker by accident.
//
// Lifecycle and failures (deadline, byte cap, cut channel, could not start → plain commands): see
// persistent-session.ts.
import { PersistentSession, type BlockFinder, type OpenSessionChannel, type SessionOptions, type SessionProtocol } from './persistent-session';

/** What the session runs with: every `show` the collectors need, timestamps as epoch seconds. */
export const SESSION_ARGV: readonly string[] = ['scontrol', '-a', '-d', '-o'];
export const SESSION_ENV: Readonly<Record<string, string>> = { SLURM_TIME_FORMAT: '%s' };
const ENTITIES = new Set(['node', 'partition', 'reservation', 'job']);

/**
 * The session's words for a one-shot command it answers identically, else null: `scontrol -a -o` (and
 * `-d`, required for `show node` and `show job`, whose details it adds) before
 * `show <node|partition|reservation|job>` with nothing after, and the same environment. (`-d` adds
 * nothing to partitions and reservations, checked on 22.05 and 24.11.)
 */
export function sessionWords(argv: readonly string[], env: Readonly<Record<string, string>>): string[] | null {
  if (argv[0] !== 'scontrol') return null;
  if (Object.keys(env).length !== 1 || env.SLURM_TIME_FORMAT !== SESSION_ENV.SLURM_TIME_FORMAT) return null;
  const flags = new Set<string>();
  let i = 1;
  for (; i < argv.length && argv[i]?.startsWith('-'); i++) flags.add(argv[i] as string);
  if (!flags.has('-a') || !flags.has('-o') || [...flags].some((f) => f !== '-a' && f !== '-o' && f !== '-d')) return null;
  const entity = argv[i + 1] as string;
  if (argv[i] !== 'show' || !ENTITIES.has(entity) || argv.length !== i + 2) return null;
  if ((entity === 'node' || entity === 'job') && !flags.has('-d')) return null;
  return ['show', entity];
}

const PROMPT = 'scontrol: ';

/** stdout: the block ends at a line that is the marker, possibly after prompts (no-readline builds). */
function findStdoutMarker(marker: string): BlockFinder {
  return (text, from) => {
    for (let at = text.indexOf(`${marker}\n`, from); at !== -1; at = text.indexOf(`${marker}\n`, at + 1)) {
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const before = text.slice(lineStart, at);
      if (before.split(PROMPT).every((p) => p === '')) return { block: text.slice(0, lineStart), rest: at + marker.length + 1 };
    }
    return null;
  };
}

/** stderr: the block ends at the line that names the mark ("invalid keyword: co-mark-…"). */
function findStderrMarker(mark: string): BlockFinder {
  return (text, from) => {
    const at = text.indexOf(mark, from);
    if (at === -1) return null;
    const end = text.indexOf('\n', at);
    if (end === -1) return null;
    return { block: text.slice(0, text.lastIndexOf('\n', at) + 1), rest: end + 1 };
  };
}

/** Drop prompts, echoed commands and our markers' echoes from a stdout block. */
function cleanStdout(block: string, sent: ReadonlySet<string>): string {
  const out: string[] = [];
  for (let line of block.split('\n')) {
    while (line.startsWith(PROMPT)) line = line.slice(PROMPT.length);
    if (line === '' || line === PROMPT.trimEnd() || sent.has(line) || /^show hostnames co[a-z0-9]+x\d+$/.test(line) || /^co-mark-[a-z0-9]+-\d+$/.test(line)) continue;
    out.push(line);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

const markers = (nonce: string, seq: number) => ({ marker: `co${nonce}x${seq}`, mark: `co-mark-${nonce}-${seq}` });

const framed = (line: string | null, nonce: string, seq: number) => {
  const { marker, mark } = markers(nonce, seq);
  return {
    send: `${line === null ? '' : `${line}\n`}show hostnames ${marker}\n${mark}\n`,
    stdout: findStdoutMarker(marker),
    stderr: findStderrMarker(mark),
  };
};

const SCONTROL: SessionProtocol<readonly string[]> = {
  argv: SESSION_ARGV,
  env: SESSION_ENV,
  startup: (nonce, seq) => framed(null, nonce, seq),
  frame: (words, nonce, seq) => framed(words.join(' '), nonce, seq),
  result: (words, stdout, stderr) => {
    const text = cleanStdout(stdout, new Set([words.join(' ')]));
    // scontrol reports a failed RPC on stderr (slurm_perror) and prints nothing for that command.
    return { code: stderr.trim() !== '' && text.trim() === '' ? 1 : 0, stdout: text, stderr };
  },
  describe: (words) => `scontrol ${words.join(' ')}`,
};

export class ScontrolSession {
  /** Jobs in the last queue read (the queue collector's hint for choosing its source). */
  lastQueueSize: number | null = null;
  private readonly session: PersistentSession<readonly string[]>;

  constructor(open: OpenSessionChannel, options: SessionOptions = {}) {
    this.session = new PersistentSession(SCONTROL, open, options);
  }

  /** Answer `words` (e.g. ['show', 'node']) as the one-shot command would. Requests run one at a time. */
  run(words: readonly string[], options: { timeoutMs?: number; maxBytes?: number } = {}) {
    for (const w of words) if (!/^[a-z_]+$/.test(w)) return Promise.reject(new RangeError(`refusing scontrol word ${JSON.stringify(w)}`));
    return this.session.run(words, options);
  }

  get isOpen(): boolean {
    return this.session.isOpen;
  }

  close(): void {
    this.session.close();
  }
}
