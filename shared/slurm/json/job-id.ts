// The job id a person types, rebuilt from the JSON's numeric parts the way squeue's %i and sacct's JobID
// print it: `123`, an array task `123_4`, the pending remainder of an array `123_[5-9%2]` (its task string
// already carries the `%limit`), a heterogeneous job component `123+1`.

export interface JobIdParts {
  jobId: number;
  /** 0 or null when not an array job. */
  arrayJobId: number | null;
  arrayTaskId: number | null;
  /** Pending tasks still in one record (`5-9%2`); empty or null otherwise. */
  arrayTaskString: string | null;
  /** 0 or null when not a heterogeneous job. */
  hetJobId: number | null;
  hetJobOffset: number | null;
}

export function printedJobId(p: JobIdParts): string {
  if (p.hetJobId) return `${p.hetJobId}+${p.hetJobOffset ?? 0}`;
  const arrayId = p.arrayJobId || null;
  if (p.arrayTaskString) return `${arrayId ?? p.jobId}_[${p.arrayTaskString}]`;
  if (arrayId !== null && p.arrayTaskId !== null) return `${arrayId}_${p.arrayTaskId}`;
  return String(p.jobId);
}
