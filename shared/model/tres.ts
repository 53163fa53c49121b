// Trackable resources (TRES) as one job, node or run holds them. Parsed from strings such as
// `cpu=8,mem=64G,node=1,billing=40,gres/gpu=4,gres/gpu:a100=4` (sacct AllocTRES, squeue tres-alloc) or from
// the JSON TRES lists; both end in this shape.

export interface Tres {
  cpu: number;
  /** Memory in MiB (Slurm's unit for mem=). */
  memMiB: number;
  node: number;
  /** The billing TRES: TRESBillingWeights applied by Slurm at allocation time. */
  billing: number;
  /** `gres/gpu` — all GPUs, whatever their type. */
  gpu: number;
  /** `gres/gpu:<type>` counts; empty when the cluster does not track typed GPUs. */
  gpuByType: Record<string, number>;
  /** Every other TRES by its full name (`energy`, `fs/disk`, `license/matlab`, `gres/shard`, …). */
  other: Record<string, number>;
}

export function emptyTres(): Tres {
  return { cpu: 0, memMiB: 0, node: 0, billing: 0, gpu: 0, gpuByType: {}, other: {} };
}
