// Node records into the model's `SlurmNode`: `scontrol show node --json` (23.02+) and the per-node list
// of 22.05's `sinfo --json` (same fields). GRES (`gres`, `gres_used` with `IDX:`) go through the one GRES
// parser, states through the one state parser (see node-state.ts).
import { z } from 'zod';
import type { SlurmNode } from '../../model/node';
import { parseNodeGres } from '../parse/gres';
import { parseEnvelope, mainList } from './envelope';
import { flexNodeState, nodeStateFrom } from './node-state';
import { convertRecords, field, type JsonResult } from './result';
import { epochOrNull, flexNameList, flexNumber, nameList, numberOr, textOrNull } from './values';

const str = z.string().nullable().optional();

export const nodeSchema = z.object({
  name: z.string().min(1),
  state: flexNodeState,
  state_flags: z.array(z.string()).nullable().optional(),
  reason: str,
  reason_set_by_user: str,
  reason_changed_at: flexNumber,
  partitions: flexNameList,
  cpus: flexNumber,
  alloc_cpus: flexNumber,
  real_memory: flexNumber,
  alloc_memory: flexNumber,
  gres: str,
  gres_used: str,
  features: flexNameList,
  active_features: flexNameList,
});
export type NodeRecord = z.infer<typeof nodeSchema>;

export function toSlurmNode(n: NodeRecord): SlurmNode {
  const { state, flags } = nodeStateFrom(n.state, n.state_flags, 'state');
  const gres = field('gres', () => parseNodeGres(n.gres ?? '', n.gres_used ?? null));
  return {
    name: n.name,
    state,
    flags,
    reason: textOrNull(n.reason ?? null),
    reasonUser: textOrNull(n.reason_set_by_user ?? null),
    reasonTime: epochOrNull(n.reason_changed_at, 'reason_changed_at'),
    partitions: nameList(n.partitions),
    cpus: { total: numberOr(n.cpus, 'cpus', 0), allocated: numberOr(n.alloc_cpus, 'alloc_cpus', 0) },
    memoryMiB: { total: numberOr(n.real_memory, 'real_memory', 0), allocated: numberOr(n.alloc_memory, 'alloc_memory', 0) },
    gpus: gres.gpus,
    // Active features, as on the text path (they differ from the available ones on nodes that change
    // features at boot); the available list where a record has no active one.
    features: nameList(n.active_features ?? n.features),
    otherGres: gres.otherGres,
  };
}

/** `scontrol show node --json` (23.02+). */
export function normaliseScontrolNodeJson(text: string): JsonResult<SlurmNode> {
  const env = parseEnvelope(text, 'scontrol-node');
  const records = mainList(env, 'scontrol-node', ['nodes']);
  const { items, errors } = convertRecords('scontrol-node', 'nodes', records, nodeSchema, toSlurmNode);
  return { items, version: env.version, warnings: env.warnings, errors };
}
