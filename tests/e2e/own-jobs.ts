// Jobs an e2e test submits on the test bed to act on (and cancels afterwards): other tests use the
// scenario's jobs at the same time, so a test that requeues or releases touches only its own. The same
// recipe as tests/integration/actions-requeue.test.ts: short 1-CPU `sleep` jobs with --requeue in the
// partition with the most idle CPUs, put first in line by root so they start despite the scenario's
// saturating pending jobs.
import { eventually, type Connection } from '../integration/testbed';

const partitionOf = new Map<Connection, Promise<string>>();

/** Of `cpu` and alpha's `gpu` (CPU-only jobs there), the partition with the most idle CPUs. */
export function testPartition(conn: Connection): Promise<string> {
  let p = partitionOf.get(conn);
  if (!p) {
    p = (async () => {
      const r = await conn.run(['sinfo', '-h', '-o', '%R %C']);
      const idle = new Map(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => {
            const [name, cpus] = l.trim().split(/\s+/);
            return [name as string, Number((cpus ?? '0/0/0/0').split('/')[1])] as const;
          }),
      );
      return ['cpu', 'gpu'].filter((n) => idle.has(n)).sort((a, b) => (idle.get(b) ?? 0) - (idle.get(a) ?? 0))[0] ?? 'cpu';
    })();
    partitionOf.set(conn, p);
  }
  return p;
}

/**
 * A requeueable batch job named `name`. `held`: submitted held and not eligible for two hours (so a
 * release leaves it pending for BeginTime instead of taking CPUs). Otherwise root puts it first in line so
 * it starts at once. alice's jobs are submitted by root with runuser.
 */
export async function submitJob(conn: Connection, root: Connection, name: string, options: { user?: 'opsuser' | 'alice'; held?: boolean } = {}): Promise<string> {
  const user = options.user ?? 'opsuser';
  const extra = options.held ? ['--hold', '--begin=now+2hours'] : [];
  const args = ['sbatch', '--parsable', '--requeue', '-p', await testPartition(conn), '-c', '1', '--mem=50M', '-t', '15', '-J', name, '-o', '/dev/null', '-e', '/dev/null', ...extra, '--wrap', 'sleep 900'];
  const r = user === 'opsuser' ? await conn.run(args) : await root.run(['runuser', '-u', user, '--', ...args.slice(0, 2), '--chdir=/tmp', ...args.slice(2)]);
  if (r.code !== 0) throw new Error(`sbatch as ${user} failed: ${r.stderr}`);
  const id = (r.stdout.trim().split(';')[0] as string).trim();
  if (!options.held) {
    const top = await root.run(['scontrol', 'update', `jobid=${id}`, 'priority=100000000']);
    if (top.code !== 0 && !/finished|Invalid job id/i.test(top.stderr)) throw new Error(`scontrol update priority of ${id}: ${top.stderr}`);
  }
  return id;
}

/** `scontrol show job` fields of one job. */
export async function showJob(conn: Connection, id: string): Promise<Record<string, string>> {
  const r = await conn.run(['scontrol', '-o', 'show', 'job', id]);
  if (r.code !== 0) throw new Error(`scontrol show job ${id}: ${r.stderr}`);
  const out: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/(\w+)=(\S*)/g)) out[m[1] as string] ??= m[2] as string;
  return out;
}

export async function allRunning(conn: Connection, ids: readonly string[]): Promise<void> {
  await eventually(`jobs ${ids.join(',')} running`, 120_000, async () => {
    const states = await Promise.all(ids.map(async (id) => (await showJob(conn, id)).JobState));
    return states.every((s) => s === 'RUNNING') ? true : undefined;
  });
}

/** A requeued job passes through COMPLETING (its processes are being killed) before it is PENDING. */
export async function settled(conn: Connection, id: string): Promise<Record<string, string>> {
  return eventually(`job ${id} out of COMPLETING`, 60_000, async () => {
    const j = await showJob(conn, id);
    return j.JobState === 'COMPLETING' ? undefined : j;
  });
}

/** Every job of `name` in squeue, as `id state reason` (what squeue itself says, not the console's cache). */
export async function squeueByName(conn: Connection, name: string): Promise<{ id: string; state: string; reason: string }[]> {
  const r = await conn.run(['squeue', '-h', '-n', name, '-o', '%i|%T|%r']);
  if (r.code !== 0) throw new Error(`squeue -n ${name}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id = '', state = '', reason = ''] = l.split('|');
      return { id, state, reason };
    });
}
