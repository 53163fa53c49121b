// Why one kept-open SSH connection per cluster: the same command over the open connection vs over a new
// connection each time (TCP + key exchange + auth + channel), on the real test-bed clusters. Also how much
// the channel cap's concurrency buys for a burst of commands. Prints medians and ratios of one run.
// Needs the test bed (sudo tests/testbed/up.sh); without it, says so and skips.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_POLL, type ClusterConfig } from '../shared/model/cluster';
import { ClusterConnection } from '../electron/core/ssh/connection';
import { HostVerifier } from '../electron/core/ssh/host-verifier';
import { InMemoryPinnedHostKeys } from '../electron/core/ssh/pinned-host-keys';

const STATE = process.env.CLUSTEROPS_TESTBED_DIR ?? '/var/tmp/clusterops-testbed';
const RUNS = Number(process.env.BENCH_SSH_RUNS ?? 15);
const BURST = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function cluster(name: string): ClusterConfig | null {
  const file = path.join(STATE, name, 'cluster.json');
  if (!existsSync(file)) return null;
  const c = JSON.parse(readFileSync(file, 'utf8')) as { host: string; sshPort: number };
  return {
    name,
    host: c.host,
    port: c.sshPort,
    user: 'opsuser',
    auth: { kind: 'key', identityFile: path.join(STATE, 'keys', 'opsuser'), hasPassphrase: false },
    jump: [],
    knownHostsFiles: [path.join(STATE, 'known_hosts')],
    poll: { ...DEFAULT_POLL },
    enabled: true,
  };
}

const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [] });

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function check(conn: ClusterConnection, argv: string[]): Promise<void> {
  const r = await conn.exec(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
}

async function benchCluster(config: ClusterConfig): Promise<void> {
  const commands: [string, string[]][] = [
    ['true (no work)', ['true']],
    ['squeue (one slurmctld RPC)', ['squeue', '-h', '-o', '%i']],
  ];
  const kept = new ClusterConnection(config, { verifier });
  await check(kept, ['true']); // connect once, outside the timings
  for (const [label, argv] of commands) {
    await check(kept, argv); // warm caches on the login node
    const keptMs: number[] = [];
    const freshMs: number[] = [];
    // Interleaved, so load changes on the 2-core host hit both sides alike.
    for (let i = 0; i < RUNS; i++) {
      keptMs.push(await timed(() => check(kept, argv)));
      freshMs.push(
        await timed(async () => {
          const fresh = new ClusterConnection(config, { verifier });
          try {
            await check(fresh, argv);
          } finally {
            await fresh.close();
          }
        }),
      );
    }
    const k = median(keptMs);
    const f = median(freshMs);
    console.log(`${config.name}  ${label.padEnd(28)} kept-open ${k.toFixed(1).padStart(6)} ms   new connection ${f.toFixed(1).padStart(6)} ms   ratio new/kept ${(f / k).toFixed(1)}x`);
  }
  const argv = ['squeue', '-h', '-o', '%i'];
  const sequential = await timed(async () => {
    for (let i = 0; i < BURST; i++) await check(kept, argv);
  });
  const parallel = await timed(() => Promise.all(Array.from({ length: BURST }, () => check(kept, argv))));
  console.log(
    `${config.name}  ${BURST} x squeue on the kept connection: one after another ${sequential.toFixed(0)} ms, ` +
      `at once (cap ${kept.status().channelLimit}, peak ${kept.stats().peakChannels}) ${parallel.toFixed(0)} ms, ratio ${(sequential / parallel).toFixed(1)}x`,
  );
  await kept.close();
}

async function main(): Promise<void> {
  const clusters = ['alpha', 'beta'].map(cluster).filter((c): c is ClusterConfig => c !== null);
  if (clusters.length === 0) {
    console.log(`skipped: the Slurm test bed is not running (no cluster.json under ${STATE}); start it with sudo tests/testbed/up.sh`);
    return;
  }
  console.log(`median of ${RUNS} runs each (BENCH_SSH_RUNS to change)`);
  for (const c of clusters) await benchCluster(c);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
