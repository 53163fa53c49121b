// `scontrol show reservation -o` (one line per reservation) into `Reservation`. `No reservations in the
// system` is an empty list, not an error.
import type { Reservation } from '../../model/reservation';
import { SlurmParseError } from './errors';
import { expandNodeField } from './hostlist';
import { isUnset, keyValueMap, listValue, splitKeyValues } from './key-value';
import { collect, outputLines, type ParseResult } from './result';
import type { ClusterTimeOptions } from './scontrol-node';
import { parseSlurmTime } from './time';

const RESV_KEYS = new Set([
  'ReservationName', 'StartTime', 'EndTime', 'Duration', 'Nodes', 'NodeCnt', 'CoreCnt', 'Features', 'PartitionName', 'Flags',
  'NodeName', 'CoreIDs', 'TRES', 'Users', 'Groups', 'Accounts', 'Licenses', 'State', 'BurstBuffer', 'Watts', 'MaxStartDelay',
  'Comment', 'Skip', 'Qos', 'AllowedPartitions',
]);
const FREE_TEXT = new Set(['Comment']);

export function parseScontrolReservationLine(line: string, options: ClusterTimeOptions, lineNo: number | null = null): Reservation {
  const kv = keyValueMap(splitKeyValues(line, { freeText: FREE_TEXT, knownKeys: RESV_KEYS }, 'scontrol-reservation', lineNo));
  const need = (key: string): string => {
    const v = kv.get(key);
    if (v === undefined) throw new SlurmParseError('scontrol-reservation', `no ${key}=`, line, lineNo);
    return v;
  };
  const start = parseSlurmTime(need('StartTime'), options.timeZone);
  if (start === null) throw new SlurmParseError('scontrol-reservation', 'reservation without a start time', line, lineNo);
  const nodesExpr = kv.get('Nodes') ?? '';
  const partition = kv.get('PartitionName');
  const tres = kv.get('TRES');
  return {
    name: need('ReservationName'),
    start,
    end: parseSlurmTime(kv.get('EndTime') ?? '', options.timeZone),
    nodesExpr: isUnset(nodesExpr) ? '' : nodesExpr,
    nodes: expandNodeField(nodesExpr),
    flags: listValue(kv.get('Flags')),
    users: listValue(kv.get('Users')),
    accounts: listValue(kv.get('Accounts')),
    partition: isUnset(partition) ? null : (partition as string),
    tres: isUnset(tres) ? null : (tres as string),
    state: need('State'),
  };
}

export function parseScontrolReservations(output: string, options: ClusterTimeOptions): ParseResult<Reservation> {
  const lines = outputLines(output)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '' && !/^No reservations in the system/.test(l.text));
  return collect(lines, (l) => l.line, (l) => parseScontrolReservationLine(l.text, options, l.line));
}
