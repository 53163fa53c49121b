// What an incremental accounting sync with nothing new moves, against the first sync (issue #3: < 1 %), on
// both test-bed clusters (sudo tests/testbed/up.sh first) with a realistic month of history: the cluster's
// own slurmdbd is seeded with clones of its finished job records (INSERT … SELECT over <cluster>_job_table,
// columns read from information_schema so the 22.05 and 24.11 schemas both work; new job ids from SEED_BASE
// up, Submit/Start/End shifted to end 2–28 days ago). Then, through the real ClusterSync over SSH: a queue
// snapshot, the first accounting sync (30 days) and at once an incremental one; for comparison, what the
// same window asked without -s (every run active in it, as before) returns. The seeded rows are always
// deleted again (also on error or Ctrl-C), so other tests see the test bed unchanged.
// ACCOUNTING_BENCH_RUNS (default 50000) sets how many runs are seeded per cluster; ACCOUNTING_BENCH_CLUSTERS
// (default alpha,beta) which clusters.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACCOUNTING_OVERLAP_S, ClusterSync } from '../electron/core/runtime/cluster-sync';
import { ConnectionPool } from '../electron/core/ssh/pool';
import { ClustersRepo } from '../electron/core/store/clusters-repo';
import { openStore } from '../electron/core/store/db';
import { RunsRepo } from '../electron/core/store/runs-repo';
import { sacctCommand } from '../shared/slurm/commands';
import { KNOWN_HOSTS, testbedCluster, testbedVerifier } from '../tests/integration/ssh-helpers';
import { connect, readCluster, STATE, type ClusterName, type Connection } from '../tests/integration/testbed';

const SEED_RUNS = Number(process.env.ACCOUNTING_BENCH_RUNS ?? 50_000);
/** Seeded job ids are SEED_BASE+1 … SEED_BASE+SEED_RUNS: above Slurm's default MaxJobId (67,043,328), so
 *  slurmctld never hands them out, and easy to delete exactly. */
const SEED_BASE = 70_000_000;
const DAY = 86_400;
/** Each clone ends this long ago: 2 days plus up to 26 days. */
const MIN_AGE = 2 * DAY;
const SPREAD = 26 * DAY;

/** The MariaDB socket of each cluster's slurmdbd (tests/testbed/{alpha,beta}/up.sh). */
const SOCKET: Record<ClusterName, string> = {
  alpha: path.join(STATE, 'alpha', 'mysql-run', 'mysqld.sock'),
  beta: path.join(STATE, 'beta', 'run', 'mysqld', 'mysqld.sock'),
};
const DB = 'slurm_acct_db';

if (!Number.isSafeInteger(SEED_RUNS) || SEED_RUNS < 1 || SEED_RUNS > 1_000_000) {
  console.error(`ACCOUNTING_BENCH_RUNS must be 1 … 1000000, not ${process.env.ACCOUNTING_BENCH_RUNS}`);
  process.exit(1);
}
if (!existsSync(path.join(STATE, 'alpha', 'cluster.json'))) {
  console.error(`the test bed is not up (${STATE}): run sudo tests/testbed/up.sh`);
  process.exit(1);
}

/** Run SQL as MariaDB's root over the cluster's root SSH login; tab-separated rows. */
async function sql(root: Connection, name: ClusterName, text: string): Promise<string[][]> {
  const r = await root.run(['mariadb', '--no-defaults', '-S', SOCKET[name], '-u', 'root', '-N', '-B', DB, '-e', text], 600_000);
  if (r.code !== 0) throw new Error(`${name}: mariadb failed: ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

const seededRange = (table: string) => `FROM \`${table}\` WHERE id_job > ${SEED_BASE} AND id_job <= ${SEED_BASE + 1_000_000}`;

async function removeSeeded(root: Connection, name: ClusterName): Promise<number> {
  const table = `${name}_job_table`;
  const [[n] = ['0']] = await sql(root, name, `DELETE ${seededRange(table)}; SELECT ROW_COUNT();`);
  return Number(n);
}

/**
 * Clone finished plain jobs (no arrays, no het jobs) until `runs` rows exist; returns the rows inserted. Only
 * records eligible at some time no later than their end: sacct's window query (eligible < -E, end >= -S)
 * never returns a record without an eligible time, and returns one made eligible after it ended (alpha's
 * scenario has a few: a begin-time job cancelled before its begin time) only from windows reaching past
 * both, which the first sync's 1-day windows do not always do.
 */
async function seed(root: Connection, name: ClusterName, runs: number, nowS: number): Promise<number> {
  const table = `${name}_job_table`;
  const [[maxId = '0'] = []] = await sql(root, name, `SELECT coalesce(max(id_job), 0) FROM \`${table}\` WHERE id_job <= ${SEED_BASE}`);
  if (Number(maxId) >= SEED_BASE) throw new Error(`${name}: real job ids reach ${maxId}, into the seed range`);
  const columns = (
    await sql(
      root,
      name,
      `SELECT column_name, extra FROM information_schema.columns WHERE table_schema = '${DB}' AND table_name = '${table}' ORDER BY ordinal_position`,
    )
  )
    .filter(([, extra]) => !/auto_increment|generated/i.test(extra ?? ''))
    .map(([c]) => c as string);
  for (const c of ['id_job', 'time_submit', 'time_eligible', 'time_start', 'time_end', 'id_array_job', 'het_job_id']) {
    if (!columns.includes(c)) throw new Error(`${name}: ${table} has no column ${c}`);
  }
  const [[sources = '0'] = []] = await sql(root, name, `SELECT count(*) FROM \`${table}\` WHERE time_end > 0 AND time_start > 0 AND time_eligible > 0 AND time_eligible <= time_end AND id_array_job = 0 AND het_job_id = 0 AND id_job <= ${SEED_BASE}`);
  if (Number(sources) === 0) throw new Error(`${name}: no finished job to clone`);
  const copies = Math.ceil(runs / Number(sources));
  // Shift every time of a clone by the same amount, so its wait and run times stay those of a real job
  // (signed arithmetic: the columns are unsigned; 24.11's job_db_inx values are near 2^64).
  const int = (e: string) => `CAST(${e} AS SIGNED)`;
  const end = `(${nowS - MIN_AGE} - MOD(MOD(x.job_db_inx, 1000003) * 7919 + ${int('x.seq')} * 104729, ${SPREAD}))`;
  const before = (c: string) => `${end} - (${int('x.time_end')} - ${int(`x.${c}`)})`;
  const value = (c: string) => {
    switch (c) {
      case 'id_job':
        return `${SEED_BASE} + x.rn`;
      case 'time_end':
        return end;
      case 'time_submit':
      case 'time_eligible':
      case 'time_start':
        return before(c);
      default:
        return `x.\`${c}\``;
    }
  };
  const [[inserted = '0'] = []] = await sql(
    root,
    name,
    `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')})
     SELECT ${columns.map(value).join(', ')} FROM (
       SELECT j.*, s.seq, ROW_NUMBER() OVER (ORDER BY s.seq, j.job_db_inx) AS rn
       FROM \`${table}\` j JOIN seq_1_to_${copies} s
       WHERE j.time_end > 0 AND j.time_start > 0 AND j.time_eligible > 0 AND j.time_eligible <= j.time_end AND j.id_array_job = 0 AND j.het_job_id = 0 AND j.id_job <= ${SEED_BASE}
     ) x WHERE x.rn <= ${runs};
     SELECT ROW_COUNT();`,
  );
  return Number(inserted);
}

/** How many seeded runs sacct itself returns for the first sync's 30 days (the figure is only as good as this). */
async function sacctSeeded(user: Connection): Promise<number> {
  const r = await user.run(['sacct', '-a', '-D', '-X', '-n', '-P', '-o', 'JobIDRaw', '-S', 'now-30days', '-E', 'now'], 600_000);
  if (r.code !== 0) throw new Error(`sacct: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => Number(l) > SEED_BASE).length;
}

const cleanups = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: removing the seeded rows first`);
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
  });
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'clusterops-bench-accounting-'));
const store = openStore({ dataDir });
const pool = new ConnectionPool({ verifier: testbedVerifier(), autoReconnect: false });
const sync = new ClusterSync(store, pool);
const results: string[] = [];
let failed = false;

for (const name of (process.env.ACCOUNTING_BENCH_CLUSTERS ?? 'alpha,beta').split(',') as ClusterName[]) {
  const root = await connect(readCluster(name), 'root');
  const user = await connect(readCluster(name), 'opsuser');
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    const removed = await removeSeeded(root, name);
    console.log(`${name}: removed ${removed} seeded rows`);
  };
  cleanups.add(cleanup);
  try {
    const left = await removeSeeded(root, name);
    if (left) console.log(`${name}: removed ${left} rows an earlier run left`);
    const nowS = Math.floor(Date.now() / 1000);
    let t = performance.now();
    const inserted = await seed(root, name, SEED_RUNS, nowS);
    console.log(`${name}: seeded ${inserted} runs into ${name}_job_table in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const seen = await sacctSeeded(user);
    console.log(`${name}: sacct -a -D -X -S now-30days returns ${seen} of them`);
    if (seen !== inserted) throw new Error(`${name}: sacct returns ${seen} seeded runs, ${inserted} were inserted`);

    const config = testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] });
    const clusters = new ClustersRepo(store.db);
    clusters.save(config, nowS);
    const caps = await sync.capabilities(config);
    // The queue the incremental sync compares with, as the poller would have stored it.
    const queue = await sync.sync(name, { kinds: ['queue'] });
    if (queue.errors.length) throw new Error(`${name}: queue: ${queue.errors.map((e) => e.message).join('; ')}`);

    t = performance.now();
    const first = await sync.sync(name, { kinds: ['accounting'], initialAccountingDays: 30 });
    const firstS = (performance.now() - t) / 1000;
    if (first.errors.length) throw new Error(`${name}: first sync: ${first.errors.map((e) => e.message).join('; ')}`);
    const firstRows = first.snapshots.reduce((a, s) => a + (s.rows.accounting ?? 0), 0);
    const storedSeeded = (store.db.prepare('SELECT count(*) AS n FROM runs WHERE cluster_id = ? AND job_id_raw > ?').get(clusters.idOf(name), SEED_BASE) as { n: number }).n;
    if (storedSeeded !== inserted) {
      const stored = new Set((store.db.prepare('SELECT job_id_raw FROM runs WHERE cluster_id = ? AND job_id_raw > ?').raw(true).all(clusters.idOf(name), SEED_BASE) as number[][]).map((r) => r[0]));
      const missing = Array.from({ length: inserted }, (_, i) => SEED_BASE + 1 + i).filter((id) => !stored.has(id)).slice(0, 8);
      const r = await user.run(['sacct', '-a', '-D', '-X', '-P', '-j', missing.join(','), '-o', 'JobIDRaw,State,Submit,Eligible,Start,End,Partition,User'], 60_000);
      console.error(`${name}: not stored, e.g.:\n${r.stdout}${r.stderr}`);
      throw new Error(`${name}: the first sync stored ${storedSeeded} of ${inserted} seeded runs`);
    }

    const since = (new RunsRepo(store.db).watermark(clusters.idOf(name)).windowUntil as number) - ACCOUNTING_OVERLAP_S;
    t = performance.now();
    const second = await sync.sync(name, { kinds: ['accounting'] });
    const secondS = (performance.now() - t) / 1000;
    if (second.errors.length) throw new Error(`${name}: incremental sync: ${second.errors.map((e) => e.message).join('; ')}`);
    const secondRows = second.snapshots.reduce((a, s) => a + (s.rows.accounting ?? 0), 0);
    const ratio = secondRows / firstRows;
    // For comparison: what the same window without -s (every run active in it) returns, as before.
    const unfiltered = sacctCommand(['JobIDRaw'], { start: since, end: Math.floor(Date.now() / 1000), timeZone: caps.timeZone });
    const all = await user.run(unfiltered.argv, 120_000);
    if (all.code !== 0) throw new Error(`sacct: ${all.stderr}`);
    const unfilteredRows = all.stdout.split('\n').filter((l) => l.trim() !== '').length - 1; // less the header
    const line =
      `${name} (Slurm ${readCluster(name).slurmVersion}): first sync ${firstRows} rows in ${firstS.toFixed(1)} s (${first.snapshots.length} windows; ${inserted} seeded); ` +
      `incremental with nothing new ${secondRows} rows in ${secondS.toFixed(2)} s; ratio ${(ratio * 100).toFixed(3)} % (target < 1 %) ${ratio < 0.01 ? 'OK' : 'OVER'}; ` +
      `the same window without -s: ${unfilteredRows} rows`;
    console.log(line);
    results.push(line);
    if (!(ratio < 0.01)) failed = true;
  } catch (err) {
    failed = true;
    console.error(err instanceof Error ? err.message : err);
  } finally {
    try {
      await cleanup();
    } catch (err) {
      failed = true;
      console.error(`${name}: REMOVING THE SEEDED ROWS FAILED (delete id_job > ${SEED_BASE} from ${name}_job_table by hand): ${(err as Error).message}`);
    }
    cleanups.delete(cleanup);
    root.close();
    user.close();
  }
}

await pool.closeAll();
store.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(`\n${results.join('\n')}`);
process.exit(failed ? 1 : 0);
