// The JSON generations ("families") the normalisers know, one per data_parser version, and what sets each
// apart where it matters to us. Field names are stable from 22.05 to 25.11; what changes is how values are
// encoded (plain vs `{set, infinite, number}`, state strings vs arrays, raw wait status vs exit-code
// objects, per-node vs grouped sinfo), which the normalisers recognise by the value's shape, so a version
// we have never seen still reads; and a few semantic differences that the shape does not reveal (a bug
// that prints a wrong value in the right shape), recorded here so a normaliser asks the family.
//
// Sources: the test bed (22.05 and 24.11 captured by us), Slurm-web's captured slurmrestd responses
// (24.05 … 25.11), the OpenAPI specs slurmrestd generates (which also describe v0.0.39/v0.0.40), and the
// data_parser sources (src/plugins/data_parser/v0.0.*/parsers.c).
import type { JsonCommand } from './errors';

export type FamilyId = 'v0.0.38' | 'v0.0.39' | 'v0.0.40' | 'v0.0.41' | 'v0.0.42' | 'v0.0.43' | 'v0.0.44';

export interface Family {
  id: FamilyId;
  /** The data_parser (or openapi) minor number: 38 … 44. */
  parser: number;
  /** The Slurm release that introduced it (and prints it by default). */
  release: string;
  /** Commands that accept `--json` in that release. */
  commands: readonly JsonCommand[];
  /**
   * openapi/dbv0.0.38 (22.05 `sacct --json`) prints every exit status that is not a signal as
   * `{status: "SUCCESS", return_code: 0}`: its dumper (src/plugins/openapi/dbv0.0.38/parse.c,
   * _dump_job_exit_code) never reads WEXITSTATUS, so a job that exited 3 reads like one that exited 0.
   * Signals (`SIGNALED` + signal number) are right.
   */
  sacctExitCodesReliable: boolean;
  /** Differences a person reading a warning should know, in plain words. */
  notes: readonly string[];
}

const BASE_CTLD: readonly JsonCommand[] = ['squeue', 'sinfo', 'sacct'];
const WITH_SCONTROL: readonly JsonCommand[] = [...BASE_CTLD, 'scontrol-node', 'scontrol-partition', 'scontrol-job', 'sacctmgr-user'];
const WITH_SSHARE: readonly JsonCommand[] = [...WITH_SCONTROL, 'sshare'];

export const FAMILIES: readonly Family[] = [
  {
    id: 'v0.0.38',
    parser: 38,
    release: '22.05',
    commands: BASE_CTLD,
    sacctExitCodesReliable: false,
    notes: [
      'openapi v0.0.38: plain numbers, job_state a string, node state a lower-case string plus state_flags',
      'squeue --json lists finished jobs still in slurmctld memory and ignores state filters',
      'squeue exit_code is the raw wait status (768 = exit 3)',
      'sacct --json (dbv0.0.38) reports exit code 0 for every job that exited (signals are right), and ignores -u/-a/-D',
      'no --json for scontrol, sshare, sdiag, sacctmgr',
    ],
  },
  {
    id: 'v0.0.39',
    parser: 39,
    release: '23.02',
    commands: WITH_SCONTROL,
    sacctExitCodesReliable: true,
    notes: [
      'data_parser v0.0.39: 32-bit counts wrapped as {set, infinite, number}, times still plain',
      'job_state a string (job_state_string), node state an array of names',
      'squeue exit_code the raw wait status (wrapped from 23.02.4 on)',
      'scontrol, sdiag and sacctmgr gain --json',
    ],
  },
  {
    id: 'v0.0.40',
    parser: 40,
    release: '23.11',
    commands: WITH_SSHARE,
    sacctExitCodesReliable: true,
    notes: [
      'data_parser v0.0.40: job states become arrays (base state plus flags), times wrapped too',
      'exit codes become {status, return_code, signal} objects everywhere',
      'sshare gains --json; --json=<version> selects an older parser; filters are honoured',
    ],
  },
  {
    id: 'v0.0.41',
    parser: 41,
    release: '24.05',
    commands: WITH_SSHARE,
    sacctExitCodesReliable: true,
    notes: ['data_parser v0.0.41: same value encodings as v0.0.40; some fields renamed or added (priority_by_partition, …)'],
  },
  {
    id: 'v0.0.42',
    parser: 42,
    release: '24.11',
    commands: WITH_SSHARE,
    sacctExitCodesReliable: true,
    notes: ['data_parser v0.0.42: sacct jobs gain restart_cnt; tres_per_node reads gres/gpu:<type>:<n>'],
  },
  {
    id: 'v0.0.43',
    parser: 43,
    release: '25.05',
    commands: WITH_SSHARE,
    sacctExitCodesReliable: true,
    notes: ['data_parser v0.0.43: adds fields (stdin/stdout_expanded, segment_size, licenses_allocated, partition topology)'],
  },
  {
    id: 'v0.0.44',
    parser: 44,
    release: '25.11',
    commands: WITH_SSHARE,
    sacctExitCodesReliable: true,
    notes: [
      'data_parser v0.0.44: adds fields (nodes: tls_cert_last_renewal, cert_flags, gpu_spec, res_cores_per_gpu, topology;',
      'sacct: reservation.requested and per-step stdio paths); the fields the console reads keep their v0.0.43 shapes',
    ],
  },
];

const BY_PARSER = new Map(FAMILIES.map((f) => [f.parser, f]));

export function familyByParser(parser: number): Family | undefined {
  return BY_PARSER.get(parser);
}

export const OLDEST_FAMILY = FAMILIES[0] as Family;
export const NEWEST_FAMILY = FAMILIES[FAMILIES.length - 1] as Family;

/** The known family whose parser number is closest to `parser` (ties go to the newer one). */
export function nearestFamily(parser: number): Family {
  let best = OLDEST_FAMILY;
  for (const f of FAMILIES) {
    if (Math.abs(f.parser - parser) <= Math.abs(best.parser - parser)) best = f;
  }
  return best;
}

/** The family a Slurm release prints by default (`24.11` → v0.0.42), for output that names no parser. */
export function familyByRelease(major: number, minor: number): Family | undefined {
  return FAMILIES.find((f) => f.release === `${major}.${String(minor).padStart(2, '0')}`);
}
