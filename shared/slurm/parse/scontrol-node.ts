// `scontrol show node -o -d` (one line per node) into `SlurmNode`. The node's `Reason=` is free text
// followed by `[user@time]`; `OS=` is free text too. GPUs come from `Gres=` and `GresUsed=` (with `IDX:`
// thanks to `-d`); where a version prints no `GresUsed=`, the typed GPU counts of `AllocTRES=` stand in.
import type { NodeGpus, SlurmNode } from '../../model/node';
import { SlurmParseError } from './errors';
import { parseNodeGres } from './gres';
import { isUnset, keyValueMap, listValue, splitKeyValues } from './key-value';
import { parseInteger } from './numbers';
import { collect, outputLines, type ParseResult } from './result';
import { parseNodeState } from './states';
import { parseSlurmTime } from './time';
import { parseTres } from './tres';

export interface ClusterTimeOptions {
  /** IANA zone of the cluster, to read its local timestamps. */
  timeZone: string;
}

/** Keys `scontrol show node` prints in 22.05 … 25.11; they end a free-text value. */
const NODE_KEYS = new Set([
  'NodeName', 'Arch', 'CoresPerSocket', 'CPUAlloc', 'CPUEfctv', 'CPUTot', 'CPULoad', 'AvailableFeatures', 'ActiveFeatures',
  'Features', 'Gres', 'GresDrain', 'GresUsed', 'NodeAddr', 'NodeHostName', 'Port', 'Version', 'OS', 'RealMemory', 'AllocMem',
  'FreeMem', 'Sockets', 'Boards', 'State', 'ThreadsPerCore', 'TmpDisk', 'Weight', 'Owner', 'MCS_label', 'Partitions', 'BootTime',
  'SlurmdStartTime', 'LastBusyTime', 'ResumeAfterTime', 'CfgTRES', 'AllocTRES', 'CapWatts', 'CurrentWatts', 'AveWatts',
  'LowestJoules', 'ConsumedJoules', 'ExtSensorsJoules', 'ExtSensorsWatts', 'ExtSensorsTemp', 'Reason', 'Comment', 'Extra',
  'InstanceId', 'InstanceType', 'MemSpecLimit', 'CoreSpecCount', 'CPUSpecList', 'NextState', 'Topology', 'ReservationName',
  'RestrictedCoresPerGPU', 'Power', 'LastStateChange', 'TopologyParam',
]);
const FREE_TEXT = new Set(['OS', 'Reason', 'Comment', 'Extra']);

/** `xid 79: GPU fell off the bus [root@2025-11-26T10:00:00]` → text, user, time. */
function splitReason(value: string, timeZone: string): { reason: string; user: string | null; time: number | null } {
  const m = /^(.*?)\s*\[([^@\]\s]+)@([^\]\s]+)\]$/.exec(value);
  if (!m) return { reason: value, user: null, time: null };
  return { reason: m[1] as string, user: m[2] as string, time: parseSlurmTime(m[3] as string, timeZone) };
}

function gpusFromAllocTres(gres: string, allocTres: string | undefined): NodeGpus[] {
  const base = parseNodeGres(gres, null).gpus;
  if (isUnset(allocTres)) return base;
  const alloc = parseTres(allocTres as string);
  return base.map((g) => ({ ...g, used: g.type === null ? alloc.gpu : (alloc.gpuByType[g.type] ?? 0) }));
}

export function parseScontrolNodeLine(line: string, options: ClusterTimeOptions, lineNo: number | null = null): SlurmNode {
  const kv = keyValueMap(splitKeyValues(line, { freeText: FREE_TEXT, knownKeys: NODE_KEYS }, 'scontrol-node', lineNo));
  const need = (key: string): string => {
    const v = kv.get(key);
    if (v === undefined || v === '') throw new SlurmParseError('scontrol-node', `no ${key}=`, line, lineNo);
    return v;
  };
  const name = need('NodeName');
  const { state, flags } = parseNodeState(need('State'));
  const cpuTotal = kv.get('CPUEfctv') ?? need('CPUTot');
  const gres = kv.get('Gres') ?? '(null)';
  const gresUsed = kv.get('GresUsed');
  const node = gresUsed === undefined ? { gpus: gpusFromAllocTres(gres, kv.get('AllocTRES')), otherGres: parseNodeGres(gres, null).otherGres } : parseNodeGres(gres, gresUsed);
  const reasonValue = kv.get('Reason');
  const reason = isUnset(reasonValue) ? null : splitReason(reasonValue as string, options.timeZone);
  const features = kv.get('ActiveFeatures') ?? kv.get('AvailableFeatures') ?? kv.get('Features');
  return {
    name,
    state,
    flags,
    reason: reason?.reason ?? null,
    reasonUser: reason?.user ?? null,
    reasonTime: reason?.time ?? null,
    partitions: listValue(kv.get('Partitions')),
    cpus: { total: parseInteger(cpuTotal, 'scontrol-node'), allocated: parseInteger(kv.get('CPUAlloc') ?? '0', 'scontrol-node') },
    memoryMiB: { total: parseInteger(need('RealMemory'), 'scontrol-node'), allocated: parseInteger(kv.get('AllocMem') ?? '0', 'scontrol-node') },
    gpus: node.gpus,
    features: listValue(features),
    otherGres: node.otherGres,
  };
}

/** Parse the whole output, one node per non-empty line. */
export function parseScontrolNodes(output: string, options: ClusterTimeOptions): ParseResult<SlurmNode> {
  const lines = outputLines(output)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '' && !/^No nodes in the system/.test(l.text));
  return collect(lines, (l) => l.line, (l) => parseScontrolNodeLine(l.text, options, l.line));
}
