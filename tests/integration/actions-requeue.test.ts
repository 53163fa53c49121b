// Bulk requeue / requeuehold / release on the real test bed, as the plain user (opsuser) and as the
// Operator (opsoper), through the clusterops CLI and the core service. These tests act only on jobs they
// submit themselves (short `sleep` batch jobs of opsuser and alice, with --requeue) and cancel them
// afterwards: other tests use the scenario's jobs at the same time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActionPreview, ActionRecord } from '../../shared/api/methods/actions';
import { ActionService } from '../../electron/core/actions/action-service';
import { createContext, type CliIo } from '../../electron/host/cli/context';
import { cliServices } from '../../electron/host/cli/services';
import { cli, freshConsole } from './cli-helpers';
import { CLUSTERS, connect, eventually, readCluster, type ClusterName, type Connection } from './testbed';

interface PreviewOut {
  preview: ActionPreview;
  action: ActionRecord | null;
}

/**
 * Where the test's own jobs go: of `cpu` and alpha's `gpu` (CPU-only jobs there), the one with the most
 * idle CPUs — the scenario keeps alpha's cpu nodes nearly full. Partitions whose jobs could preempt the
 * scenario's (beta's prod / debug tiers) are never used.
 */
const partitionOf = new Map<Connection, Promise<string>>();
function testPartition(conn: Connection): Promise<string> {
  let p = partitionOf.get(conn);
  if (!p) {
    p = (async () => {
      const r = await conn.run(['sinfo', '-h', '-o', '%R %C']);
      const idle = new Map(r.stdout.trim().split('\n').map((l) => {
        const [name, cpus] = l.trim().split(/\s+/);
        return [name as string, Number((cpus ?? '0/0/0/0').split('/')[1])] as const;
      }));
      const best = ['cpu', 'gpu'].filter((n) => idle.has(n)).sort((a, b) => (idle.get(b) ?? 0) - (idle.get(a) ?? 0))[0];
      return best ?? 'cpu';
    })();
    partitionOf.set(conn, p);
  }
  return p;
}

/** A short requeueable batch job (see testPartition); alice's are submitted by root with runuser. */
async function submit(conn: Connection, asRoot: Connection, user: 'opsuser' | 'alice', extra: string[] = []): Promise<string> {
  const args = ['sbatch', '--parsable', '--requeue', '-p', await testPartition(conn), '-c', '1', '--mem=50M', '-t', '15', '-J', 'h6-requeue-test', '-o', '/dev/null', '-e', '/dev/null', ...extra, '--wrap', 'sleep 900'];
  const r = user === 'opsuser' ? await conn.run(args) : await asRoot.run(['runuser', '-u', 'alice', '--', ...args.slice(0, 2), `--chdir=/tmp`, ...args.slice(2)]);
  if (r.code !== 0) throw new Error(`sbatch as ${user} failed: ${r.stderr}`);
  const id = (r.stdout.trim().split(';')[0] as string).trim();
  // The scenario keeps its partitions saturated with higher-priority pending jobs, which leaves the
  // test's 1-CPU jobs to the backfill scheduler; as root, put them first so they start at once.
  // (Not for held jobs: setting a priority releases a hold.)
  const held = extra.some((a) => a === '-H' || a === '--hold');
  const top = held ? { code: 0, stderr: '' } : await asRoot.run(['scontrol', 'update', `jobid=${id}`, 'priority=100000000']);
  if (top.code !== 0 && !/held|finished|Invalid job id/i.test(top.stderr)) throw new Error(`scontrol update priority of ${id}: ${top.stderr}`);
  return id;
}

/** `scontrol show job` fields of one job (or array task). */
async function showJob(conn: Connection, id: string): Promise<Record<string, string>> {
  const r = await conn.run(['scontrol', '-o', 'show', 'job', id]);
  if (r.code !== 0) throw new Error(`scontrol show job ${id}: ${r.stderr}`);
  const out: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/(\w+)=(\S*)/g)) out[m[1] as string] ??= m[2] as string;
  return out;
}

async function allRunning(conn: Connection, ids: readonly string[]): Promise<void> {
  await eventually(`jobs ${ids.join(',')} running`, 120_000, async () => {
    const states = await Promise.all(ids.map(async (id) => (await showJob(conn, id)).JobState));
    return states.every((s) => s === 'RUNNING') ? true : undefined;
  });
}

/** A requeued job passes through COMPLETING (its processes are being killed) before it is PENDING. */
async function settled(conn: Connection, id: string): Promise<Record<string, string>> {
  return eventually(`job ${id} out of COMPLETING`, 60_000, async () => {
    const j = await showJob(conn, id);
    return j.JobState === 'COMPLETING' ? undefined : j;
  });
}

function jobOf(p: ActionPreview, id: string) {
  const j = p.jobs.find((x) => x.jobId === id || x.requested === id);
  if (!j) throw new Error(`job ${id} not in the preview: ${p.jobs.map((x) => x.jobId).join(',')}`);
  return j;
}

function resultOf(r: ActionRecord, id: string) {
  const x = r.results.find((y) => y.jobId === id);
  if (!x) throw new Error(`job ${id} not in action ${r.id}'s results`);
  return x;
}

async function cliJsonOk<T>(dir: string, ...argv: string[]): Promise<T> {
  const r = await cli(dir, ...argv, '--json');
  if (r.code !== 0 && r.code !== 2) throw new Error(`clusterops ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const quietIo: CliIo = { stdout: () => {}, stderr: () => {}, interactive: false, readLine: null };

describe.each(CLUSTERS.map((c) => [c]))('bulk requeue on %s', (name: ClusterName) => {
  const cluster = readCluster(name);
  let user: Connection;
  let root: Connection;
  let userDir: string;
  let operDir: string;
  const submitted: string[] = [];

  beforeAll(async () => {
    user = await connect(cluster, 'opsuser');
    root = await connect(cluster, 'root');
    userDir = await freshConsole([name], 'opsuser');
    operDir = await freshConsole([name], 'opsoper');
  });

  // Each test's jobs go as soon as it ends: they sleep for 15 minutes, and a busy test bed has only a
  // few free CPUs for the next test's jobs.
  afterEach(async () => {
    if (submitted.length) await root?.run(['scancel', ...submitted.splice(0)]);
  });
  afterAll(async () => {
    if (submitted.length) await root?.run(['scancel', ...submitted]);
    user?.close();
    root?.close();
  });

  it('refuses a malicious id before anything is sent, and writes nothing to the audit log', async () => {
    const marker = `/tmp/h6-injected-${process.pid}`;
    const r = await cli(userDir, 'requeue', '--cluster', name, '--job', `1;touch ${marker}`, '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing job id "1;touch"/);
    for (const bad of ['1`id`', '$(id)', '-1', '123.batch', '12 && id', "1'", '123_[1-3]x']) {
      const x = await cli(userDir, 'requeue', '--cluster', name, `--job=${bad}`, '--yes');
      expect(x.code, bad).toBe(1);
      expect(x.stderr, bad).toMatch(/refusing/);
    }
    const check = await root.run(['test', '-e', marker]);
    expect(check.code).not.toBe(0);
    const audit = await cliJsonOk<ActionRecord[]>(userDir, 'audit');
    expect(audit).toEqual([]);
  });

  it('mixed selection as opsuser: own running jobs requeued (PENDING, Restarts+1), the rest refused with the right reason', async () => {
    const own1 = await submit(user, root, 'opsuser');
    const own2 = await submit(user, root, 'opsuser');
    const alice = await submit(user, root, 'alice');
    const pending = await submit(user, root, 'opsuser', ['--begin=now+2hours']);
    const array = await submit(user, root, 'opsuser', ['--array=1-2']);
    submitted.push(own1, own2, alice, pending, array);
    await allRunning(user, [own1, own2, alice, `${array}_1`, `${array}_2`]);
    const before = await showJob(user, own1);

    const ids = [own1, own2, alice, pending, '999999999', `${array}_[1]`];
    const dry = await cliJsonOk<PreviewOut[]>(userDir, 'requeue', '--cluster', name, '--job', ids.join(','), '--dry-run');
    const p = (dry[0] as PreviewOut).preview;
    expect(p.clusterUser).toBe('opsuser');
    expect(p.adminLevel).toBe('None');
    expect(jobOf(p, own1)).toMatchObject({ willRun: true, state: 'RUNNING', user: 'opsuser' });
    expect(jobOf(p, own2)).toMatchObject({ willRun: true });
    expect(jobOf(p, alice)).toMatchObject({ willRun: false, skip: 'no-permission', user: 'alice' });
    expect(jobOf(p, pending)).toMatchObject({ willRun: false, skip: 'pending' });
    expect(jobOf(p, '999999999')).toMatchObject({ willRun: false, skip: 'vanished' });
    expect(jobOf(p, `${array}_1`)).toMatchObject({ willRun: true, state: 'RUNNING' });
    expect(p.jobs.some((j) => j.jobId === `${array}_2`)).toBe(false);
    expect(p.totals).toMatchObject({ selected: 6, willRun: 3, skipped: 3, users: ['opsuser'], accounts: ['vision'] });
    expect(p.totals.bySkip).toEqual({ 'no-permission': 1, pending: 1, vanished: 1 });
    // The dry run sent nothing.
    expect((await showJob(user, own1)).Restarts).toBe(before.Restarts);

    // The run sends only what the (repeated) live check accepts, two ids per scontrol call.
    const run = await cliJsonOk<PreviewOut[]>(userDir, 'requeue', '--cluster', name, '--job', ids.join(','), '--yes', '--batch', '2', '--pause-ms', '200');
    const rec = (run[0] as PreviewOut).action as ActionRecord;
    expect(rec.outcome).toBe('completed');
    expect(rec.counts).toMatchObject({ done: 3, failed: 0, skipped: 3 });
    expect(resultOf(rec, own1).status).toBe('done');
    expect(resultOf(rec, `${array}_1`).status).toBe('done');
    expect(resultOf(rec, alice)).toMatchObject({ status: 'skipped', message: expect.stringMatching(/not its owner/) });
    expect(new Set(rec.results.filter((x) => x.status !== 'skipped').map((x) => x.batch))).toEqual(new Set([1, 2]));

    for (const id of [own1, own2, `${array}_1`]) {
      const after = await settled(user, id);
      expect(after.JobState, id).toBe('PENDING');
      expect(Number(after.Restarts), id).toBe(Number(id === own1 ? before.Restarts : '0') + 1);
    }
    expect((await showJob(user, `${array}_2`)).JobState).toBe('RUNNING');
    // Accounting keeps the requeued run as its own REQUEUED record (slurmdbd may write it a moment later).
    await eventually(`sacct REQUEUED run of ${own1}`, 60_000, async () => {
      const r = await user.run(['sacct', '-n', '-P', '-X', '-D', '-j', own1, '-o', 'JobID,State']);
      return /\|REQUEUED/.test(r.stdout) ? true : undefined;
    });
    expect((await showJob(user, alice)).Restarts).toBe('0');
  });

  it("Slurm's own refusals are parsed per job when several ids go in one scontrol call", async () => {
    const own = await submit(user, root, 'opsuser');
    const alice = await submit(user, root, 'alice');
    submitted.push(own, alice);
    await allRunning(user, [own, alice]);
    // Bypass the preview's verdicts to make Slurm itself answer for each id of one call.
    const ctx = createContext({ dataDir: userDir, json: true, io: quietIo, env: process.env });
    const services = cliServices(ctx);
    try {
      const { runBatches } = await import('../../electron/core/actions/batch-runner');
      const { connectionRemote } = await import('../../electron/core/collect/remote');
      const conn = services.pool.get(services.sync.config(name));
      const remote = connectionRemote(name, (argv, o) => conn.exec(argv, o));
      const got: ActionRecord['results'] = [];
      await runBatches(remote, 'requeue', [own, alice, '999999999'].map((jobId) => ({ jobId, jobIdRaw: null })), { batchSize: 10, pauseMs: 0, onBatch: (r) => got.push(...r) });
      const by = new Map(got.map((r) => [r.jobId, r]));
      expect(by.get(own)).toMatchObject({ status: 'done' });
      expect(by.get(alice)).toMatchObject({ status: 'failed', retryable: false, message: `Access/permission denied for job ${alice}`, exitCode: 1 });
      expect(by.get('999999999')).toMatchObject({ status: 'failed', retryable: false, message: 'Invalid job id specified for job 999999999' });
    } finally {
      await services.close();
      ctx.close();
    }
  });

  it('as the Operator: another user\'s job is requeued', async () => {
    const alice = await submit(user, root, 'alice');
    submitted.push(alice);
    await allRunning(user, [alice]);
    const run = await cliJsonOk<PreviewOut[]>(operDir, 'requeue', '--cluster', name, '--job', alice, '--yes');
    const out = run[0] as PreviewOut;
    expect(out.preview.adminLevel).toBe('Operator');
    expect(jobOf(out.preview, alice)).toMatchObject({ willRun: true, user: 'alice' });
    expect(resultOf(out.action as ActionRecord, alice).status).toBe('done');
    const after = await settled(user, alice);
    expect(after.JobState).toBe('PENDING');
    expect(after.Restarts).toBe('1');
  });

  it('requeuehold + undo: held, then released exactly those jobs, all pending', async () => {
    const a = await submit(user, root, 'opsuser');
    const b = await submit(user, root, 'opsuser');
    const untouched = await submit(user, root, 'opsuser', ['--hold']);
    submitted.push(a, b, untouched);
    await allRunning(user, [a, b]);
    const run = await cliJsonOk<PreviewOut[]>(userDir, 'requeue', '--cluster', name, '--job', `${a},${b}`, '--hold', '--yes');
    const hold = (run[0] as PreviewOut).action as ActionRecord;
    expect(hold.counts.done).toBe(2);
    for (const id of [a, b]) {
      const j = await settled(user, id);
      expect(j.JobState).toBe('PENDING');
      expect(j.Reason).toMatch(/held/i);
      expect(j.Restarts).toBe('1');
    }
    const r = await cli(userDir, 'requeue', '--undo', String(hold.id), '--yes', '--json');
    expect(r.code, r.stderr).toBe(0);
    const undo = JSON.parse(r.stdout) as ActionRecord;
    expect(undo).toMatchObject({ action: 'release', origin: 'undo', parentId: hold.id });
    expect(undo.results.map((x) => [x.jobId, x.status]).sort()).toEqual([[a, 'done'], [b, 'done']].sort());
    for (const id of [a, b]) {
      const j = await showJob(user, id);
      expect(j.JobState).toBe('PENDING');
      expect(j.Reason ?? '').not.toMatch(/held/i);
      expect(j.Priority).not.toBe('0');
    }
    // A job held by its owner, not by the requeuehold, stays held.
    expect((await showJob(user, untouched)).Reason).toBe('JobHeldUser');
    // Undo is only for requeuehold.
    const bad = await cli(userDir, 'requeue', '--undo', String(undo.id), '--yes');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/only a requeuehold can be undone/);
  });

  it('a cancelled run leaves the rest unsent; retry sends only those and never requeues a job twice', async () => {
    const ids = [await submit(user, root, 'opsuser'), await submit(user, root, 'opsuser'), await submit(user, root, 'opsuser')];
    submitted.push(...ids);
    await allRunning(user, ids);
    const ctx = createContext({ dataDir: userDir, json: true, io: quietIo, env: process.env });
    const services = cliServices(ctx);
    const abort = new AbortController();
    const service = new ActionService({
      store: ctx.store(),
      sync: services.sync,
      pool: services.pool,
      onProgress: (p) => {
        if (p.batch === 1) abort.abort();
      },
    });
    try {
      const first = await service.run(name, 'requeue', { jobIds: ids }, { batchSize: 1, pauseMs: 5000 }, abort.signal);
      expect(first.outcome).toBe('cancelled');
      expect(first.counts).toMatchObject({ done: 1, cancelled: 2 });
      const done = first.results.find((r) => r.status === 'done')?.jobId as string;
      const cancelled = first.results.filter((r) => r.status === 'cancelled').map((r) => r.jobId);
      expect((await showJob(user, done)).Restarts).toBe('1');
      for (const id of cancelled) expect((await showJob(user, id)).Restarts).toBe('0');

      const retry = await service.retry(first.id, { batchSize: 10, pauseMs: 0 });
      expect(retry).toMatchObject({ origin: 'retry', parentId: first.id, outcome: 'completed' });
      expect(retry.results.map((r) => r.jobId).sort()).toEqual([...cancelled].sort());
      expect(retry.counts.done).toBe(2);
      for (const id of ids) expect((await showJob(user, id)).Restarts, id).toBe('1');
      // Nothing retryable is left.
      await expect(service.retry(retry.id)).rejects.toThrow(/no job that failed for a retryable reason/);
    } finally {
      await services.close();
      ctx.close();
    }
  });

  it('a job that became eligible after the confirmed preview is not acted on', async () => {
    const id = await submit(user, root, 'opsuser', ['--hold']);
    submitted.push(id);
    const ctx = createContext({ dataDir: userDir, json: true, io: quietIo, env: process.env });
    const services = cliServices(ctx);
    const service = new ActionService({ store: ctx.store(), sync: services.sync, pool: services.pool });
    try {
      const shown = await service.preview(name, 'requeue', { jobIds: [id] });
      expect(jobOf(shown, id)).toMatchObject({ willRun: false, skip: 'held' });
      expect((await user.run(['scontrol', 'release', id])).code).toBe(0);
      await allRunning(user, [id]);
      const confirmed = shown.jobs.filter((j) => j.willRun).map((j) => j.jobId);
      const rec = await service.run(name, 'requeue', { jobIds: [id] }, { batchSize: 10, pauseMs: 0 }, undefined, confirmed);
      expect(resultOf(rec, id)).toMatchObject({ status: 'skipped', message: expect.stringMatching(/did not include it/) });
      expect(rec.preview.jobs[0]).toMatchObject({ state: 'RUNNING', skip: 'not-confirmed' });
      expect((await showJob(user, id)).Restarts).toBe('0');
    } finally {
      await services.close();
      ctx.close();
    }
  });

  it('a filter over the synced cache selects what it says (dry run only: the scenario\'s jobs are never acted on)', async () => {
    const own = await submit(user, root, 'opsuser');
    submitted.push(own);
    await allRunning(user, [own]);
    const sync = await cli(userDir, 'sync', '--cluster', name, '--kinds', 'queue');
    expect(sync.code, sync.stderr).toBe(0);
    const out = await cliJsonOk<PreviewOut[]>(userDir, 'requeue', '--cluster', name, '--user', 'opsuser', '--state', 'RUNNING', '--dry-run');
    const p = (out[0] as PreviewOut).preview;
    expect(out[0]?.action).toBeNull();
    expect(p.jobs.length).toBeGreaterThan(0);
    expect(p.jobs.some((j) => j.jobId === own && j.willRun)).toBe(true);
    // The live check reports each job as it is now; whatever is still running is the user's own.
    for (const j of p.jobs) if (j.state !== null) expect(j.user).toBe('opsuser');
    expect((await showJob(user, own)).Restarts).toBe('0');
  });

  it('the audit log holds every action with who, where, the preview and Slurm\'s answers; it cannot be rewritten', async () => {
    const log = await cliJsonOk<ActionRecord[]>(userDir, 'audit');
    expect(log.map((r) => [r.action, r.origin])).toEqual([
      ['requeue', 'run'],
      ['requeue', 'retry'],
      ['requeue', 'run'],
      ['release', 'undo'],
      ['requeuehold', 'run'],
      ['requeue', 'run'],
    ]);
    for (const r of log) {
      expect(r.cluster).toBe(name);
      expect(r.clusterUser).toBe('opsuser');
      expect(r.localUser.length).toBeGreaterThan(0);
      expect(r.finishedAt).not.toBeNull();
      expect(r.results.length).toBe(r.preview.jobs.length);
    }
    const csv = (await cli(userDir, 'audit', '--format', 'csv')).stdout;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^action_id,parent_id,origin,cluster,action,local_user,cluster_user,/);
    expect(lines.length - 1).toBe(log.reduce((n, r) => n + r.results.length, 0));

    const Database = (await import('better-sqlite3')).default;
    const db = new Database(`${userDir}/clusterops.db`);
    try {
      expect(() => db.prepare("UPDATE action_results SET status = 'done'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM actions').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    const oper = await cliJsonOk<ActionRecord[]>(operDir, 'audit');
    expect(oper.map((r) => r.clusterUser)).toEqual(['opsoper']);
  });
});
