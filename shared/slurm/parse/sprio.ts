// `sprio -h -o <format>` into `PriorityRow`s. The format is built here from `sprioColumns` (the command
// builder uses the same list), `|`-separated, TRES last. The account column (`%o`) is only asked of
// versions known to have it; 22.05's sprio rejects it.
import type { PriorityRow } from '../../model/priority';
import { SlurmParseError } from './errors';
import { parseDecimal, parseInteger } from './numbers';
import { outputLines, type ParseResult } from './result';

type Column = 'jobIdRaw' | 'user' | 'account' | 'partition' | 'priority' | 'age' | 'fairshare' | 'jobSize' | 'partitionFactor' | 'qos' | 'site' | 'tres';

const LETTER: Record<Column, string> = {
  jobIdRaw: '%i',
  user: '%u',
  account: '%o',
  partition: '%r',
  priority: '%Y',
  age: '%A',
  fairshare: '%F',
  jobSize: '%J',
  partitionFactor: '%P',
  qos: '%Q',
  site: '%S',
  tres: '%T',
};

/** Columns in output order for a cluster; `withAccount` only where sprio supports `%o`. */
export function sprioColumns(withAccount: boolean): Column[] {
  return ['jobIdRaw', 'user', ...(withAccount ? (['account'] as const) : []), 'partition', 'priority', 'age', 'fairshare', 'jobSize', 'partitionFactor', 'qos', 'site', 'tres'];
}

export function sprioFormat(columns: readonly Column[]): string {
  return columns.map((c) => LETTER[c]).join('|');
}

export function parseSprio(output: string, columns: readonly Column[]): ParseResult<PriorityRow> {
  const items: PriorityRow[] = [];
  const errors: SlurmParseError[] = [];
  outputLines(output).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const f = line.split('|');
      if (f.length < columns.length) throw new SlurmParseError('sprio', `expected ${columns.length} fields, found ${f.length}`, line, i + 1);
      const v = (c: Column): string => {
        const at = columns.indexOf(c);
        if (at === -1) return '';
        // TRES is last and may (in theory) contain the delimiter: it takes the rest.
        return c === 'tres' ? f.slice(at).join('|') : (f[at] as string).trim();
      };
      const n = (c: Column): number => parseDecimal(v(c), 'sprio');
      const tres = v('tres').trim();
      items.push({
        jobIdRaw: parseInteger(v('jobIdRaw'), 'sprio'),
        user: v('user'),
        account: columns.includes('account') ? v('account') : null,
        partition: v('partition'),
        priority: n('priority'),
        age: n('age'),
        fairshare: n('fairshare'),
        jobSize: n('jobSize'),
        partitionFactor: n('partitionFactor'),
        qos: n('qos'),
        site: n('site'),
        tres: tres === '' ? null : tres,
      });
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      errors.push(err.line === null ? new SlurmParseError('sprio', `${err.parser}: ${err.reason}`, line, i + 1) : err);
    }
  });
  return { items, errors };
}
