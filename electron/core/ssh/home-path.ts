// `~` and `~/x` as OpenSSH expands them in file options, against an explicit home directory (tests and
// imports never depend on the machine's own home).
import os from 'node:os';
import path from 'node:path';

export function expandHome(file: string, home: string = os.homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return file;
}
