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
import type { AccountingRun, ExitCode } from '../../model/run';
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
  /**
   * For a consumer that only reads each run it gets and keeps none of its parts (the store's ingest
   * worker, a million runs at a time): node lists are checked as usual but not expanded (`nodes` is empty,
   * the list stays in `nodesExpr`), and `allocTres`, `reqTres` and `exitCode` are cached objects, frozen
   * and shared between runs, instead of fresh copies. Copying what repeats most cost the ingest worker more
   * than parsing it (measured: ~1 µs per run, and the garbage).
   */
  shared?: boolean;
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

/** Column positions, -1 when the file has no such column. */
interface Columns {
  count: number;
  names: string[];
  /** Per column, 1 when toRun reads it. */
  used: Uint8Array;
  freeText: number[];
  jobid: number;
  jobidraw: number;
  jobname: number;
  user: number;
  account: number;
  partition: number;
  qos: number;
  state: number;
  exitcode: number;
  submit: number;
  eligible: number;
  start: number;
  end: number;
  elapsedraw: number;
  elapsed: number;
  timelimit: number;
  timelimitraw: number;
  alloctres: number;
  reqtres: number;
  nodelist: number;
  restarts: number;
}

function readHeader(line: string, delimiter: string, lineNo: number): Columns {
  const names = line.split(delimiter).map((n) => n.trim());
  const at = new Map<string, number>();
  names.forEach((n, i) => {
    const key = n.toLowerCase();
    if (key !== '' && !at.has(key)) at.set(key, i);
  });
  const missing: string[] = REQUIRED.filter((r) => !at.has(r));
  if (!at.has('elapsedraw') && !at.has('elapsed')) missing.push('ElapsedRaw');
  if (missing.length > 0) throw new SlurmParseError('sacct', `header lacks ${missing.join(', ')}`, line, lineNo);
  const i = (name: string): number => at.get(name) ?? -1;
  const used = new Uint8Array(names.length);
  for (const name of KNOWN) if (at.has(name)) used[at.get(name) as number] = 1;
  return {
    count: names.length,
    names,
    used,
    freeText: names.map((n, k) => (FREE_TEXT.has(n.toLowerCase()) ? k : -1)).filter((k) => k >= 0),
    jobid: i('jobid'),
    jobidraw: i('jobidraw'),
    jobname: i('jobname'),
    user: i('user'),
    account: i('account'),
    partition: i('partition'),
    qos: i('qos'),
    state: i('state'),
    exitcode: i('exitcode'),
    submit: i('submit'),
    eligible: i('eligible'),
    start: i('start'),
    end: i('end'),
    elapsedraw: i('elapsedraw'),
    elapsed: i('elapsed'),
    timelimit: i('timelimit'),
    timelimitraw: i('timelimitraw'),
    alloctres: i('alloctres'),
    reqtres: i('reqtres'),
    nodelist: i('nodelist'),
    restarts: i('restarts'),
  };
}

// TRES strings, node lists, time limits and exit codes repeat across rows: parse each distinct text once.
// Cached values are frozen: only `shared` parsers hand them out, everyone else gets copies.
const CACHE_LIMIT = 20_000;
const tresCache = new Map<string, Readonly<Tres>>();
const nodeCache = new Map<string, readonly string[]>();
const limitCache = new Map<string, number | null>();
const exitCache = new Map<string, Readonly<ExitCode> | null>();
const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function copyRecord(r: Record<string, number>): Record<string, number> {
  for (const _ in r) return { ...r };
  return {};
}

function sharedTres(text: string): Tres {
  let t = tresCache.get(text);
  if (t === undefined) {
    const parsed = parseTres(text);
    Object.freeze(parsed.gpuByType);
    Object.freeze(parsed.other);
    t = remember(tresCache, text, Object.freeze(parsed));
  }
  return t as Tres;
}

/** A fresh copy each time: callers own (and may change) what they get. */
function cachedTres(text: string): Tres {
  const t = sharedTres(text);
  return { cpu: t.cpu, memMiB: t.memMiB, node: t.node, billing: t.billing, gpu: t.gpu, gpuByType: copyRecord(t.gpuByType), other: copyRecord(t.other) };
}

/** The names of a node list, checked (a malformed list throws) and copied only when `copy`. */
function cachedNodes(text: string, copy: boolean): string[] {
  const names = nodeCache.get(text) ?? remember(nodeCache, text, Object.freeze(expandNodeField(text)));
  return copy ? names.slice() : NO_NAMES;
}

function exitCode(text: string, shared: boolean): ExitCode | null {
  if (!shared) return parseExitCode(text);
  const hit = exitCache.get(text);
  if (hit !== undefined) return hit as ExitCode | null;
  const parsed = parseExitCode(text);
  return remember(exitCache, text, parsed === null ? null : Object.freeze(parsed)) as ExitCode | null;
}

function cachedLimit(text: string): number | null {
  const hit = limitCache.get(text);
  return hit !== undefined ? hit : remember(limitCache, text, timeLimitSeconds(parseDuration(text)));
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

function toRun(f: readonly string[], cols: Columns, zone: string, shared: boolean, line: string, lineNo: number): AccountingRun | 'step' {
  const jobId = f[cols.jobid] as string;
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
  let jobIdRaw: number;
  if (cols.jobidraw >= 0) {
    const rawText = f[cols.jobidraw] as string;
    // A step row's JobIDRaw is `123.batch`: the job's id is before the dot.
    const dot = rawText.indexOf('.');
    jobIdRaw = isDigits(rawText) ? Number(rawText) : parseInteger(dot === -1 ? rawText : rawText.slice(0, dot), 'sacct');
  } else if (isArray) {
    // An array task's own id is not in its JobID; without it two tasks of one array are the same run.
    throw new SlurmParseError('sacct', 'array task row without a JobIDRaw column cannot be identified', line, lineNo);
  } else jobIdRaw = baseId;
  const state = parseJobState(f[cols.state] as string);
  let elapsed: number;
  if (cols.elapsedraw >= 0) {
    const e = f[cols.elapsedraw] as string;
    elapsed = isDigits(e) ? Number(e) : parseInteger(e, 'sacct');
  } else {
    const d = parseDuration(f[cols.elapsed] as string);
    elapsed = typeof d === 'number' ? d : 0;
  }
  let timeLimit: number | null = null;
  if (cols.timelimit >= 0) timeLimit = cachedLimit(f[cols.timelimit] as string);
  else if (cols.timelimitraw >= 0 && isDigits(f[cols.timelimitraw] as string)) timeLimit = Number(f[cols.timelimitraw]) * 60;
  const nodeList = f[cols.nodelist] as string;
  const noNodes = NO_NODES.has(nodeList);
  const restarts = cols.restarts >= 0 ? (f[cols.restarts] as string) : '';
  // Read in this order (the first bad field is the one a row's error names).
  const exit = exitCode(f[cols.exitcode] as string, shared); // empty for Slurm's NO_VAL: unknown, not 0:0
  const submitTime = parseSlurmTime(f[cols.submit] as string, zone);
  const eligibleTime = cols.eligible >= 0 ? parseSlurmTime(f[cols.eligible] as string, zone) : null;
  const startTime = parseSlurmTime(f[cols.start] as string, zone);
  const endTime = parseSlurmTime(f[cols.end] as string, zone);
  const allocText = f[cols.alloctres] as string;
  const allocTres = shared ? sharedTres(allocText) : cachedTres(allocText);
  return {
    jobId,
    jobIdRaw,
    arrayJobId: isArray ? baseId : null,
    arrayTaskId,
    name: f[cols.jobname] as string,
    user: f[cols.user] as string,
    account: f[cols.account] as string,
    partition: f[cols.partition] as string,
    qos: f[cols.qos] as string,
    state: state.state,
    stateDetail: state.detail,
    exitCode: exit,
    submitTime,
    eligibleTime,
    startTime,
    endTime,
    elapsed,
    timeLimit,
    allocTres,
    // ReqTRES is often AllocTRES to the letter: a string compare spares hashing it for the cache.
    reqTres: cols.reqtres < 0 ? null : shared ? (f[cols.reqtres] === allocText ? allocTres : sharedTres(f[cols.reqtres] as string)) : cachedTres(f[cols.reqtres] as string),
    nodesExpr: noNodes ? null : nodeList,
    nodes: noNodes ? (shared ? NO_NAMES : []) : cachedNodes(nodeList, !shared),
    restarts: restarts === '' ? null : isDigits(restarts) ? Number(restarts) : parseDecimal(restarts, 'sacct'),
  };
}

/**
 * Incremental parser: feed text in chunks of any size (`write`), get each run through `onRun` as soon as
 * its line is complete, and the summary from `end()`. Lets a large import parse and store at once.
 */
export class SacctStreamParser {
  private readonly zone: string;
  private readonly delimiter: string;
  private readonly shared: boolean;
  /** Reused for every line's fields (toRun only reads them). */
  private readonly fields: string[] = [];
  private cols: Columns | null = null;
  private carry = '';
  private lineNo = 0;
  private readonly summary: SacctSummary = { columns: [], ignoredColumns: [], rows: 0, skippedSteps: 0, errors: [] };

  constructor(options: SacctOptions, private readonly onRun: (run: AccountingRun) => void) {
    this.zone = options.timeZone;
    this.delimiter = options.delimiter ?? '|';
    this.shared = options.shared ?? false;
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

  /** One whole line without its newline, as `write(line + '\n')` would take it, minus the copying (for a caller that cuts lines itself). */
  writeLine(line: string): void {
    if (this.carry !== '') this.write(`${line}\n`);
    else this.line(line);
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
    let fields = this.split(line, cols);
    try {
      if (fields.length !== cols.count) fields = this.repair(fields, cols, line);
      const run = toRun(fields, cols, this.zone, this.shared, line, this.lineNo);
      if (run === 'step') this.summary.skippedSteps++;
      else this.onRun(run);
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      this.summary.errors.push(err.line === null ? new SlurmParseError('sacct', `${err.parser}: ${err.reason}`, line, this.lineNo) : err);
    }
  }

  /**
   * `line.split(delimiter)` into the reused array (split itself took ~30 % longer, measured), with ''
   * for the columns toRun does not read (no string made for them); a row with another number of fields
   * than the header is split in full, for repair.
   */
  private split(line: string, cols: Columns): string[] {
    const out = this.fields;
    const used = cols.used;
    const d = this.delimiter;
    let n = 0;
    let from = 0;
    for (let at = line.indexOf(d); at !== -1; at = line.indexOf(d, from)) {
      out[n] = used[n] === 1 ? line.slice(from, at) : '';
      n++;
      from = at + d.length;
    }
    out[n] = used[n] === 1 ? line.slice(from) : '';
    n++;
    if (n !== cols.count) return line.split(d);
    out.length = n;
    return out;
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
