// Child process of ingest.bench.ts: ingest one sacct file into a fresh store and print what it took as
// JSON. A process of its own, so its peak RSS (getrusage maxrss: main thread, worker and SQLite together)
// is the ingest's alone.
//   ours.ts <sacct file> <data dir>
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { openStore } from '../../electron/core/store/db';
import { ingestSacct } from '../../electron/core/store/sacct-ingest';

const [file, dataDir] = process.argv.slice(2) as [string, string];
const store = openStore({ dataDir });
new ClustersRepo(store.db).save(
  { name: 'bench', host: 'bench.invalid', port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: true },
  0,
);
const started = performance.now();
const result = await ingestSacct(store, { cluster: 'bench', input: { file }, timeZone: 'UTC' });
const seconds = (performance.now() - started) / 1000;
const usageRows = (store.db.prepare('SELECT count(*) AS n FROM usage_daily').get() as { n: number }).n;
store.close();
console.log(
  JSON.stringify({
    rows: result.counts.inserted,
    errors: result.errorCount,
    seconds,
    usageRows,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    storeBusy: result.utilization.store,
    parseBusy: result.utilization.parse,
    path: store.path,
  }),
);
