// The clusterops CLI: find the command named by the leading words, parse its options strictly, run it,
// and turn every failure into a clear message and an exit code (never a stack trace for a known error).
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type Command, type ExitCode } from './command';
import { createContext, defaultDataDir, type CliIo } from './context';
import { commandHelp, programHelp } from './help';
import { COMMANDS } from './commands/index';

const GLOBAL = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The command whose path matches the most leading words of argv. */
function findCommand(commands: readonly Command[], words: string[]): Command | undefined {
  let best: Command | undefined;
  for (const cmd of commands) {
    if (cmd.path.every((w, i) => words[i] === w) && (!best || cmd.path.length > best.path.length)) best = cmd;
  }
  return best;
}

/**
 * The words that name the command: leading non-option tokens, skipping the global options (which may
 * come first, `clusterops --data-dir D sync`), up to the first command option.
 */
function leadingWords(argv: string[]): { words: string[]; indices: number[] } {
  const words: string[] = [];
  const indices: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--data-dir') {
      i++;
      continue;
    }
    if (a.startsWith('--data-dir=') || a === '--json' || a === '--help' || a === '-h') continue;
    if (a.startsWith('-')) break;
    words.push(a);
    indices.push(i);
  }
  return { words, indices };
}

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, commands: readonly Command[] = COMMANDS): Promise<ExitCode> {
  const { words: leading, indices } = leadingWords(argv);
  const cmd = findCommand(commands, leading);
  if (!cmd) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    if (wantsHelp) {
      io.stdout(programHelp(commands));
      return EXIT.ok;
    }
    io.stderr(`clusterops: unknown command ${JSON.stringify(leading.join(' '))}; run 'clusterops --help' for the list\n`);
    return EXIT.error;
  }
  // Remove the command's words and parse the rest.
  const drop = new Set(indices.slice(0, cmd.path.length));
  const rest = argv.filter((_, i) => !drop.has(i));
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL, ...cmd.options }, allowPositionals: true, strict: true });
  } catch (err) {
    io.stderr(`clusterops ${cmd.path.join(' ')}: ${(err as Error).message.replace(/\. To specify a positional.*$/s, '')}\nUsage: clusterops ${cmd.usage}\n`);
    return EXIT.error;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | boolean[] | undefined>;
  if (values.help) {
    io.stdout(commandHelp(cmd));
    return EXIT.ok;
  }
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir(env);
  const ctx = createContext({ dataDir, json: values.json === true, io, env });
  try {
    return await cmd.run(ctx, { values, positionals: parsed.positionals });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`clusterops ${cmd.path.join(' ')}: ${err.message}\nUsage: clusterops ${cmd.usage}\n`);
    } else {
      const e = err as Error;
      // Known errors carry a message meant for people; anything else shows where it came from.
      const known = e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string';
      io.stderr(`clusterops ${cmd.path.join(' ')}: ${e?.message ?? String(err)}\n${known || !e?.stack ? '' : `${e.stack}\n`}`);
    }
    return EXIT.error;
  } finally {
    ctx.close();
  }
}
