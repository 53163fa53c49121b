// One association row of `sshare -a -l` (an account, or a user in an account).
export interface FairshareRow {
  account: string;
  /** Null for the account's own row. */
  user: string | null;
  /** Depth in the account tree (0 = root), from sshare's indentation or the JSON tree. */
  depth: number;
  /** The parent account, null for root. */
  parent: string | null;
  rawShares: number | null;
  normShares: number | null;
  rawUsage: number;
  effectiveUsage: number | null;
  fairShare: number | null;
  levelFs: number | null;
  /** GrpTRESMins / TRES usage strings are kept as Slurm prints them. */
  grpTresMins: string | null;
  tresRunMins: string | null;
}
