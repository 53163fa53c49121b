// How fast `sacct --json` turns into AccountingRun objects, next to the `sacct -P` text path on the same
// runs. Input: the real test-bed captures (tests/fixtures/slurm/<version>/json/sacct.{json,txt}: 110 runs
// of 22.05, 124 of 24.11, steps included as sacct prints them), repeated with fresh job ids to the size
// asked for, so records keep their real shape and size. Printed per version: JSON.parse alone, the whole
// normaliser (parse + validation + conversion), the text parser on the same runs, and bytes per run.
//
//   npm run bench -- sacct-json          (or: npx tsx bench/sacct-json.bench.ts [runs])
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normaliseSacctJson } from '../shared/slurm/json/sacct';
import { parseSacct } from '../shared/slurm/parse/sacct';

const RUNS = Number(process.argv[2] ?? 20_000);
const FIXTURES = path.join(import.meta.dirname, '../tests/fixtures/slurm');

interface Inputs {
  json: string;
  text: string;
  runs: number;
}

/** The capture's records repeated to `runs`, each copy with job ids moved by a multiple of 1e6. */
function build(version: string, runs: number): Inputs {
  const doc = JSON.parse(readFileSync(path.join(FIXTURES, version, 'json', 'sacct.json'), 'utf8')) as { jobs: Record<string, unknown>[] };
  const [header, ...rows] = readFileSync(path.join(FIXTURES, version, 'json', 'sacct.txt'), 'utf8').trimEnd().split('\n');
  const jobs: Record<string, unknown>[] = [];
  const lines = [header as string];
  for (let copy = 0; jobs.length < runs; copy++) {
    const shift = copy * 1_000_000;
    for (const job of doc.jobs) {
      if (jobs.length >= runs) break;
      jobs.push({ ...job, job_id: (job.job_id as number) + shift });
    }
    for (const row of rows) {
      if (lines.length > runs) break;
      // JobID and JobIDRaw are the first two columns; array ids keep their task part.
      const [id, raw, ...rest] = row.split('|');
      const moved = (id as string).replace(/^\d+/, (n) => String(Number(n) + shift));
      lines.push([moved, String(Number(raw) + shift), ...rest].join('|'));
    }
  }
  return { json: JSON.stringify({ ...doc, jobs }), text: `${lines.join('\n')}\n`, runs: jobs.length };
}

/**
 * Run the cases in turn, `rounds` times, so each sees the same machine load (our build machines are
 * shared: absolute rates swing by half, ratios measured side by side much less); report medians.
 */
function interleaved(cases: [string, () => number][], rounds = 7): number[] {
  const rates = cases.map(() => [] as number[]);
  const counts = cases.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    cases.forEach(([, fn], i) => {
      const t0 = performance.now();
      counts[i] = fn();
      (rates[i] as number[]).push((counts[i] as number) / ((performance.now() - t0) / 1000));
    });
  }
  return cases.map(([label], i) => {
    const sorted = (rates[i] as number[]).slice().sort((a, b) => a - b);
    const m = sorted[Math.floor(sorted.length / 2)] as number;
    console.log(`  ${label.padEnd(34)} ${Math.round(m).toLocaleString('en-US').padStart(9)} runs/s (median of ${rounds}, range ${Math.round(sorted[0] as number).toLocaleString('en-US')}-${Math.round(sorted[sorted.length - 1] as number).toLocaleString('en-US')}; ${counts[i]} runs)`);
    return m;
  });
}

for (const version of ['22.05', '24.11']) {
  const input = build(version, RUNS);
  console.log(`${version}: ${input.runs} runs, JSON ${(input.json.length / input.runs).toFixed(0)} bytes/run, text ${(input.text.length / input.runs).toFixed(0)} bytes/run (JSON ${(input.json.length / input.text.length).toFixed(1)}x larger)`);
  const [parseOnly, json, text] = interleaved([
    ['JSON.parse only', () => (JSON.parse(input.json) as { jobs: unknown[] }).jobs.length],
    [
      'normaliseSacctJson',
      () => {
        const r = normaliseSacctJson(input.json);
        if (r.errors.length > 0) throw new Error(`${r.errors.length} records rejected: ${r.errors[0]?.message}`);
        return r.items.length;
      },
    ],
    [
      'parseSacct (text, same runs)',
      () => {
        const r = parseSacct(input.text, { timeZone: 'UTC' });
        if (r.errors.length > 0) throw new Error(`${r.errors.length} rows rejected: ${r.errors[0]?.message}`);
        return r.items.length;
      },
    ],
  ]) as [number, number, number];
  console.log(`  normaliser / JSON.parse alone: ${(json / parseOnly).toFixed(2)}x; text path / JSON path: ${(text / json).toFixed(1)}x`);
}
