// Slurm version strings (`22.05.8`, `24.11.5`, `25.11.0-0rc1`, `slurm-wlm 24.11.5` from `sinfo -V`) and
// comparisons, so command builders can ask for what a version supports.
import { SlurmParseError } from './parse/errors';

export interface SlurmVersion {
  major: number;
  minor: number;
  patch: number;
}

export function parseSlurmVersion(text: string): SlurmVersion {
  const m = /(\d{2})\.(\d{2})(?:\.(\d+))?/.exec(text);
  if (!m) throw new SlurmParseError('scontrol-config', 'not a Slurm version', text);
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) };
}

/** Whether `version` is `major.minor` or newer (Slurm releases are YY.MM). */
export function versionAtLeast(version: SlurmVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
