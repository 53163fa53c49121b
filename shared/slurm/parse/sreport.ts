// `sreport -P cluster AccountUtilizationByUser [-T tres,...] [-t unit]`: Slurm's own hourly-rolled-up usage
// per account (rows without a Login: the account's whole subtree) and per user in an account. sreport has
// no --json in any version up to 25.11, so this parses the `-P` text:
//
//   --------------------------------------------------------------------------------
//   Cluster/Account/User Utilization 2026-11-24T13:00:00 - 2026-11-26T12:59:59 (172800 secs)
//   Usage reported in TRES Hours
//   --------------------------------------------------------------------------------
//   Cluster|Account|Login|Proper Name|TRES Name|Used
//   alpha|root|||gres/gpu|8
//
// Without -T the report is CPU only and has `Used|Energy` instead of `TRES Name|Used`; `-t hourper` prints
// `12(74.12%)`; `-n` drops the banner and header, so the unit must then be given by the caller.
import { SlurmParseError } from './errors';
import { parseDecimal } from './numbers';
import { outputLines, type ParseResult } from './result';

export type SreportUnit = 'seconds' | 'minutes' | 'hours';

export interface SreportUsageRow {
  cluster: string;
  account: string;
  /** Null for an account row (the account and everything below it). */
  user: string | null;
  tres: string;
  /** Usage in `unit`-TRES (e.g. GPU-hours), as sreport rounded it. */
  used: number;
  /** With -t hourper / minper / secper: share of the cluster's total, else null. */
  percent: number | null;
}

export interface SreportReport extends ParseResult<SreportUsageRow> {
  unit: SreportUnit | null;
  /** The window as the banner printed it (cluster-local wall time; the end is inclusive), when present. */
  period: { start: string; end: string; seconds: number } | null;
}

const UNIT_WORDS: Record<string, SreportUnit> = { seconds: 'seconds', minutes: 'minutes', hours: 'hours' };

export function parseSreportAccountUtilization(output: string, options: { unit?: SreportUnit } = {}): SreportReport {
  const lines = outputLines(output);
  let unit: SreportUnit | null = options.unit ?? null;
  let period: SreportReport['period'] = null;
  let columns: string[] | null = null;
  const items: SreportUsageRow[] = [];
  const errors: SlurmParseError[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '' || /^-+$/.test(line)) continue;
    const banner = /Utilization (\S+) - (\S+) \((\d+) secs\)/.exec(line);
    if (banner && !line.includes('|')) {
      period = { start: banner[1] as string, end: banner[2] as string, seconds: Number(banner[3]) };
      continue;
    }
    const reported = /^Usage reported in (?:TRES|CPU) (\w+)/.exec(line);
    if (reported) {
      const word = (reported[1] as string).toLowerCase();
      const u = UNIT_WORDS[word];
      if (!u) throw new SlurmParseError('sreport', `unsupported unit ${JSON.stringify(reported[1])} (use -t hours, minutes or seconds)`, line, i + 1);
      unit = u;
      continue;
    }
    if (/^Usage reported in Percentage/.test(line)) {
      throw new SlurmParseError('sreport', 'usage in percent only has no amounts (use -t hours, minutes or seconds)', line, i + 1);
    }
    const f = line.split('|');
    if (f[0] === 'Cluster') {
      columns = f;
      continue;
    }
    if (columns === null) {
      // -n: no header. Without -T the fifth field is the CPU usage (a number), else the TRES name.
      columns = f.length >= 6 && /^[\d.]+(\(|$)/.test(f[4] as string) ? ['Cluster', 'Account', 'Login', 'Proper Name', 'Used', 'Energy'] : ['Cluster', 'Account', 'Login', 'Proper Name', 'TRES Name', 'Used'];
    }
    try {
      items.push(parseRow(f, columns, line, i + 1));
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      errors.push(err);
    }
  }
  if (unit === null && (items.length > 0 || errors.length > 0)) {
    throw new SlurmParseError('sreport', 'the output does not say its unit (run without -n, or pass the unit of -t)', output);
  }
  return { items, errors, unit, period };
}

function parseRow(f: string[], columns: string[], line: string, lineNo: number): SreportUsageRow {
  if (f.length !== columns.length) throw new SlurmParseError('sreport', `expected ${columns.length} fields, found ${f.length}`, line, lineNo);
  const at = (name: string): string | undefined => {
    const i = columns.indexOf(name);
    return i === -1 ? undefined : f[i];
  };
  const cluster = at('Cluster') ?? '';
  const account = at('Account') ?? '';
  if (cluster === '' || account === '') throw new SlurmParseError('sreport', 'row without cluster or account', line, lineNo);
  const usedText = at('Used');
  if (usedText === undefined) throw new SlurmParseError('sreport', 'no Used column', line, lineNo);
  const m = /^([^(]+)(?:\(([\d.]+)%\))?$/.exec(usedText);
  if (!m || !/^[\d.]+$/.test(m[1] as string)) throw new SlurmParseError('sreport', 'Used is not a number', line, lineNo);
  const login = at('Login') ?? '';
  return {
    cluster,
    account,
    user: login === '' ? null : login,
    tres: at('TRES Name') ?? 'cpu',
    used: parseDecimal(m[1] as string, 'sreport'),
    percent: m[2] === undefined ? null : parseDecimal(m[2], 'sreport'),
  };
}
