// The persistent scontrol session against the real scontrol of both test-bed clusters (22.05, 24.11), over
// a real ssh2 connection: its answers equal the one-shot commands' (volatile counters aside), one session
// answers many requests, a failed RPC comes back as Slurm's message, a cut channel fails as `lost`, and
// the sync path uses the session (one long-lived channel) instead of a process per show command.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionChannel } from '../../electron/core/collect/persistent-session';
import { ScontrolSession } from '../../electron/core/collect/scontrol-session';
import { ShellSession } from '../../electron/core/collect/shell-session';
import { ClusterSync } from '../../electron/core/runtime/cluster-sync';
import type { ExecError } from '../../electron/core/ssh/exec';
import type { ClusterConnection } from '../../electron/core/ssh/connection';
import { ConnectionPool } from '../../electron/core/ssh/pool';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { openStore, type Store } from '../../electron/core/store/db';
import {
  scontrolJobsCommand,
  scontrolNodesCommand,
  scontrolPartitionsCommand,
  scontrolReservationsCommand,
  sdiagCommand,
  sprioCommand,
  squeueCommand,
  sshareCommand,
  type SlurmCommand,
} from '../../shared/slurm/commands';
import { parseSdiag } from '../../shared/slurm/parse/sdiag';
import { parseSlurmVersion } from '../../shared/slurm/version';
import { parseScontrolNodes } from '../../shared/slurm/parse/scontrol-node';
import { KNOWN_HOSTS, testbedCluster, testbedConnection, testbedVerifier } from './ssh-helpers';
import { CLUSTERS, readCluster } from './testbed';

/** Counters that move between two reads a few ms apart. */
const VOLATILE = /\b(CPULoad|FreeMem|RunTime|LastBusyTime|ResumeAfterTime|AllocMem|CPUAlloc|CPUEfctv)=\S*/g;
const steady = (text: string) => text.replace(VOLATILE, '').split('\n').sort().join('\n');

describe.each(CLUSTERS)('persistent scontrol session on %s', (name) => {
  let conn: ClusterConnection;
  let session: ScontrolSession;

  beforeAll(async () => {
    conn = testbedConnection(testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] }));
    await conn.connect();
    session = new ScontrolSession((argv, env) => conn.execStream(argv, { env }));
  });
  afterAll(async () => {
    session?.close();
    await conn?.close();
  });

  const cases: [string, SlurmCommand][] = [
    ['node', scontrolNodesCommand()],
    ['partition', scontrolPartitionsCommand()],
    ['reservation', scontrolReservationsCommand()],
    ['job', scontrolJobsCommand()],
  ];

  it.each(cases)('show %s: the same answer as the one-shot command', async (entity, command) => {
    for (let attempt = 1; ; attempt++) {
      const [viaSession, oneShot] = await Promise.all([session.run(['show', entity]), conn.exec(command.argv, { env: command.env })]);
      expect(viaSession.code, viaSession.stderr).toBe(0);
      expect(oneShot.code, oneShot.stderr).toBe(0);
      expect(viaSession.stdout.length).toBeGreaterThan(0);
      // The queue and node states move; retry a few times before calling a difference real.
      if (steady(viaSession.stdout) === steady(oneShot.stdout) || attempt === 5) {
        expect(steady(viaSession.stdout)).toBe(steady(oneShot.stdout));
        break;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  it('answers 200 requests on one channel, each complete (every node every time)', async () => {
    const nodes = parseScontrolNodes((await conn.exec(scontrolNodesCommand().argv, { env: scontrolNodesCommand().env })).stdout, { timeZone: 'UTC' }).items.length;
    const t = performance.now();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => session.run(['show', i % 2 ? 'node' : 'partition'])));
    const ms = performance.now() - t;
    for (const [i, a] of answers.entries()) {
      expect(a.code).toBe(0);
      if (i % 2) expect(parseScontrolNodes(a.stdout, { timeZone: 'UTC' }).items).toHaveLength(nodes);
      else expect(a.stdout).toMatch(/^PartitionName=/);
    }
    console.log(`[session] ${name}: 200 show requests in ${ms.toFixed(0)} ms (${(ms / 200).toFixed(2)} ms each), ${conn.stats().peakChannels} channel(s) at peak`);
  });

  it('a command scontrol rejects comes back with its message; the session keeps answering', async () => {
    const bad = await session.run(['show', 'nosuchentity']);
    expect(bad.stderr + bad.stdout).toMatch(/invalid|not found|unknown/i);
    expect((await session.run(['show', 'partition'])).stdout).toMatch(/^PartitionName=/);
  });

  it('a channel cut mid-request fails as lost; the next request opens a new session', async () => {
    // The channel is closed the moment `show job` has been written: no answer can be back yet.
    let opened = 0;
    const cuts = new ScontrolSession(async (argv, env) => {
      const ch = await conn.execStream(argv, { env });
      opened++;
      return {
        write: (data: string) => {
          const r = ch.write(data);
          if (data.startsWith('show job\n')) ch.close();
          return r;
        },
        end: () => ch.end(),
        close: () => ch.close(),
        on: ((event: 'data' | 'close', listener: (chunk: Buffer) => void) => ch.on(event, listener)) as SessionChannel['on'],
        stderr: ch.stderr,
      };
    });
    await cuts.run(['show', 'partition']);
    const err = (await cuts.run(['show', 'job']).then(
      () => null,
      (e: unknown) => e,
    )) as ExecError | null;
    expect(err?.kind).toBe('lost');
    expect((await cuts.run(['show', 'partition'])).stdout).toMatch(/^PartitionName=/);
    expect(opened).toBe(2);
    cuts.close();
  });
});

describe.each(CLUSTERS)('shell session on %s', (name) => {
  let conn: ClusterConnection;
  let shell: ShellSession;

  beforeAll(async () => {
    conn = testbedConnection(testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] }));
    await conn.connect();
    shell = new ShellSession((argv, env) => conn.execStream(argv, { env }));
  });
  afterAll(async () => {
    shell?.close();
    await conn?.close();
  });

  it('sshare, sprio and squeue answer exactly as their one-shot commands; sdiag parses', async () => {
    const version = parseSlurmVersion(readCluster(name).slurmVersion);
    for (const command of [sshareCommand(), sprioCommand(version), squeueCommand()]) {
      for (let attempt = 1; ; attempt++) {
        const [viaShell, oneShot] = await Promise.all([shell.run(command), conn.exec(command.argv, { env: command.env })]);
        expect(viaShell.code, viaShell.stderr).toBe(0);
        if ((viaShell.stdout === oneShot.stdout && viaShell.stderr === oneShot.stderr) || attempt === 5) {
          expect({ stdout: viaShell.stdout, stderr: viaShell.stderr }).toEqual({ stdout: oneShot.stdout, stderr: oneShot.stderr });
          break;
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    const sdiag = await shell.run(sdiagCommand());
    expect(sdiag.code).toBe(0);
    expect(parseSdiag(sdiag.stdout).serverThreadCount).toBeGreaterThan(0);
  });

  it('a failing command gives the same exit code and message as on its own channel', async () => {
    const bad: SlurmCommand = { argv: ['squeue', '--no-such-option'], env: {} };
    const [viaShell, oneShot] = await Promise.all([shell.run(bad), conn.exec(bad.argv)]);
    expect(viaShell.code).toBe(oneShot.code);
    expect(viaShell.code).not.toBe(0);
    expect(viaShell.stderr).toBe(oneShot.stderr);
  });
});

describe.each(CLUSTERS)('sync over the session on %s', (name) => {
  let store: Store;
  let pool: ConnectionPool;
  let sync: ClusterSync;

  beforeAll(async () => {
    store = openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-session-')) });
    const config = testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] });
    new ClustersRepo(store.db).save(config, Math.floor(Date.now() / 1000));
    pool = new ConnectionPool({ verifier: testbedVerifier(), autoReconnect: false });
    sync = new ClusterSync(store, pool);
    await sync.capabilities(config);
  });
  afterAll(async () => {
    sync?.closeSessions();
    await pool?.closeAll();
    store?.close();
  });

  it('every cycle is answered by the same long-lived sessions: at most 4 channels stay open, none are added', async () => {
    const conn = pool.get(testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] }));
    const kinds = ['queue', 'nodes', 'partitions', 'reservations', 'fairshare', 'priority', 'controller', 'accounting'] as const;
    expect((await sync.sync(name, { kinds })).errors).toEqual([]);
    const open = conn.stats().channelsInUse;
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThanOrEqual(4); // the scontrol session, two shells, the sacct shell (the probe's sacct --helpformat)
    for (let i = 0; i < 3; i++) {
      const r = await sync.sync(name, { kinds });
      expect(r.errors).toEqual([]);
      expect(r.snapshots[0]?.rows.nodes).toBeGreaterThan(0);
      expect(conn.stats().channelsInUse).toBe(open);
    }
  });
});
