// Child process of usage-export.bench.ts: fill a fresh store with the runs of a generated sacct file,
// through the shared sacct parser and the runs repository (usage rollup included), in transactions of
// 50,000 runs. Plainer and slower than the ingest pipeline on purpose: the export bench needs the store,
// not ingest speed, and must not depend on it.
//   build-store.ts <sacct file> <data dir>
import { createReadStream } from 'node:fs';
import type { AccountingRun } from '../../shared/model/run';
import { SacctStreamParser } from '../../shared/slurm/parse/sacct';
import { LocalDays } from '../../shared/usage/local-days';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { openStore } from '../../electron/core/store/db';
import { runToRow } from '../../electron/core/store/run-row';
import { RunsRepo } from '../../electron/core/store/runs-repo';
import { UsageRollup } from '../../electron/core/store/usage-rollup';

const [file, dataDir] = process.argv.slice(2) as [string, string];
const store = openStore({ dataDir });
const id = new ClustersRepo(store.db).save(
  { name: 'bench', host: 'bench.invalid', port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: true },
  0,
);
const runs = new RunsRepo(store.db);
const rollup = new UsageRollup(store.db, id, new LocalDays('UTC'));
let batch: AccountingRun[] = [];
let n = 0;
const flush = () => {
  const rows = batch.map((r) => runToRow(id, r));
  store.db.transaction(() => {
    runs.upsertRows(rows, rollup);
    rollup.flush();
  })();
  n += batch.length;
  batch = [];
};
const parser = new SacctStreamParser({ timeZone: 'UTC' }, (run) => {
  batch.push(run);
  if (batch.length >= 50_000) flush();
});
for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) parser.write(chunk as string);
const summary = parser.end();
flush();
store.close();
console.log(JSON.stringify({ runs: n, errors: summary.errors.length }));
