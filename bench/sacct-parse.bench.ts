// How fast the `sacct -P` text parser turns rows into AccountingRun objects (target: >= 250k rows/s on a
// 2-core machine). Rows are generated here, shaped like the collector's request (sacctFields of 24.11:
// 19 columns, JobName last) with realistic variety: array tasks, requeued/preempted/cancelled runs, typed
// GPU TRES, node lists, pending rows without nodes. Two variants: epoch times (what the collector asks
// for with SLURM_TIME_FORMAT=%s) and local ISO times in a DST zone (offline files).
//
//   npm run bench -- sacct-parse          (or: npx tsx bench/sacct-parse.bench.ts [rows])
import { sacctFields } from '../shared/slurm/commands';
import { SacctStreamParser } from '../shared/slurm/parse/sacct';
import { formatSlurmTime } from '../shared/slurm/parse/time';

const ROWS = Number(process.argv[2] ?? 300_000);
const ZONE = 'Europe/Berlin';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(rows: number, iso: boolean): string {
  const r = rng(1);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  const fields = sacctFields({ major: 24, minor: 11, patch: 5 });
  const users = Array.from({ length: 400 }, (_, i) => `user${i}`);
  const accounts = Array.from({ length: 40 }, (_, i) => `proj${i}`);
  const states = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'CANCELLED by 1042', 'TIMEOUT', 'PREEMPTED', 'REQUEUED', 'RUNNING', 'PENDING', 'OUT_OF_MEMORY', 'NODE_FAIL'];
  const types = ['a100', 'h100', 'v100'];
  const t = (epoch: number): string => (iso ? formatSlurmTime(epoch, ZONE) : String(epoch));
  const lines = [fields.join('|')];
  let id = 5_000_000;
  const start0 = 1_761_955_200; // 2025-11-01
  for (let i = 0; i < rows; i++) {
    id++;
    const array = r() < 0.2;
    const jobId = array ? `${id - Math.floor(r() * 50)}_${Math.floor(r() * 100)}` : String(id);
    const state = pick(states);
    const submit = start0 + Math.floor(r() * 30 * 86400);
    const pending = state === 'PENDING';
    const start = pending ? 0 : submit + Math.floor(r() * 7200);
    const elapsed = pending ? 0 : Math.floor(r() * 86400);
    const end = pending || state === 'RUNNING' ? 0 : start + elapsed;
    const gpus = pick([0, 1, 2, 4, 8]);
    const type = pick(types);
    const nodes = gpus === 8 ? `gpu-${type}-[${String(10 + Math.floor(r() * 80)).padStart(3, '0')}-${String(91 + Math.floor(r() * 8)).padStart(3, '0')}]` : `gpu-${type}-${String(1 + Math.floor(r() * 300)).padStart(3, '0')}`;
    const cpus = gpus > 0 ? gpus * 8 : 1 + Math.floor(r() * 32);
    const tres = `billing=${cpus + gpus * 16},cpu=${cpus},${gpus > 0 ? `gres/gpu:${type}=${gpus},gres/gpu=${gpus},` : ''}mem=${cpus * 8}G,node=1`;
    const row = [
      jobId, String(id), pick(users), pick(accounts), pick(['gpu', 'gpu-low', 'cpu', 'preemptible']), pick(['normal', 'high', 'low']), state,
      state === 'FAILED' ? '1:0' : state === 'TIMEOUT' ? '0:15' : '0:0',
      t(submit), t(submit), start ? t(start) : 'Unknown', end ? t(end) : 'Unknown', String(elapsed), pick(['1-00:00:00', '08:00:00', '2-00:00:00', 'UNLIMITED']),
      pending ? '' : tres, tres, pending ? 'None assigned' : nodes, String(Math.floor(r() * 2)), pick(['train', 'eval sweep', 'preprocess-shards', 'bash', 'llm|finetune']),
    ];
    lines.push(row.join('|'));
  }
  return `${lines.join('\n')}\n`;
}

function measure(label: string, text: string, floor: number): void {
  const rates: number[] = [];
  let runs = 0;
  let errors = 0;
  for (let round = 0; round < 5; round++) {
    runs = 0;
    const t0 = performance.now();
    const parser = new SacctStreamParser({ timeZone: ZONE }, () => runs++);
    // Feed 64 KiB chunks, as an SSH channel delivers them.
    for (let at = 0; at < text.length; at += 65536) parser.write(text.slice(at, at + 65536));
    errors = parser.end().errors.length;
    rates.push(runs / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] as number;
  console.log(`${label}: ${Math.round(median).toLocaleString('en-US')} rows/s median of 5 (best ${Math.round(rates[rates.length - 1] as number).toLocaleString('en-US')}), ${(median / floor).toFixed(2)}x the split-only baseline, ${runs} runs, ${errors} errors, ${(text.length / ROWS).toFixed(0)} bytes/row`);
  if (errors > 0) process.exitCode = 1;
}

/** The floor any parser pays: cut the text into lines and fields, nothing else. Printed as a ratio so a
 * loaded machine (other processes on the 2 cores) shows up as a slow baseline, not as a slow parser. */
function baseline(text: string): number {
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    let n = 0;
    let from = text.indexOf('\n') + 1;
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      if (text.slice(from, nl).split('|').length > 1) n++;
      from = nl + 1;
    }
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[2] as number;
}

const epochText = generate(ROWS, false);
const floor = baseline(epochText);
console.log(`baseline (split lines and fields only): ${Math.round(floor).toLocaleString('en-US')} rows/s`);
measure(`sacct -P parse, epoch times (SLURM_TIME_FORMAT=%s), ${ROWS} rows`, epochText, floor);
if (process.env.SACCT_BENCH_EPOCH_ONLY !== "1") measure(`sacct -P parse, local ISO times in ${ZONE}, ${ROWS} rows`, generate(ROWS, true), floor);
