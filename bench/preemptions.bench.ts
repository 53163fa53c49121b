// Preemption history on a large cache: 1,000,000 generated accounting rows (1,000 nodes, 30+ days) stored
// by the real ingest, then `preemptions.list` over 24 h, 7 d and 30 d through the dispatcher (contract
// validation included), as the view asks for it. Prints the rows, victims and inferred preemptors per
// window and the time each took (median of 5).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCore } from '../electron/core/core';
import { dispatch } from '../electron/core/dispatch';
import { ClustersRepo } from '../electron/core/store/clusters-repo';
import { openStore } from '../electron/core/store/db';
import { ingestSacct } from '../electron/core/store/sacct-ingest';
import type { PreemptionHistory } from '../shared/api/methods/preemptions';
import { decodePreemptions, type PreemptionsData } from '../renderer/src/views/preemptions/preemptions-data';
import { writeSacctFile } from './generate/write';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

function median(f: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[3] as number;
}

/** What the answer costs to cross the bridge (IPC clones, the WebSocket stringifies and parses): as columns, and as the arrays of objects it used to be; plus the renderer's decode. */
function bridgeCost(columns: PreemptionHistory, rows: PreemptionsData): void {
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  const clone = (v: unknown) => median(() => structuredClone(v));
  const json = (v: unknown) => median(() => JSON.parse(JSON.stringify(v)));
  console.log(
    `      bridge: objects clone ${fmt(clone(rows))}, JSON ${fmt(json(rows))} (${(JSON.stringify(rows).length / 1e6).toFixed(1)} MB) · ` +
      `columns clone ${fmt(clone(columns))}, JSON ${fmt(json(columns))} (${(JSON.stringify(columns).length / 1e6).toFixed(1)} MB), decode ${fmt(median(() => decodePreemptions(columns)))}`,
  );
}
const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-bench-preempt-'));
try {
  const now = 1_795_700_000;
  const file = path.join(dir, 'sacct.txt');
  writeSacctFile(file, { rows: ROWS, now, jobsPerDay: 25_000, version: '24.11', timeFormat: 'epoch' });
  const store = openStore({ dataDir: dir });
  new ClustersRepo(store.db).save({ name: 'bench', host: 'bench.invalid', port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: true }, 0);
  await ingestSacct(store, { cluster: 'bench', input: { file }, timeZone: 'UTC' });
  store.db.exec('ANALYZE');
  const core = createCore({ host: 'web', store, source: 'live' });
  for (const [label, days] of [['24 h', 1], ['7 d', 7], ['30 d', 30]] as const) {
    const times: number[] = [];
    let h: PreemptionHistory | null = null;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      h = (await dispatch(core.api, 'preemptions.list', { from: now - days * 86400, to: now + 60 })) as PreemptionHistory;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const d: PreemptionsData | null = h ? decodePreemptions(h) : null;
    const preempted = d?.runs.filter((r) => r.state === 'PREEMPTED') ?? [];
    const json = JSON.stringify(h).length;
    console.log(
      `${label.padEnd(5)} ${String(d?.runs.length).padStart(6)} preempted/requeued runs, ${preempted.filter((r) => r.preemptor).length}/${preempted.length} preemptors inferred, ` +
        `${(json / 1e6).toFixed(1)} MB JSON, median ${times[2]?.toFixed(0)} ms (min ${times[0]?.toFixed(0)}, max ${times[4]?.toFixed(0)})`,
    );
    if (h && d) bridgeCost(h, d);
  }
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
