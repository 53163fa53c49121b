// `scontrol show partition -o` (one line per partition) into `Partition`.
import type { Partition } from '../../model/partition';
import { parseDuration, timeLimitSeconds } from './duration';
import { SlurmParseError } from './errors';
import { expandNodeField } from './hostlist';
import { isUnset, keyValueMap, listValue, splitKeyValues } from './key-value';
import { parseDecimal, parseInteger } from './numbers';
import { collect, outputLines, type ParseResult } from './result';

const NO_FREE_TEXT = { freeText: new Set<string>(), knownKeys: new Set<string>() };

export function parseScontrolPartitionLine(line: string, lineNo: number | null = null): Partition {
  const kv = keyValueMap(splitKeyValues(line, NO_FREE_TEXT, 'scontrol-partition', lineNo));
  const need = (key: string): string => {
    const v = kv.get(key);
    if (v === undefined) throw new SlurmParseError('scontrol-partition', `no ${key}=`, line, lineNo);
    return v;
  };
  const name = need('PartitionName');
  const nodesExpr = kv.get('Nodes') ?? '';
  const qos = kv.get('QoS');
  const weights = kv.get('TRESBillingWeights');
  return {
    name,
    nodesExpr: isUnset(nodesExpr) ? '' : nodesExpr,
    nodes: expandNodeField(nodesExpr),
    state: need('State'),
    isDefault: kv.get('Default') === 'YES',
    priorityTier: parseInteger(kv.get('PriorityTier') ?? '1', 'scontrol-partition'),
    priorityJobFactor: parseInteger(kv.get('PriorityJobFactor') ?? '1', 'scontrol-partition'),
    preemptMode: kv.get('PreemptMode') ?? 'OFF',
    tresBillingWeights: isUnset(weights) ? null : (weights as string),
    qos: isUnset(qos) ? null : (qos as string),
    allowQos: listValue(kv.get('AllowQos')),
    maxTime: timeLimitSeconds(parseDuration(kv.get('MaxTime') ?? 'UNLIMITED')),
    defaultTime: timeLimitSeconds(parseDuration(kv.get('DefaultTime') ?? 'NONE')),
    totalCpus: parseDecimal(kv.get('TotalCPUs') ?? '0', 'scontrol-partition'),
    totalNodes: parseInteger(kv.get('TotalNodes') ?? '0', 'scontrol-partition'),
  };
}

export function parseScontrolPartitions(output: string): ParseResult<Partition> {
  const lines = outputLines(output)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '' && !/^No partitions in the system/.test(l.text));
  return collect(lines, (l) => l.line, (l) => parseScontrolPartitionLine(l.text, l.line));
}
