// --help text for the program and for each command, generated from the command definitions.
import type { Command } from './command';

export const GLOBAL_OPTIONS: [string, string][] = [
  ['--data-dir DIR', 'where the cache lives (default: $CLUSTEROPS_DATA_DIR, else the per-user data folder)'],
  ['--json', 'machine-readable output on stdout'],
  ['-h, --help', 'help for the program or a command'],
];

function optionLines(cmd: Command): [string, string][] {
  return Object.entries(cmd.options).map(([name, spec]) => {
    const [valueName, text] = spec.help.includes(': ') ? (spec.help.split(/: (.*)/s) as [string, string]) : ['', spec.help];
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${valueName || 'VALUE'}` : ''}`;
    return [flag + (spec.multiple ? ' ...' : ''), text];
  });
}

function table(rows: [string, string][]): string {
  const width = Math.min(32, Math.max(...rows.map(([a]) => a.length)));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n');
}

export function commandHelp(cmd: Command): string {
  const parts = [`Usage: clusterops ${cmd.usage}`, '', cmd.summary];
  if (cmd.details) parts.push('', cmd.details);
  const opts = optionLines(cmd);
  if (opts.length) parts.push('', 'Options:', table(opts));
  parts.push('', 'Global options:', table(GLOBAL_OPTIONS), '');
  return parts.join('\n');
}

export function programHelp(commands: readonly Command[]): string {
  const rows: [string, string][] = commands.map((c) => [c.path.join(' '), c.summary]);
  return [
    'Usage: clusterops [--data-dir DIR] [--json] COMMAND [options]',
    '',
    'ClusterOps Console on the command line: sync Slurm clusters into the local cache and read it.',
    'Every command that reads works offline from the cache.',
    '',
    'Commands:',
    table(rows),
    '',
    'Global options:',
    table(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 ok, 2 partial failure (some clusters or items failed), 1 error.',
    "Run 'clusterops COMMAND --help' for a command's options.",
    '',
  ].join('\n');
}
