// `sacct -P` output (live, or a file a user exported with `sacct -a -D -P -o <fields>`) into
// `AccountingRun`s. The header line decides which column is which: fields may come in any order, unknown
// fields are ignored, optional fields that are missing give null. Job steps (`123.batch`, present when the
// export lacked `-X`) are not runs: they are counted and skipped.
//
// Only free-text columns can contain the delimiter. When a row has more fields than the header and
// exactly one free-text column is present (normally JobName), the surplus is given back to it; with
// several free-text columns the row is ambiguous and reported as an error.
//
// Built for volume (a million rows per import): one pass, no per-field regex where a cheaper test will
// do, and TRES strings and node lists (which repeat a lot) parsed once and cached.
import type { AccountingRun } from '../../model/run';
import type { Tres } from '../../model/tres';
import { parseDuration, timeLimitSeconds } from './duration';
import { SlurmParseError } from './errors';
import { parseExitCode } from './exitcode';
import { expandNodeField } from './hostlist';
import { parseJobId } from './job-id';
import { parseDecimal, parseInteger } from './numbers';
import type { ParseResult } from './result';
import { parseJobState } from './states';
import { parseSlurmTime } from './time';
import { parseTres } from './tres';

export interface SacctOptions {
  /** IANA zone of the cluster (times without `SLURM_TIME_FORMAT=%s` are its local times). */
  timeZone: string;
  /** `--delimiter` used, `|` by default. */
  delimiter?: string;
}

export interface SacctSummary {
  /** Header names as found, in order. */
  columns: string[];
  /** Header names this parser does not use. */
  ignoredColumns: string[];
  rows: number;
  skippedSteps: number;
  errors: SlurmParseError[];
}

export interface SacctResult extends ParseResult<AccountingRun> {
  summary: SacctSummary;
}

/** Columns a file must have (the offline-import contract); `Elapsed` may stand in for `ElapsedRaw`. */
const REQUIRED = ['jobid', 'jobname', 'user', 'account', 'partition', 'qos', 'state', 'exitcode', 'submit', 'start', 'end', 'alloctres', 'nodelist'] as const;
const KNOWN = new Set<string>([...REQUIRED, 'jobidraw', 'eligible', 'elapsedraw', 'elapsed', 'timelimit', 'timelimitraw', 'reqtres', 'restarts']);
const FREE_TEXT = new Set(['jobname', 'comment', 'submitline', 'workdir', 'constraints', 'admincomment', 'systemcomment', 'reason', 'extra', 'stdout', 'stderr', 'stdin']);

interface Columns {
  count: number;
  names: string[];
  at: Map<string, number>;
  freeText: number[];
}

function readHeader(line: string, delimiter: string, lineNo: number): Columns {
  const names = line.split(delimiter).map((n) => n.trim());
  const at = new Map<string, number>();
  names.forEach((n, i) => {
    const key = n.toLowerCase();
    if (key !== '' && !at.has(key)) at.set(key, i);
  });
  const missing = REQUIRED.filter((r) => !at.has(r));
  if (!at.has('elapsedraw') && !at.has('elapsed')) missing.push('elapsedraw' as never);
  if (missing.length > 0) throw new SlurmParseError('sacct', `header lacks ${missing.join(', ')}`, line, lineNo);
  const freeText = names.map((n, i) => (FREE_TEXT.has(n.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
  return { count: names.length, names, at, freeText };
}

const CACHE_LIMIT = 20_000;
const tresCache = new Map<string, Tres>();
const nodeCache = new Map<string, string[]>();

function cachedTres(text: string): Tres {
  let t = tresCache.get(text);
  if (t === undefined) {
    t = parseTres(text);
    if (tresCache.size >= CACHE_LIMIT) tresCache.clear();
    tresCache.set(text, t);
  }
  return { ...t, gpuByType: { ...t.gpuByType }, other: { ...t.other } };
}

function cachedNodes(text: string): string[] {
  let n = nodeCache.get(text);
  if (n === undefined) {
    n = expandNodeField(text);
    if (nodeCache.size >= CACHE_LIMIT) nodeCache.clear();
    nodeCache.set(text, n);
  }
  return n.slice();
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const NO_NODES = new Set(['', 'None assigned', '(null)', 'None']);

function toRun(fields: readonly string[], cols: Columns, zone: string, line: string, lineNo: number): AccountingRun | 'step' {
  const get = (name: string): string | undefined => {
    const i = cols.at.get(name);
    return i === undefined ? undefined : fields[i];
  };
  const req = (name: string): string => fields[cols.at.get(name) as number] as string;
  const jobId = req('jobid');
  let baseId: number;
  let arrayTaskId: number | null = null;
  let isArray = false;
  if (isDigits(jobId)) baseId = Number(jobId);
  else {
    const parsed = parseJobId(jobId);
    if (parsed.step !== null) return 'step';
    baseId = parsed.baseId;
    arrayTaskId = parsed.arrayTaskId;
    isArray = parsed.arrayTaskId !== null || parsed.arrayTaskRange !== null;
  }
  const rawText = get('jobidraw');
  let jobIdRaw: number;
  if (rawText !== undefined) {
    const dot = rawText.indexOf('.');
    jobIdRaw = parseInteger(dot === -1 ? rawText : rawText.slice(0, dot), 'sacct');
  } else if (isArray) {
    // An array task's own id is not in its JobID; without it two tasks of one array are the same run.
    throw new SlurmParseError('sacct', 'array task row without a JobIDRaw column cannot be identified', line, lineNo);
  } else jobIdRaw = baseId;
  const state = parseJobState(req('state'));
  // Empty for Slurm's NO_VAL: unknown, not 0:0.
  const exitCode = parseExitCode(req('exitcode'));
  const elapsedRaw = get('elapsedraw');
  let elapsed: number;
  if (elapsedRaw !== undefined) elapsed = parseInteger(elapsedRaw, 'sacct');
  else {
    const d = parseDuration(get('elapsed') as string);
    elapsed = typeof d === 'number' ? d : 0;
  }
  const limitText = get('timelimit');
  const limitRaw = get('timelimitraw');
  const timeLimit =
    limitText !== undefined ? timeLimitSeconds(parseDuration(limitText)) : limitRaw !== undefined && isDigits(limitRaw) ? Number(limitRaw) * 60 : null;
  const nodeList = req('nodelist');
  const reqTres = get('reqtres');
  const restarts = get('restarts');
  const alloc = req('alloctres');
  return {
    jobId,
    jobIdRaw,
    arrayJobId: isArray ? baseId : null,
    arrayTaskId,
    name: req('jobname'),
    user: req('user'),
    account: req('account'),
    partition: req('partition'),
    qos: req('qos'),
    state: state.state,
    stateDetail: state.detail,
    exitCode,
    submitTime: parseSlurmTime(req('submit'), zone),
    eligibleTime: get('eligible') === undefined ? null : parseSlurmTime(get('eligible') as string, zone),
    startTime: parseSlurmTime(req('start'), zone),
    endTime: parseSlurmTime(req('end'), zone),
    elapsed,
    timeLimit,
    allocTres: cachedTres(alloc),
    reqTres: reqTres === undefined ? null : cachedTres(reqTres),
    nodesExpr: NO_NODES.has(nodeList) ? null : nodeList,
    nodes: NO_NODES.has(nodeList) ? [] : cachedNodes(nodeList),
    restarts: restarts === undefined || restarts === '' ? null : parseDecimal(restarts, 'sacct'),
  };
}

/**
 * Incremental parser: feed text in chunks of any size (`write`), get each run through `onRun` as soon as
 * its line is complete, and the summary from `end()`. Lets a large import parse and store at once.
 */
export class SacctStreamParser {
  private readonly zone: string;
  private readonly delimiter: string;
  private cols: Columns | null = null;
  private carry = '';
  private lineNo = 0;
  private readonly summary: SacctSummary = { columns: [], ignoredColumns: [], rows: 0, skippedSteps: 0, errors: [] };

  constructor(options: SacctOptions, private readonly onRun: (run: AccountingRun) => void) {
    this.zone = options.timeZone;
    this.delimiter = options.delimiter ?? '|';
    if (this.delimiter === '' || this.delimiter.includes('\n')) throw new SlurmParseError('sacct', 'bad delimiter', this.delimiter);
  }

  write(chunk: string): void {
    const text = this.carry + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      this.line(text.slice(from, nl));
      from = nl + 1;
    }
    this.carry = text.slice(from);
  }

  end(): SacctSummary {
    if (this.carry !== '') this.line(this.carry);
    this.carry = '';
    if (this.cols === null) throw new SlurmParseError('sacct', 'no header line (was sacct run with -n / --noheader?)', '');
    return this.summary;
  }

  private line(raw: string): void {
    this.lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') return;
    if (this.cols === null) {
      this.cols = readHeader(line, this.delimiter, this.lineNo);
      this.summary.columns = this.cols.names;
      this.summary.ignoredColumns = this.cols.names.filter((n) => !KNOWN.has(n.toLowerCase()));
      return;
    }
    this.summary.rows++;
    const cols = this.cols;
    let fields = line.split(this.delimiter);
    try {
      if (fields.length !== cols.count) fields = this.repair(fields, cols, line);
      const run = toRun(fields, cols, this.zone, line, this.lineNo);
      if (run === 'step') this.summary.skippedSteps++;
      else this.onRun(run);
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      this.summary.errors.push(err.line === null ? new SlurmParseError('sacct', `${err.parser}: ${err.reason}`, line, this.lineNo) : err);
    }
  }

  /** Give the surplus fields of a row back to its one free-text column, or report the row. */
  private repair(fields: string[], cols: Columns, line: string): string[] {
    const surplus = fields.length - cols.count;
    if (surplus < 0) throw new SlurmParseError('sacct', `expected ${cols.count} fields, found ${fields.length} (truncated line?)`, line, this.lineNo);
    if (cols.freeText.length !== 1) throw new SlurmParseError('sacct', `expected ${cols.count} fields, found ${fields.length}`, line, this.lineNo);
    const at = cols.freeText[0] as number;
    return [...fields.slice(0, at), fields.slice(at, at + surplus + 1).join(this.delimiter), ...fields.slice(at + surplus + 1)];
  }
}

/** Parse a whole `sacct -P` output (header first). */
export function parseSacct(output: string, options: SacctOptions): SacctResult {
  const items: AccountingRun[] = [];
  const parser = new SacctStreamParser(options, (run) => items.push(run));
  parser.write(output);
  const summary = parser.end();
  return { items, errors: summary.errors, summary };
}

/** The field names `sacct --helpformat` lists (to learn, e.g., whether this version has `Restarts`). */
export function parseSacctHelpformat(output: string): string[] {
  return output.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z0-9]*$/.test(w));
}
