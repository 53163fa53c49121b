// Entry point of the `clusterops` command in a terminal or cron job.
import { createInterface } from 'node:readline';
import { runCli } from './main';
import type { CliIo } from './context';

function readLine(prompt: string, options?: { secret?: boolean }): Promise<string | null> {
  if (!process.stdin.isTTY) return Promise.resolve(null);
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (options?.secret) {
      // Echo nothing while a passphrase is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stderr.write(prompt);
      };
    }
    rl.question(prompt, (answer) => {
      rl.close();
      if (options?.secret) process.stderr.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      resolve(null);
    });
  });
}

const io: CliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  interactive: process.stderr.isTTY === true,
  readLine: process.stdin.isTTY ? readLine : null,
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`clusterops: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
