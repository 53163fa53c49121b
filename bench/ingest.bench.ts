// Ingest target of issue 3: 1,000,000 generated `sacct -a -D -X -P` rows parsed AND stored (runs +
// usage_daily + snapshot) at >= 0.7x the row rate of the sqlite3 CLI's `.import --csv` of the same rows
// into a same-shaped table, streamed with peak RSS < 400 MB. Both run in this one bench, interleaved over
// several rounds (the machine is shared: the best round of each is compared, every round is printed).
//
// "Same rows, same-shaped table": the CSV is our own runs table dumped after our ingest, imported by the
// CLI into a table with the same columns, primary key (WITHOUT ROWID) and indexes, and the same pragmas
// (WAL, synchronous=NORMAL, 8 KiB pages). It is not STRICT, because `.import` writes NULL as '' and STRICT
// would refuse that in INTEGER columns. Our side parses text, converts, checks for an existing run, keeps
// usage_daily and checks foreign keys; the CLI only parses CSV and inserts.
//
//   npm run bench -- ingest                    (or: npx tsx bench/ingest.bench.ts [--rows N] [--rounds N] [--iso])
// --iso uses Slurm's default local ISO times (offline exports) instead of epoch seconds (what the live
// collector asks for with SLURM_TIME_FORMAT=%s).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS } from '../electron/core/store/migrations/index';
import { writeSacctFile } from './generate/write';

const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`;
const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '2' }, iso: { type: 'boolean', default: false } } });
const ROWS = Number(values.rows);
const ROUNDS = Math.max(1, Number(values.rounds));
const timeFormat = values.iso ? 'iso' : 'epoch';
const root = path.resolve(import.meta.dirname, '..');
const cache = path.join(root, '.cache', 'bench');
mkdirSync(cache, { recursive: true });

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

const cli = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
const haveCli = cli.status === 0;

// 1. The input, generated once per size and format (seeded: the same bytes every time).
const input = path.join(cache, `sacct-${ROWS}-24.11-${timeFormat}.txt`);
if (!existsSync(input)) {
  const t = performance.now();
  const { bytes } = writeSacctFile(input, { rows: ROWS, version: '24.11', jobsPerDay: 50_000, now: 1_764_000_000, timeFormat, seed: 42 });
  console.log(`generated ${ROWS} rows (${mb(bytes)}) in ${((performance.now() - t) / 1000).toFixed(1)} s -> ${path.relative(root, input)}`);
}
console.log(load());
console.log(`input: ${ROWS} sacct rows, ${mb(statSync(input).size)}, 26 fields (24.11 with Restarts), ${timeFormat} times`);

function child(script: string, args: string[]): Record<string, number | string> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'ingest', script), ...args], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, number | string>;
}

/** The runs table DDL and every index on it, from the migrations, minus STRICT (see header). */
function runsDdl(): string {
  const table = /CREATE TABLE runs \([\s\S]*?\) STRICT, WITHOUT ROWID;/.exec(MIGRATIONS.map((m) => m.sql).join('\n'))?.[0];
  const indexes = MIGRATIONS.flatMap((m) => m.sql.match(/CREATE INDEX \w+ ON runs [^;]*;/g) ?? []);
  if (!table || indexes.length === 0) throw new Error('cannot find the runs DDL in the migrations');
  return [table.replace(/REFERENCES clusters \(id\) ON DELETE CASCADE/, '').replace(') STRICT, WITHOUT ROWID;', ') WITHOUT ROWID;'), ...indexes].join('\n');
}

const ours: { rate: number; rss: number; seconds: number }[] = [];
const theirs: { rate: number; seconds: number }[] = [];
let csv: string | null = null;
const work = mkdtempSync(path.join(tmpdir(), 'clusterops-ingest-bench-'));
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const dir = path.join(work, `ours-${round}`);
    const r = child('ours.ts', [input, dir]);
    if (r.rows !== ROWS || r.errors !== 0) throw new Error(`stored ${r.rows} rows with ${r.errors} errors, expected ${ROWS} and 0`);
    ours.push({ rate: ROWS / (r.seconds as number), rss: r.maxRssMB as number, seconds: r.seconds as number });
    const busy = `threads busy: storing ${((r.storeBusy as number) * 100).toFixed(0)} %, parsing ${((r.parseBusy as number) * 100).toFixed(0)} %`;
    console.log(`round ${round} ours:  ${(r.seconds as number).toFixed(2)} s, ${(ROWS / (r.seconds as number)).toFixed(0)} rows/s, peak RSS ${(r.maxRssMB as number).toFixed(0)} MB, usage_daily ${r.usageRows} rows; ${busy}`);
    if (!haveCli) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (csv === null) {
      csv = path.join(work, 'runs.csv');
      const dump = spawnSync('sqlite3', ['-csv', r.path as string, `.output ${csv}`, 'SELECT * FROM runs'], { encoding: 'utf8' });
      if (dump.status !== 0) throw new Error(`dumping runs to CSV failed: ${dump.stderr}`);
    }
    rmSync(dir, { recursive: true, force: true });
    const cliDb = path.join(work, `cli-${round}.db`);
    const setup = spawnSync('sqlite3', [cliDb, `PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;\n${runsDdl()}`], { encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`creating the CLI table failed: ${setup.stderr}`);
    const t = performance.now();
    const imp = spawnSync('sqlite3', [cliDb, 'PRAGMA synchronous = NORMAL;', `.import --csv ${csv} runs`], { encoding: 'utf8' });
    const seconds = (performance.now() - t) / 1000;
    if (imp.status !== 0 || imp.stderr.trim() !== '') throw new Error(`sqlite3 .import failed: ${imp.stderr}`);
    const count = spawnSync('sqlite3', [cliDb, 'SELECT count(*) FROM runs'], { encoding: 'utf8' }).stdout.trim();
    if (Number(count) !== ROWS) throw new Error(`the CLI imported ${count} rows, expected ${ROWS}`);
    theirs.push({ rate: ROWS / seconds, seconds });
    console.log(`round ${round} CLI:   ${seconds.toFixed(2)} s, ${(ROWS / seconds).toFixed(0)} rows/s (sqlite3 ${cli.stdout.split(' ')[0]} .import --csv)`);
    rmSync(cliDb, { force: true });
    rmSync(`${cliDb}-wal`, { force: true });
    rmSync(`${cliDb}-shm`, { force: true });
  }
  const parse = child('parse-only.ts', [input]);
  console.log(`parse + row conversion alone, one thread, nothing stored: ${(ROWS / (parse.seconds as number)).toFixed(0)} rows/s`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(load());
const bestOurs = Math.max(...ours.map((o) => o.rate));
const peak = Math.max(...ours.map((o) => o.rss));
console.log(`peak RSS: ${peak.toFixed(0)} MB (target < 400 MB) ${peak < 400 ? 'ok' : 'OVER'}`);
if (!haveCli) {
  console.log('sqlite3 CLI not found (apt-get install sqlite3): the ratio to .import cannot be measured');
  process.exit(1);
}
const bestCli = Math.max(...theirs.map((t) => t.rate));
const ratio = bestOurs / bestCli;
const perRound = ours.map((o, i) => (o.rate / (theirs[i] as { rate: number }).rate).toFixed(2)).join(', ');
console.log(`ingest ratio ours/CLI (best of ${ROUNDS}): ${ratio.toFixed(2)}x (target >= 0.70) ${ratio >= 0.7 ? 'ok' : 'BELOW'}; per round: ${perRound}`);
process.exit(ratio >= 0.7 && peak < 400 ? 0 : 1);
