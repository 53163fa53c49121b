// What a cluster offers to this console and this user, found by the probe on connect.

export type JsonCommand = 'squeue' | 'sinfo' | 'sacct' | 'scontrol' | 'sshare' | 'sacctmgr' | 'sdiag';
export type AdminLevel = 'None' | 'Operator' | 'Administrator';

export interface Capabilities {
  /** `22.05.8`, `24.11.5`, … from `sinfo -V`. */
  slurmVersion: string;
  /** Per command: the data_parser (or openapi) version its `--json` prints, or null when it has none. */
  json: Partial<Record<JsonCommand, string | null>>;
  /** Whether slurmdbd answered (sacct works). */
  accounting: boolean;
  accountingError: string | null;
  /** The SSH user's Slurm AdminLevel and the accounts it coordinates. */
  user: string;
  adminLevel: AdminLevel;
  coordinatorOf: string[];
  /** `PrivateData` from the controller's config (`jobs`, `usage`, …); empty when nothing is hidden. */
  privateData: string[];
  /** IANA zone of the cluster's login node (`TZ` / `/etc/localtime`), used to read Slurm's local times. */
  timeZone: string;
  /** Which optional commands work: sprio, sshare, sdiag need configured plugins / permissions. */
  commands: Partial<Record<'sprio' | 'sshare' | 'sdiag' | 'sreport' | 'nvidia-smi', boolean>>;
  /** Field names `sacct --helpformat` lists (decides e.g. whether `Restarts` is asked for). */
  sacctFields?: string[];
  /** Whether AccountingStorageTRES records gres/gpuutil (Slurm's GPU utilization in sstat); absent in older probes. */
  gpuUtilTres?: boolean;
  /** The controller's ClusterName (may differ from the name the user gave the cluster). */
  clusterName?: string;
  /** Things the probe could not learn, said plainly. */
  warnings?: string[];
  /** Epoch seconds. */
  probedAt: number;
}
