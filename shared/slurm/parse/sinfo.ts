// `sinfo -N -h -O <fields>` into `SlurmNode`: the second view of the nodes (the console reads them from
// `scontrol show node -o -d`, which has more), used to cross-check node counts and states, and usable
// where scontrol is restricted. sinfo prints one row per node and partition; rows are merged per node.
// The reason is free text and so comes last; `|` is the delimiter as for squeue.
import type { SlurmNode } from '../../model/node';
import { SlurmParseError } from './errors';
import { parseNodeGres } from './gres';
import { isUnset } from './key-value';
import { parseInteger } from './numbers';
import type { ParseResult } from './result';
import type { ClusterTimeOptions } from './scontrol-node';
import { parseNodeState } from './states';
import { parseSlurmTime } from './time';

export const SINFO_FIELDS = ['NodeList', 'StateComplete', 'Partition', 'CPUsState', 'Memory', 'AllocMem', 'Gres', 'GresUsed', 'Timestamp', 'UserLong', 'Reason'] as const;

function parseRow(line: string, lineNo: number, options: ClusterTimeOptions): SlurmNode {
  if (!line.endsWith('|')) throw new SlurmParseError('sinfo', 'record does not end with the delimiter', line, lineNo);
  const parts = line.slice(0, -1).split('|');
  const n = SINFO_FIELDS.length;
  if (parts.length < n) throw new SlurmParseError('sinfo', `expected ${n} fields, found ${parts.length}`, line, lineNo);
  const [name, state, partition, cpus, memory, allocMem, gres, gresUsed, timestamp, user] = parts as string[];
  const reason = parts.slice(n - 1).join('|');
  const cpuParts = (cpus as string).split('/');
  if (cpuParts.length !== 4) throw new SlurmParseError('sinfo', 'CPUsState is not A/I/O/T', line, lineNo);
  const { state: base, flags } = parseNodeState(state as string);
  const g = parseNodeGres(gres as string, gresUsed as string);
  const hasReason = !isUnset(reason);
  const who = /^(.+?)(\(\d+\))?$/.exec(user as string);
  return {
    name: name as string,
    state: base,
    flags,
    reason: hasReason ? reason : null,
    reasonUser: hasReason && user !== 'Unknown' && who ? (who[1] as string) : null,
    reasonTime: hasReason ? parseSlurmTime(timestamp as string, options.timeZone) : null,
    // The default partition carries a `*` in sinfo.
    partitions: isUnset(partition) ? [] : [(partition as string).replace(/\*$/, '')],
    cpus: { total: parseInteger(cpuParts[3] as string, 'sinfo'), allocated: parseInteger(cpuParts[0] as string, 'sinfo') },
    memoryMiB: { total: parseInteger(memory as string, 'sinfo'), allocated: parseInteger(allocMem as string, 'sinfo') },
    gpus: g.gpus,
    features: [],
    otherGres: g.otherGres,
  };
}

/** Parse sinfo output produced with `SINFO_FIELDS`, one node per name with its partitions merged. */
export function parseSinfoNodes(output: string, options: ClusterTimeOptions): ParseResult<SlurmNode> {
  const byName = new Map<string, SlurmNode>();
  const errors: SlurmParseError[] = [];
  output.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    try {
      const node = parseRow(line, i + 1, options);
      const seen = byName.get(node.name);
      if (!seen) byName.set(node.name, node);
      else for (const p of node.partitions) if (!seen.partitions.includes(p)) seen.partitions.push(p);
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      errors.push(err.line === null ? new SlurmParseError('sinfo', `${err.parser}: ${err.reason}`, err.input, i + 1) : err);
    }
  });
  return { items: [...byName.values()], errors };
}
