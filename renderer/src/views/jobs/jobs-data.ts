// The Jobs table decoded once per answer from the core: typed arrays and dictionaries, one entry per row.
// Filters and sorting read these directly; no row objects are built for 50k jobs.
import { decodeDict, decodeU32, dictValue, NULL_U32, type DecodedDict } from '../../../../shared/api/column-codec';
import type { JobsTable, JobsTableCluster } from '../../../../shared/api/methods/jobs';

export interface JobsData {
  count: number;
  clusters: JobsTableCluster[];
  /** Index into `clusters`. */
  cluster: Uint32Array;
  jobIdRaw: Uint32Array;
  jobId: DecodedDict;
  name: DecodedDict;
  user: DecodedDict;
  account: DecodedDict;
  partition: DecodedDict;
  qos: DecodedDict;
  state: DecodedDict;
  reason: DecodedDict;
  gpus: Uint32Array;
  gpuType: DecodedDict;
  nodes: DecodedDict;
  numNodes: Uint32Array;
  submitTime: Uint32Array;
  startTime: Uint32Array;
  timeLimit: Uint32Array;
  restarts: Uint32Array;
  priority: Uint32Array;
}

export function decodeJobsTable(t: JobsTable): JobsData {
  const n = t.count;
  const c = t.columns;
  const data: JobsData = {
    count: n,
    clusters: t.clusters,
    cluster: decodeU32(c.cluster, n),
    jobIdRaw: decodeU32(c.jobIdRaw, n),
    jobId: decodeDict(c.jobId, n),
    name: decodeDict(c.name, n),
    user: decodeDict(c.user, n),
    account: decodeDict(c.account, n),
    partition: decodeDict(c.partition, n),
    qos: decodeDict(c.qos, n),
    state: decodeDict(c.state, n),
    reason: decodeDict(c.reason, n),
    gpus: decodeU32(c.gpus, n),
    gpuType: decodeDict(c.gpuType, n),
    nodes: decodeDict(c.nodes, n),
    numNodes: decodeU32(c.numNodes, n),
    submitTime: decodeU32(c.submitTime, n),
    startTime: decodeU32(c.startTime, n),
    timeLimit: decodeU32(c.timeLimit, n),
    restarts: decodeU32(c.restarts, n),
    priority: decodeU32(c.priority, n),
  };
  for (let i = 0; i < n; i++) {
    if ((data.cluster[i] as number) >= t.clusters.length) throw new Error(`row ${i} names cluster ${data.cluster[i]} of ${t.clusters.length}`);
  }
  return data;
}

/** A nullable Uint32 value. */
export function u32OrNull(column: Uint32Array, i: number): number | null {
  const v = column[i] as number;
  return v === NULL_U32 ? null : v;
}

/** One row as an object: only for the few rows on screen and the drawer. */
export interface JobRow {
  index: number;
  cluster: string;
  timeZone: string | null;
  jobIdRaw: number;
  jobId: string;
  name: string;
  user: string;
  account: string;
  partition: string;
  qos: string;
  state: string;
  reason: string | null;
  gpus: number;
  gpuType: string | null;
  nodes: string | null;
  numNodes: number;
  submitTime: number | null;
  startTime: number | null;
  timeLimit: number | null;
  restarts: number;
  priority: number | null;
}

export function rowAt(d: JobsData, i: number): JobRow {
  const cl = d.clusters[d.cluster[i] as number] as JobsTableCluster;
  return {
    index: i,
    cluster: cl.name,
    timeZone: cl.timeZone,
    jobIdRaw: d.jobIdRaw[i] as number,
    jobId: dictValue(d.jobId, i) ?? '',
    name: dictValue(d.name, i) ?? '',
    user: dictValue(d.user, i) ?? '',
    account: dictValue(d.account, i) ?? '',
    partition: dictValue(d.partition, i) ?? '',
    qos: dictValue(d.qos, i) ?? '',
    state: dictValue(d.state, i) ?? '',
    reason: dictValue(d.reason, i),
    gpus: d.gpus[i] as number,
    gpuType: dictValue(d.gpuType, i),
    nodes: dictValue(d.nodes, i),
    numNodes: d.numNodes[i] as number,
    submitTime: u32OrNull(d.submitTime, i),
    startTime: u32OrNull(d.startTime, i),
    timeLimit: u32OrNull(d.timeLimit, i),
    restarts: d.restarts[i] as number,
    priority: u32OrNull(d.priority, i),
  };
}

/** Selection key of a row: a job id is unique only within its cluster. */
export function rowKey(d: JobsData, i: number): string {
  return `${d.clusters[d.cluster[i] as number]?.name ?? '?'}:${d.jobIdRaw[i] as number}`;
}
