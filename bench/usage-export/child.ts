// Child process of usage-export.bench.ts: one usage export from a store, printed as JSON with its time and
// the process's peak RSS (a process of its own, so the peak is this export's alone).
//   child.ts <data dir> <format> <group-by> <out>
import { exportUsage } from '../../electron/core/export/usage-export';
import type { UsageFormat } from '../../electron/core/export/manifest';
import { openStore } from '../../electron/core/store/db';
import type { UsageDimension } from '../../shared/usage/usage-accumulator';

const [dataDir, format, groupBy, out] = process.argv.slice(2) as [string, UsageFormat, string, string];
const store = openStore({ dataDir, readonly: true });
const span = store.db.prepare('SELECT min(start_time) AS a, max(coalesce(end_time, start_time + elapsed)) AS b, count(*) AS n FROM runs').get() as { a: number; b: number; n: number };
const started = performance.now();
const { manifest } = await exportUsage(store.db, { clusters: [], from: span.a, to: span.b + 1, timeZone: 'Europe/Berlin', groupBy: groupBy.split(',') as UsageDimension[], format, out, now: span.b + 1 });
const seconds = (performance.now() - started) / 1000;
store.close();
console.log(JSON.stringify({ runsInStore: span.n, runsCounted: manifest.totals.runs, rows: manifest.dataFile.rows, bytes: manifest.dataFile.bytes, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
