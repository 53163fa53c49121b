// `sshare -a -l -P` into `FairshareRow`s. sshare shows the association tree by indenting the Account
// column with one leading space per level; the parent of an account row is the nearest account row one
// level up, and a user row's parent is its account. Columns are found by the header (23.11+ adds some).
// `inf` (LevelFS of an association without usage) is Infinity.
import type { FairshareRow } from '../../model/fairshare';
import { SlurmParseError } from './errors';
import { parseDecimal } from './numbers';
import { outputLines, type ParseResult } from './result';

const REQUIRED = ['Account', 'User', 'RawShares', 'NormShares', 'RawUsage'] as const;

function num(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (value === 'inf') return Number.POSITIVE_INFINITY;
  if (value === 'parent') return null; // RawShares of an association that shares its parent's
  return parseDecimal(value, 'sshare');
}

export function parseSshare(output: string): ParseResult<FairshareRow> {
  const lines = outputLines(output);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt === -1) throw new SlurmParseError('sshare', 'empty output', output);
  const header = (lines[headerAt] as string).split('|');
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  const missing = REQUIRED.filter((r) => !col.has(r));
  if (missing.length > 0) throw new SlurmParseError('sshare', `header lacks ${missing.join(', ')} (was sshare run with -n?)`, lines[headerAt] as string, headerAt + 1);
  const items: FairshareRow[] = [];
  const errors: SlurmParseError[] = [];
  // Account rows seen so far, by depth: the current path from root.
  const path: string[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    try {
      const f = line.split('|');
      if (f.length < header.length) throw new SlurmParseError('sshare', `expected ${header.length} fields, found ${f.length}`, line, i + 1);
      const v = (name: string): string | undefined => {
        const at = col.get(name);
        return at === undefined ? undefined : f[at];
      };
      const accountCell = v('Account') as string;
      const account = accountCell.trimStart();
      const depth = accountCell.length - account.length;
      if (account === '' || /\s/.test(account)) throw new SlurmParseError('sshare', 'bad account cell', line, i + 1);
      const user = v('User') as string;
      const isUser = user !== '';
      if (depth > path.length) throw new SlurmParseError('sshare', `indentation jumps to depth ${depth}`, line, i + 1);
      let parent: string | null;
      if (isUser) parent = account;
      else {
        path.length = depth;
        parent = depth === 0 ? null : (path[depth - 1] ?? null);
        path.push(account);
      }
      const rawUsage = num(v('RawUsage'));
      const grp = v('GrpTRESMins');
      const run = v('TRESRunMins');
      items.push({
        account,
        user: isUser ? user : null,
        depth,
        parent,
        rawShares: num(v('RawShares')),
        normShares: num(v('NormShares')),
        rawUsage: rawUsage ?? 0,
        effectiveUsage: num(v('EffectvUsage')),
        fairShare: num(v('FairShare')),
        levelFs: num(v('LevelFS')),
        grpTresMins: grp === undefined || grp === '' ? null : grp,
        tresRunMins: run === undefined || run === '' ? null : run,
      });
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      errors.push(err.line === null ? new SlurmParseError('sshare', `${err.parser}: ${err.reason}`, line, i + 1) : err);
    }
  }
  return { items, errors };
}
