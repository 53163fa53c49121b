// nodes: every node's state, GPUs and drain/down reason, from the cache.
import { nodeCanTakeWork, nodeStateLabel, type SlurmNode } from '../../../../shared/model/node';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { NodesRepo } from '../../../core/store/nodes-repo';
import { SnapshotsRepo } from '../../../core/store/snapshots-repo';
import { EXIT, stringList, type Command } from '../command';
import { age, formatTable, printJson } from '../output';

export const nodesCommand: Command = {
  path: ['nodes'],
  summary: 'nodes of every cluster with state, GPUs in use and drain/down reasons, from the cache',
  usage: 'nodes [--cluster N]... [--state LABEL,...] [--unavailable] [--json]',
  options: {
    cluster: { type: 'string', multiple: true, help: 'NAME: only this cluster' },
    state: { type: 'string', multiple: true, help: 'LABEL: idle, mixed, allocated, drained, draining, down*, …' },
    unavailable: { type: 'boolean', help: 'only nodes that cannot take work' },
  },
  async run(ctx, args) {
    const db = ctx.store().db;
    const clusters = new ClustersRepo(db);
    const snapshots = new SnapshotsRepo(db);
    const nodesRepo = new NodesRepo(db);
    const only = stringList(args, 'cluster');
    for (const n of only) clusters.idOf(n);
    const states = new Set(stringList(args, 'state').map((s) => s.toLowerCase()));
    const rows: { cluster: string; asOf: number; node: SlurmNode }[] = [];
    for (const c of clusters.list()) {
      if (only.length && !only.includes(c.name)) continue;
      const snap = snapshots.latest(c.id, 'nodes');
      if (!snap) continue;
      for (const node of nodesRepo.current(snap.id)) {
        if (states.size && !states.has(nodeStateLabel(node)) && !states.has(nodeStateLabel(node).replace(/\*$/, ''))) continue;
        if (args.values.unavailable && nodeCanTakeWork(node)) continue;
        rows.push({ cluster: c.name, asOf: snap.finishedAt, node });
      }
    }
    if (ctx.json) {
      printJson(ctx, rows.map((r) => ({ cluster: r.cluster, asOf: r.asOf, stateLabel: nodeStateLabel(r.node), canTakeWork: nodeCanTakeWork(r.node), ...r.node })));
      return EXIT.ok;
    }
    const now = Math.floor(Date.now() / 1000);
    ctx.io.stdout(
      formatTable(
        ['CLUSTER', 'NODE', 'STATE', 'GPUS USED/TOTAL', 'CPUS', 'PARTITIONS', 'REASON'],
        rows.map(({ cluster, node: n }) => [
          cluster,
          n.name,
          nodeStateLabel(n),
          n.gpus.map((g) => `${g.used}/${g.total}${g.type ? ` ${g.type}` : ''}`).join(', ') || null,
          `${n.cpus.allocated}/${n.cpus.total}`,
          n.partitions.join(',') || null,
          n.reason ? `${n.reason}${n.reasonUser ? ` (${n.reasonUser}${n.reasonTime ? `, ${age(now, n.reasonTime)}` : ''})` : ''}` : null,
        ]),
      ),
    );
    return EXIT.ok;
  },
};
