// Generates `sacct -a -D -X -P -o <SACCT_FIELDS>` output for the synthetic cluster: one row per run, in
// submit order as slurmdbd returns them, with what real histories hold — requeued and preempted jobs with
// several runs under one JobID (each run with its own Submit, the later ones BeginTime-delayed), array
// tasks (`A_T` with their own JobIDRaw, the pending remainder as `A_[k-n%m]` keeping the array's id),
// heterogeneous jobs (`J+0`, `J+1`), `CANCELLED by UID`, every terminal state sacct prints, and RUNNING /
// PENDING rows at the end of the window. 22.05 has no `Restarts` field; 24.11 prints it.
import type { GenCluster, GenNode, GenPartition, GenUser } from './cluster';
import { Random } from './random';
import { compressHostlist, slurmDuration, slurmTime as isoTime, slurmTres } from './slurm-text';

export const SACCT_FIELDS_2205 = [
  'JobID', 'JobIDRaw', 'JobName', 'User', 'Group', 'Account', 'Partition', 'QOS', 'State', 'ExitCode',
  'DerivedExitCode', 'Submit', 'Eligible', 'Start', 'End', 'Elapsed', 'ElapsedRaw', 'Timelimit', 'NNodes',
  'NCPUS', 'ReqTRES', 'AllocTRES', 'NodeList', 'Reason', 'Priority',
] as const;
export const SACCT_FIELDS_2411 = [...SACCT_FIELDS_2205, 'Restarts'] as const;

export interface SacctOptions {
  /** Rows to produce (header excluded). */
  rows: number;
  /** Epoch seconds: the end of the window, "now" when sacct ran. Runs still going are RUNNING. */
  now: number;
  /** Mean submissions per day (jobs, an array counts once). */
  jobsPerDay: number;
  version: '22.05' | '24.11';
  /**
   * `iso`: Slurm's default local `2026-11-26T11:53:42` (offline exports); `epoch`: `SLURM_TIME_FORMAT=%s`,
   * which the live collectors set. Unset times print as `Unknown` / `None` in both.
   */
  timeFormat?: 'iso' | 'epoch';
  seed?: number;
}

type Field = (typeof SACCT_FIELDS_2411)[number];
type Row = Record<Field, string>;

interface Shape {
  partition: GenPartition;
  nodes: number;
  gpusPerNode: number;
  cpus: number;
  memMiB: number;
  billing: number;
  gpuType: string | null;
}

const NAMES = ['train', 'eval', 'finetune', 'pretrain', 'sweep', 'preprocess', 'tokenize', 'infer', 'bench', 'render', 'align', 'simulate', 'notebook', 'jupyter', 'export'];
const MODELS = ['llama-7b', 'llama-70b', 'vit-l', 'resnet50', 'whisper', 'bert-base', 'sd-xl', 'gnn', 'mamba', 'moe-8x7b'];
const PENDING_REASONS = ['Priority', 'Resources', 'Dependency', 'BeginTime', 'JobHeldUser', 'JobHeldAdmin', 'AssocGrpGRES', 'QOSMaxGRESPerUser', 'ReqNodeNotAvail,_UnavailableNodes:gpu-h100-[007-009]', 'PartitionTimeLimit', 'AssocGrpBillingMinutes'];
/** Measured mean rows per submission with the weights below; sizes the window to end at `now`. */
const ROWS_PER_JOB = 2.1;
const TIME_LIMITS = [3600, 4 * 3600, 8 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400];

const GPU_TYPES = [['h100', 45], ['a100', 40], ['l40s', 15]] as const;
const JOB_KINDS = [['gpu', 56], ['cpu', 30], ['array', 10], ['het', 0.4], ['interactive', 3.6]] as const;
type Outcome = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'OUT_OF_MEMORY' | 'NODE_FAIL' | 'BOOT_FAIL' | 'DEADLINE' | 'REVOKED' | 'PREEMPTED' | 'REQUEUED' | 'SUSPENDED' | 'RESIZING';
const OUTCOMES: [Outcome, number][] = [
  ['COMPLETED', 560], ['FAILED', 120], ['CANCELLED', 110], ['TIMEOUT', 60], ['OUT_OF_MEMORY', 25], ['NODE_FAIL', 6],
  ['BOOT_FAIL', 2], ['DEADLINE', 1], ['REVOKED', 1], ['REQUEUED', 12], ['SUSPENDED', 1], ['RESIZING', 1],
];

/** A min-heap of rows by submit time, so requeued runs (submitted later) come out in sacct's order. */
class RowHeap {
  private items: { at: number; seq: number; row: Row }[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  push(at: number, row: Row): void {
    const item = { at, seq: this.seq++, row };
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i] as typeof item, a[p] as typeof item)) break;
      [a[i], a[p]] = [a[p] as typeof item, a[i] as typeof item];
      i = p;
    }
  }
  peekAt(): number {
    return this.items[0]?.at ?? Infinity;
  }
  pop(): Row {
    const a = this.items;
    const top = a[0] as (typeof a)[number];
    const last = a.pop() as (typeof a)[number];
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as typeof last, a[m] as typeof last)) m = l;
        if (r < a.length && this.less(a[r] as typeof last, a[m] as typeof last)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as typeof last, a[i] as typeof last];
        i = m;
      }
    }
    return top.row;
  }
  private less(x: { at: number; seq: number }, y: { at: number; seq: number }): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

export class SacctGenerator {
  readonly fields: readonly Field[];
  private readonly rnd: Random;
  private readonly heap = new RowHeap();
  private nextId = 1_000_000;
  private clock: number;
  private readonly gpuParts: [GenPartition, number][];
  private readonly cpuPart: GenPartition;
  private readonly debugPart: GenPartition;
  /** Nodes of a partition with a GPU type (`gpu/h100`) or all of them (`cpu/`): picked per job, so cached. */
  private readonly pools = new Map<string, GenNode[]>();
  private readonly time: (epoch: number) => string;

  constructor(
    private readonly cluster: GenCluster,
    private readonly opts: SacctOptions,
  ) {
    this.fields = opts.version === '24.11' ? SACCT_FIELDS_2411 : SACCT_FIELDS_2205;
    this.rnd = new Random(opts.seed ?? 7);
    this.time = opts.timeFormat === 'epoch' ? String : isoTime;
    // Rows per submitted job average ~ROWS_PER_JOB (arrays, requeues): size the window so `rows` fills it.
    const days = opts.rows / ROWS_PER_JOB / opts.jobsPerDay;
    this.clock = opts.now - Math.round(days * 86400);
    const part = (name: string) => cluster.partitions.find((p) => p.name === name) as GenPartition;
    this.gpuParts = [[part('gpu'), 70], [part('gpu-preempt'), 24], [part('interactive'), 6]];
    this.cpuPart = part('cpu');
    this.debugPart = part('debug');
    for (const p of cluster.partitions) {
      this.pools.set(`${p.name}/`, p.nodes);
      for (const type of new Set(p.nodes.map((n) => n.gpuType))) if (type) this.pools.set(`${p.name}/${type}`, p.nodes.filter((n) => n.gpuType === type));
    }
  }

  header(): string {
    return this.fields.join('|');
  }

  /** The data lines, `rows` of them, in submit order. */
  *lines(): Generator<string> {
    let emitted = 0;
    const meanGap = 86400 / this.opts.jobsPerDay;
    while (emitted < this.opts.rows) {
      // Past "now" nothing more can be submitted: the remaining rows are a burst of just-submitted jobs.
      this.clock = Math.min(this.clock + Math.max(1, Math.round(this.rnd.exp(meanGap))), this.opts.now);
      this.submitJob(this.clock);
      while (this.heap.size > 0 && this.heap.peekAt() <= this.clock && emitted < this.opts.rows) {
        yield this.format(this.heap.pop());
        emitted++;
      }
      if (this.clock >= this.opts.now) {
        while (this.heap.size > 0 && emitted < this.opts.rows) {
          yield this.format(this.heap.pop());
          emitted++;
        }
      }
    }
  }

  private format(row: Row): string {
    let out = '';
    for (let i = 0; i < this.fields.length; i++) {
      if (i > 0) out += '|';
      out += row[this.fields[i] as Field];
    }
    return out;
  }

  private shape(gpu: boolean): Shape {
    const r = this.rnd;
    if (!gpu) {
      const partition = r.chance(0.06) ? this.debugPart : this.cpuPart;
      const nodes = r.chance(0.08) ? r.int(2, 8) : 1;
      const cpus = nodes > 1 ? nodes * 192 : r.pick([1, 2, 4, 8, 16, 32, 64, 96, 192]);
      const memMiB = r.chance(0.5) ? cpus * 4000 : cpus * 4 * 1024;
      return { partition, nodes, gpusPerNode: 0, cpus, memMiB, billing: cpus, gpuType: null };
    }
    const partition = r.weighted(this.gpuParts);
    const type = partition.name === 'interactive' ? 'l40s' : r.weighted(GPU_TYPES);
    const node0 = (this.pools.get(`${partition.name}/${type}`) as GenNode[])[0] as GenNode;
    const nodes = r.chance(0.06) ? r.pick([2, 2, 4, 4, 8, 16]) : 1;
    const gpusPerNode = nodes > 1 ? 8 : r.weighted([[1, 40], [2, 20], [4, 20], [8, 20]] as const);
    const cpusPerGpu = node0.cpus / node0.gpus;
    const cpus = nodes * gpusPerNode * cpusPerGpu;
    const memMiB = nodes * gpusPerNode * (node0.memMiB / node0.gpus) * (r.chance(0.3) ? 0.5 : 1);
    const billing = cpus + nodes * gpusPerNode * partition.gpuWeight;
    return { partition, nodes, gpusPerNode, cpus, memMiB: Math.round(memMiB), billing, gpuType: type };
  }

  private pickNodes(shape: Shape): string[] {
    const pool = this.pools.get(`${shape.partition.name}/${shape.gpuType ?? ''}`) as GenNode[];
    if (shape.nodes === 1) return [this.rnd.pick(pool).name];
    // Multi-node jobs usually land on neighbouring nodes (topology-aware placement).
    const first = this.rnd.int(0, pool.length - shape.nodes);
    const names = pool.slice(first, first + shape.nodes).map((n) => n.name);
    if (this.rnd.chance(0.3)) names[names.length - 1] = (pool[(first + shape.nodes + 3) % pool.length] as GenNode).name;
    return names;
  }

  private jobName(): string {
    const r = this.rnd;
    const base = `${r.pick(NAMES)}-${r.pick(MODELS)}`;
    const v = r.next();
    if (v < 0.02) return `${base} (retry ${r.int(1, 5)})`; // names with spaces and parentheses
    if (v < 0.025) return `prétraitement-${r.int(1, 99)}`; // non-ASCII
    if (v < 0.03) return 'bash'; // interactive srun
    if (v < 0.5) return `${base}-${r.int(1, 500)}`;
    return base;
  }

  private submitJob(submit: number): void {
    const r = this.rnd;
    const user = r.pick(this.cluster.users);
    const account = r.pick(user.accounts);
    const kind = r.weighted(JOB_KINDS);
    const name = kind === 'interactive' ? r.pick(['bash', 'jupyter', 'interactive']) : this.jobName();
    if (kind === 'array') return this.submitArray(submit, user, account, name);
    if (kind === 'het') return this.submitHet(submit, user, account, name);
    const shape = this.shape(kind !== 'cpu');
    const id = this.nextId++;
    this.runs({ id, jobId: String(id), submit, user, account, name, shape, allowRequeue: true });
  }

  private submitArray(submit: number, user: GenUser, account: string, name: string): void {
    const r = this.rnd;
    const shape = this.shape(r.chance(0.6));
    const arrayId = this.nextId++;
    // Most arrays are small sweeps; a few are large (hundreds of tasks are common on real clusters).
    const tasks = r.weighted([[0, 50], [1, 35], [2, 15]] as const) === 0 ? r.int(2, 5) : r.chance(0.7) ? r.int(6, 20) : r.int(21, 100);
    const limit = r.chance(0.4) ? r.int(2, 10) : null;
    const now = this.opts.now;
    let start = submit + this.wait();
    const pendingFrom: number[] = [];
    for (let t = 0; t < tasks; t++) {
      // Throttled arrays (`%limit`) start tasks in waves.
      if (limit !== null && t > 0 && t % limit === 0) start += Math.round(r.exp(3600));
      if (start >= now) {
        pendingFrom.push(t);
        continue;
      }
      const last = t === tasks - 1;
      const id = last ? arrayId : this.nextId++;
      this.runs({ id, jobId: `${arrayId}_${t}`, submit, user, account, name, shape, allowRequeue: false, arrayStart: start });
    }
    if (pendingFrom.length > 0) {
      const lo = pendingFrom[0] as number;
      const hi = pendingFrom[pendingFrom.length - 1] as number;
      const range = lo === hi ? String(lo) : `${lo}-${hi}`;
      this.push(submit, this.pendingRow({ id: arrayId, jobId: `${arrayId}_[${range}${limit !== null ? `%${limit}` : ''}]`, submit, user, account, name, shape, restarts: 0 }, submit));
    }
  }

  private submitHet(submit: number, user: GenUser, account: string, name: string): void {
    const first = this.nextId;
    const components = [this.shape(false), this.shape(true)];
    const start = submit + this.wait();
    components.forEach((shape, i) => {
      const id = this.nextId++;
      this.runs({ id, jobId: `${first}+${i}`, submit, user, account, name, shape, allowRequeue: false, arrayStart: start });
    });
  }

  private wait(): number {
    const r = this.rnd;
    return Math.round(r.chance(0.1) ? r.exp(4 * 3600) : r.exp(20 * 60));
  }

  private push(at: number, row: Row): void {
    this.heap.push(at, row);
  }

  /** One job's runs: the first, then one more per preemption or requeue. */
  private runs(job: { id: number; jobId: string; submit: number; user: GenUser; account: string; name: string; shape: Shape; allowRequeue: boolean; arrayStart?: number }): void {
    const r = this.rnd;
    const now = this.opts.now;
    const max = job.shape.partition.maxTimeSec;
    const limits = max === null ? TIME_LIMITS : TIME_LIMITS.filter((l) => l <= max);
    const timeLimit = job.shape.partition.maxTimeSec === null && r.chance(0.1) ? null : r.pick(limits);
    let submit = job.submit;
    let eligible = submit + (r.chance(0.03) ? r.int(60, 7200) : 0);
    for (let run = 0; ; run++) {
      const start = run === 0 && job.arrayStart !== undefined ? job.arrayStart : eligible + this.wait();
      const base = { ...job, submit, eligible, timeLimit, restarts: run };
      if (start >= now) {
        this.push(submit, this.pendingRow(base, eligible));
        return;
      }
      const preemptible = job.allowRequeue && job.shape.partition.preemptMode === 'REQUEUE';
      let outcome: Outcome = r.weighted(OUTCOMES);
      if (!job.allowRequeue && outcome === 'REQUEUED') outcome = 'COMPLETED';
      if (preemptible && run < 4 && r.chance(0.22)) outcome = 'PREEMPTED';
      // Most runs take minutes to hours; one in ten runs for a good part of its limit.
      const limit = timeLimit ?? 30 * 86400;
      let duration = Math.max(1, Math.round(Math.min(r.chance(0.1) ? r.exp(limit / 2) : r.exp(Math.min(limit / 4, 2 * 3600)), limit)));
      if (outcome === 'TIMEOUT') duration = limit + r.int(1, 90);
      if (outcome === 'BOOT_FAIL') duration = 0;
      if (outcome === 'PREEMPTED' || outcome === 'REQUEUED') duration = Math.max(1, Math.round(duration * r.next()));
      const end = start + duration;
      const nodes = this.pickNodes(job.shape);
      if (end > now) {
        this.push(submit, this.startedRow(base, start, null, now - start, 'RUNNING', nodes));
        return;
      }
      this.push(submit, this.startedRow(base, start, end, duration, outcome, nodes));
      if (outcome !== 'PREEMPTED' && outcome !== 'REQUEUED') return;
      // A requeue writes a new record: new Submit, eligible after the requeue delay (BeginTime).
      submit = end;
      eligible = end + 121;
    }
  }

  private common(job: { id: number; jobId: string; submit: number; user: GenUser; account: string; name: string; shape: Shape; restarts: number; timeLimit?: number | null }): Row {
    const s = job.shape;
    const qos = this.rnd.pick(s.partition.qos);
    return {
      JobID: job.jobId,
      JobIDRaw: String(job.id),
      JobName: job.name,
      User: job.user.name,
      Group: job.user.group,
      Account: job.account,
      Partition: s.partition.name,
      QOS: qos,
      State: '',
      ExitCode: '0:0',
      DerivedExitCode: '0:0',
      Submit: this.time(job.submit),
      Eligible: '',
      Start: 'None',
      End: 'Unknown',
      Elapsed: '00:00:00',
      ElapsedRaw: '0',
      Timelimit: job.timeLimit === undefined ? 'Partition_Limit' : job.timeLimit === null ? 'UNLIMITED' : slurmDuration(job.timeLimit),
      NNodes: String(s.nodes),
      NCPUS: String(s.cpus),
      ReqTRES: slurmTres({ billing: s.billing, cpu: s.cpus, gpuType: s.gpuType, gpus: s.nodes * s.gpusPerNode, memMiB: s.memMiB, node: s.nodes }),
      AllocTRES: '',
      NodeList: 'None assigned',
      Reason: 'None',
      Priority: String(qos === 'high' ? 20000 + this.rnd.int(0, 5000) : qos === 'low' ? this.rnd.int(100, 2000) : 10000 + this.rnd.int(0, 3000)),
      Restarts: String(job.restarts),
    };
  }

  private pendingRow(job: Parameters<SacctGenerator['common']>[0] & { eligible?: number }, eligible: number): Row {
    const row = this.common(job);
    const r = this.rnd;
    row.State = 'PENDING';
    row.Eligible = r.chance(0.05) ? 'Unknown' : this.time(eligible);
    row.Reason = r.pick(PENDING_REASONS);
    if (row.Reason === 'JobHeldUser' || row.Reason === 'JobHeldAdmin') row.Priority = '0';
    // 22.05 prints a partial AllocTRES for pending jobs (billing, cpu, mem), or nothing when held.
    row.AllocTRES = row.Priority === '0' ? '' : slurmTres({ billing: job.shape.cpus, cpu: job.shape.cpus, memMiB: job.shape.memMiB });
    row.NCPUS = row.Priority === '0' ? '0' : row.NCPUS;
    row.NNodes = '0';
    return row;
  }

  private startedRow(job: Parameters<SacctGenerator['common']>[0] & { eligible: number }, start: number, end: number | null, elapsed: number, state: Outcome | 'RUNNING', nodes: string[]): Row {
    const row = this.common(job);
    const s = job.shape;
    const r = this.rnd;
    row.Eligible = this.time(job.eligible);
    row.Start = this.time(start);
    row.End = end === null ? 'Unknown' : this.time(end);
    row.Elapsed = slurmDuration(elapsed);
    row.ElapsedRaw = String(elapsed);
    row.AllocTRES = slurmTres({ billing: s.billing, cpu: s.cpus, gpuType: s.gpuType, gpus: s.nodes * s.gpusPerNode, memMiB: s.memMiB, node: s.nodes });
    row.NodeList = compressHostlist(nodes);
    switch (state) {
      case 'CANCELLED':
        row.State = `CANCELLED by ${r.chance(0.85) ? job.user.uid : 0}`;
        row.ExitCode = '0:15';
        break;
      case 'FAILED':
        row.State = 'FAILED';
        row.ExitCode = `${r.pick([1, 1, 1, 2, 127, 137, 255])}:0`;
        row.DerivedExitCode = r.chance(0.3) ? row.ExitCode : '0:0';
        break;
      case 'TIMEOUT':
        row.State = 'TIMEOUT';
        row.ExitCode = this.opts.version === '24.11' ? '0:0' : '0:15';
        break;
      case 'OUT_OF_MEMORY':
        row.State = 'OUT_OF_MEMORY';
        row.ExitCode = '0:125';
        break;
      case 'NODE_FAIL':
        row.State = 'NODE_FAIL';
        row.ExitCode = '0:0';
        break;
      default:
        row.State = state;
    }
    return row;
  }
}
