// The one function that turns an argv array into a command line for a remote POSIX shell (sshd runs the
// command through the user's login shell). Every value is single-quoted unless it is made only of
// characters no shell treats specially, so no user input is ever interpreted by the remote shell.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('argument contains a NUL byte');
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Join argv into one shell command line; argv[0] is the program and must be a plain name or path.
 * `posix`: the line is run by a POSIX sh we started ourselves (not the user's login shell), so the
 * environment goes in as `NAME=value` assignments, without the extra `env` process.
 */
export function shellCommand(argv: readonly string[], env: Readonly<Record<string, string>> = {}, options: { posix?: boolean } = {}): string {
  if (argv.length === 0) throw new Error('empty command');
  const program = argv[0] as string;
  if (!/^[A-Za-z0-9_./-]+$/.test(program)) throw new Error(`refusing unsafe program name ${JSON.stringify(program)}`);
  const assignments = Object.entries(env).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid environment variable name ${name}`);
    return `${name}=${quoteArg(value)}`;
  });
  // `env NAME=value prog` rather than `NAME=value prog`: the latter is not understood by csh-family login
  // shells, which some clusters still give their users.
  const prefix = assignments.length > 0 ? (options.posix ? assignments : ['env', ...assignments]) : [];
  return [...prefix, ...argv.map(quoteArg)].join(' ');
}
