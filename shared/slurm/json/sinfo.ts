// `sinfo --json` comes in two layouts:
//   - 22.05 (openapi v0.0.38): `nodes[]`, one full record per node (the fields of `scontrol show node`),
//     and no partitions at all;
//   - data_parser: `sinfo[]`, one entry per group of nodes sharing partition and state, each with the
//     whole partition record; CPU, memory and GRES figures are per group, so no per-node model can be
//     built from it (`scontrol show node --json` has those), but the partitions can.
// The layout is recognised by shape, so the right question gets a clear answer on either.
import { z } from 'zod';
import type { SlurmNode } from '../../model/node';
import { mainList, parseEnvelope, type Envelope } from './envelope';
import { SlurmJsonError } from './errors';
import { nodeSchema, toSlurmNode } from './nodes';
import { PARTITION_GAP_WARNING, partitionSchema, toJsonPartition, type JsonPartition } from './partitions';
import { convertRecords, type JsonResult } from './result';

function layout(env: Envelope): 'nodes' | 'grouped' | null {
  if (Array.isArray(env.doc.sinfo)) return 'grouped';
  if (Array.isArray(env.doc.nodes)) return 'nodes';
  return null;
}

/** Nodes from 22.05's per-node `sinfo --json`. On the grouped layout: use `scontrol show node --json`. */
export function normaliseSinfoNodesJson(text: string): JsonResult<SlurmNode> {
  const env = parseEnvelope(text, 'sinfo');
  if (layout(env) === 'grouped') {
    throw new SlurmJsonError('sinfo', 'shape', 'this sinfo --json groups nodes by partition and state, with per-group figures; per-node data comes from scontrol show node --json', '$.sinfo', env.version.parser ?? '');
  }
  const records = mainList(env, 'sinfo', ['nodes']);
  const { items, errors } = convertRecords('sinfo', 'nodes', records, nodeSchema, toSlurmNode);
  return { items, version: env.version, warnings: env.warnings, errors };
}

const groupSchema = z.object({ partition: partitionSchema });

/** Partitions from the grouped `sinfo --json` (one per partition name). 22.05's sinfo has none. */
export function normaliseSinfoPartitionsJson(text: string): JsonResult<JsonPartition> {
  const env = parseEnvelope(text, 'sinfo');
  if (layout(env) === 'nodes') {
    throw new SlurmJsonError('sinfo', 'shape', 'this sinfo --json (per-node layout) has no partitions; use scontrol show partition -o', '$.nodes', env.version.parser ?? '');
  }
  const records = mainList(env, 'sinfo', ['sinfo']);
  const seen = new Set<string>();
  const { items, errors } = convertRecords('sinfo', 'sinfo', records, groupSchema, (g) => {
    if (seen.has(g.partition.name)) return null;
    seen.add(g.partition.name);
    return toJsonPartition(g.partition);
  });
  return { items, version: env.version, warnings: [...env.warnings, PARTITION_GAP_WARNING], errors };
}
