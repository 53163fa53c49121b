// `scontrol show config`: `Key = value` lines (keys padded with spaces), a `Configuration data as of`
// header, and trailing sections for plugin configs (`MPI Plugins Configuration:`, cgroup.conf, ...) in the
// same form. Returns every key of the main section, plus the few the console acts on, typed.
import { SlurmParseError } from './errors';
import { outputLines } from './result';

export interface ControllerConfig {
  clusterName: string;
  /** `SLURM_VERSION`, e.g. `24.11.5`. */
  slurmVersion: string;
  /** `PrivateData` as a list (`jobs`, `usage`, …); empty when `none`. */
  privateData: string[];
  /** `preempt/qos`, `preempt/partition_prio`, `preempt/none`. */
  preemptType: string | null;
  /** Cluster-wide `PreemptMode` (`REQUEUE`, `CANCEL`, `SUSPEND,GANG`, `OFF`). */
  preemptMode: string | null;
  slurmctldParameters: string[];
  /** Every `Key = value` of the main section as printed (sections after it are not mixed in). */
  values: Map<string, string>;
}

const LINE = /^([A-Za-z][A-Za-z0-9_./()-]*)\s*=\s?(.*)$/;

function list(value: string | undefined): string[] {
  if (value === undefined || value === '(null)' || value === 'none' || value === '') return [];
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

export function parseScontrolConfig(output: string): ControllerConfig {
  const values = new Map<string, string>();
  let sawHeader = false;
  for (const line of outputLines(output)) {
    if (line.startsWith('Configuration data as of')) {
      sawHeader = true;
      continue;
    }
    if (line.trim() === '') continue;
    // Plugin sections (`MPI Plugins Configuration:`, `Cgroup Support Configuration:`) and the controller
    // status lines follow the main section.
    if (/:\s*$/.test(line) || /^Slurmctld\(/.test(line)) break;
    const m = LINE.exec(line);
    if (m) values.set(m[1] as string, (m[2] as string).trim());
  }
  if (!sawHeader && values.size === 0) throw new SlurmParseError('scontrol-config', 'not scontrol show config output', output);
  const clusterName = values.get('ClusterName');
  const version = values.get('SLURM_VERSION');
  if (!clusterName || !version) throw new SlurmParseError('scontrol-config', 'no ClusterName or SLURM_VERSION', output);
  const preemptType = values.get('PreemptType');
  const preemptMode = values.get('PreemptMode');
  return {
    clusterName,
    slurmVersion: version,
    privateData: list(values.get('PrivateData')),
    preemptType: preemptType === undefined || preemptType === '(null)' ? null : preemptType,
    preemptMode: preemptMode === undefined || preemptMode === '(null)' ? null : preemptMode,
    slurmctldParameters: list(values.get('SlurmctldParameters')),
    values,
  };
}
