// GPUs out of service: GPUs on nodes that are down, drained or draining, failing or not responding, grouped
// by the reason Slurm holds for them (`xid 79`, `Not responding`, `Kill task failed`), with the GPU-hours
// lost so far; and repeat offenders, nodes that went out of service again and again.
// Powered-down, future and cloud nodes are not defects and are left out; so are planned maintenance
// reservations (the MAINTENANCE flag) and nodes without GPUs.
import { nodeStateLabel, type SlurmNode } from '../../model/node';
import { paramsForNode } from '../params';
import type { AlertInput, AlertSettings, Finding, Severity } from '../types';
import { nodeGpuCount } from './partition-nodes';

/** Why a node's free GPUs cannot take work, or null when it is in service (or merely powered off). */
export function outOfServiceClass(node: Pick<SlurmNode, 'state' | 'flags'>): 'down' | 'fail' | 'not-responding' | 'drain' | 'invalid' | null {
  if (node.flags.includes('MAINTENANCE')) return null;
  if (node.state === 'DOWN' || node.state === 'ERROR') return 'down';
  if (node.flags.includes('FAIL')) return 'fail';
  if (node.flags.includes('NOT_RESPONDING')) return 'not-responding';
  if (node.flags.includes('DRAIN')) return 'drain';
  if (node.flags.includes('INVALID_REG')) return 'invalid';
  return null;
}

/** GPUs of the node that cannot take work: all of them, except those still held by jobs on a draining node. */
export function gpusOutOfService(node: SlurmNode): number {
  const cls = outOfServiceClass(node);
  if (cls === null) return 0;
  const total = nodeGpuCount(node);
  if (cls === 'drain' || cls === 'fail') return total - Math.min(total, node.gpus.reduce((a, g) => a + g.used, 0));
  return total;
}

/** Reason text as a grouping key: whitespace collapsed; nodes without a reason grouped by their state. */
export function reasonGroup(node: SlurmNode): string {
  const r = node.reason?.replace(/\s+/g, ' ').trim();
  if (r) return `reason:${r}`;
  return `state:${outOfServiceClass(node) ?? 'unknown'}`;
}

export interface OutOfServiceNode {
  node: string;
  state: string;
  gpus: number;
  gpusTotal: number;
  reason: string | null;
  reasonUser: string | null;
  reasonTime: number | null;
  partitions: string[];
}

export function outOfServiceFindings(input: AlertInput, settings: AlertSettings): Finding[] {
  const groups = new Map<string, { nodes: OutOfServiceNode[]; hold: number }>();
  for (const node of input.nodes) {
    const gpus = gpusOutOfService(node);
    if (gpus <= 0) continue;
    const params = paramsForNode(settings, input.cluster, node.partitions);
    if (!params.enabled['gpus-out-of-service']) continue;
    const key = reasonGroup(node);
    const g = groups.get(key) ?? { nodes: [], hold: Infinity };
    g.hold = Math.min(g.hold, params.outOfServiceMinutes * 60);
    g.nodes.push({
      node: node.name,
      state: nodeStateLabel(node),
      gpus,
      gpusTotal: nodeGpuCount(node),
      reason: node.reason,
      reasonUser: node.reasonUser,
      reasonTime: node.reasonTime,
      partitions: node.partitions,
    });
    groups.set(key, g);
  }
  const findings: Finding[] = [];
  for (const [subject, g] of groups) {
    g.nodes.sort((a, b) => a.node.localeCompare(b.node, 'en', { numeric: true }));
    const gpus = g.nodes.reduce((a, n) => a + n.gpus, 0);
    const times = g.nodes.map((n) => n.reasonTime).filter((t): t is number => t !== null && t <= input.at);
    // Hours lost so far per node since Slurm recorded the reason; a node without a time counts from now.
    const gpuHoursLost = g.nodes.reduce((a, n) => a + (n.reasonTime !== null && n.reasonTime <= input.at ? (n.gpus * (input.at - n.reasonTime)) / 3600 : 0), 0);
    const lossIsLowerBound = g.nodes.some((n) => n.reasonTime === null);
    const anyDown = g.nodes.some((n) => !n.state.startsWith('drain'));
    const severity: Severity = anyDown || gpus >= 8 ? 'critical' : 'warning';
    const reason = subject.startsWith('reason:') ? subject.slice('reason:'.length) : null;
    const where = g.nodes.length === 1 ? (g.nodes[0] as OutOfServiceNode).node : `${g.nodes.length} nodes`;
    const states = [...new Set(g.nodes.map((n) => n.state))].join(', ');
    findings.push({
      rule: 'gpus-out-of-service',
      subject,
      severity,
      title: `${gpus} GPU${gpus === 1 ? '' : 's'} out of service on ${where}${reason ? `: ${reason}` : ` (${states}, no reason given)`}`,
      body:
        `${g.nodes.map((n) => `${n.node} (${n.state}, ${n.gpus}/${n.gpusTotal} GPUs)`).join(', ')}` +
        `${reason ? ` — reason "${reason}"` : ''}${g.nodes[0]?.reasonUser ? ` set by ${g.nodes[0].reasonUser}` : ''}.`,
      holdSeconds: g.hold,
      since: times.length ? Math.min(...times) : null,
      detail: { gpus, gpuHoursLost: Math.round(gpuHoursLost * 100) / 100, lossIsLowerBound, reason, nodes: g.nodes },
      links: { nodes: g.nodes.map((n) => n.node), jobs: [], partition: null },
    });
  }
  return findings;
}

export function repeatOffenderFindings(input: AlertInput, settings: AlertSettings): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map(input.nodes.map((n) => [n.name, n]));
  for (const [name, h] of Object.entries(input.outOfServiceHistory)) {
    const node = byName.get(name);
    const params = paramsForNode(settings, input.cluster, node?.partitions ?? []);
    if (!params.enabled['repeat-offender'] || h.episodes < params.repeatOffenderCount) continue;
    const gpus = node ? nodeGpuCount(node) : 0;
    findings.push({
      rule: 'repeat-offender',
      subject: `node:${name}`,
      severity: 'warning',
      title: `${name} went out of service ${h.episodes} times in ${params.repeatOffenderDays} days`,
      body:
        `${name}${gpus ? ` (${gpus} GPUs)` : ''} was drained, down or failing ${h.episodes} separate times since ` +
        `${new Date((input.at - params.repeatOffenderDays * 86_400) * 1000).toISOString().slice(0, 10)}` +
        `${node ? `; now ${nodeStateLabel(node)}${node.reason ? ` ("${node.reason}")` : ''}` : ''}. Consider taking it out for repair.`,
      holdSeconds: 0,
      since: null,
      detail: { episodes: h.episodes, lastStarted: h.lastStarted, days: params.repeatOffenderDays, gpus },
      links: { nodes: [name], jobs: [], partition: null },
    });
  }
  return findings;
}
