// Partition records (`scontrol show partition --json`, and the partition inside each `sinfo --json`
// group) into the model's `Partition`. No data_parser version (v0.0.39 … v0.0.44: checked in the
// generated OpenAPI specs and in captured output) prints PreemptMode or the Default flag, and v0.0.39
// prints no partition state, so the JSON gives a `JsonPartition` without them; `completePartition`
// adds them from the text output (`scontrol show partition -o`) to make a full `Partition`.
import { z } from 'zod';
import type { Partition } from '../../model/partition';
import { expandNodeField } from '../parse/hostlist';
import { parseEnvelope, mainList } from './envelope';
import { convertRecords, field, type JsonResult } from './result';
import { flexNumber, minutesLimit, nameList, numberOr, textOrNull } from './values';

const str = z.string().nullable().optional();

export const partitionSchema = z.object({
  name: z.string().min(1),
  nodes: z.object({ configured: str, total: flexNumber }).partial().nullable().optional(),
  cpus: z.object({ total: flexNumber }).partial().nullable().optional(),
  qos: z.object({ allowed: str, assigned: str }).partial().nullable().optional(),
  tres: z.object({ billing_weights: str }).partial().nullable().optional(),
  defaults: z.object({ time: flexNumber }).partial().nullable().optional(),
  maximums: z.object({ time: flexNumber }).partial().nullable().optional(),
  priority: z.object({ tier: flexNumber, job_factor: flexNumber }).partial().nullable().optional(),
  partition: z.object({ state: z.union([z.array(z.string()), z.string()]).optional() }).partial().nullable().optional(),
});
export type PartitionRecord = z.infer<typeof partitionSchema>;

/** What the JSON can say about a partition. */
export type JsonPartition = Omit<Partition, 'isDefault' | 'preemptMode' | 'state'> & {
  /** `UP`, `DOWN`, `DRAIN`, `INACTIVE`; null where the version prints none (v0.0.39). */
  state: string | null;
};

export function toJsonPartition(p: PartitionRecord): JsonPartition {
  const nodesExpr = p.nodes?.configured ?? '';
  const stateValue = p.partition?.state;
  const states = typeof stateValue === 'string' ? [stateValue] : (stateValue ?? []);
  return {
    name: p.name,
    nodesExpr,
    nodes: field('nodes.configured', () => expandNodeField(nodesExpr)),
    state: states.length > 0 ? states.join('+').toUpperCase() : null,
    priorityTier: numberOr(p.priority?.tier, 'priority.tier', 0),
    priorityJobFactor: numberOr(p.priority?.job_factor, 'priority.job_factor', 0),
    tresBillingWeights: textOrNull(p.tres?.billing_weights ?? null),
    qos: textOrNull(p.qos?.assigned ?? null),
    // JSON prints an unrestricted AllowQos as "", scontrol as `AllowQos=ALL`; the model keeps Slurm's word.
    allowQos: textOrNull(p.qos?.allowed ?? null) === null ? ['ALL'] : nameList(p.qos?.allowed ?? null),
    maxTime: minutesLimit(p.maximums?.time, 'maximums.time'),
    defaultTime: minutesLimit(p.defaults?.time, 'defaults.time'),
    totalCpus: numberOr(p.cpus?.total, 'cpus.total', 0),
    totalNodes: numberOr(p.nodes?.total, 'nodes.total', 0),
  };
}

/** Make a full `Partition` from the JSON's and the fields only the text output has. */
export function completePartition(p: JsonPartition, fromText: Pick<Partition, 'isDefault' | 'preemptMode' | 'state'>): Partition {
  return { ...p, isDefault: fromText.isDefault, preemptMode: fromText.preemptMode, state: p.state ?? fromText.state };
}

export const PARTITION_GAP_WARNING = 'JSON partitions carry neither PreemptMode nor the Default flag (no data_parser version prints them); complete them from scontrol show partition -o';

/** `scontrol show partition --json` (23.02+). */
export function normaliseScontrolPartitionJson(text: string): JsonResult<JsonPartition> {
  const env = parseEnvelope(text, 'scontrol-partition');
  const records = mainList(env, 'scontrol-partition', ['partitions']);
  const { items, errors } = convertRecords('scontrol-partition', 'partitions', records, partitionSchema, toJsonPartition);
  return { items, version: env.version, warnings: [...env.warnings, PARTITION_GAP_WARNING], errors };
}
