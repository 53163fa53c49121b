// The job id a person types, rebuilt from the JSON's numeric parts the way squeue's %i and sacct's JobID
// print it: `123`, an array task `123_4`, the pending remainder of an array `123_[5-9%2]`, a heterogeneous
// job component `123+1`. squeue's JSON gives the remainder as printed (`5-9%2`); 22.05's sacct JSON gives
// slurmdbd's stored form, a hex bitmap of task ids (`0xC` = tasks 2 and 3), which sacct itself turns into
// ranges and a `%limit` (slurmdb_get_job_id_str); so do we.

export interface JobIdParts {
  jobId: number;
  /** 0 or null when not an array job. */
  arrayJobId: number | null;
  arrayTaskId: number | null;
  /** Pending tasks still in one record (`5-9%2`, or a hex bitmap `0xC`); empty or null otherwise. */
  arrayTaskString: string | null;
  /** The array's limit of running tasks (`%2`), where the JSON gives it apart from the task string. */
  arrayMaxRunning?: number | null;
  /** 0 or null when not a heterogeneous job. */
  hetJobId: number | null;
  hetJobOffset: number | null;
}

export function printedJobId(p: JobIdParts): string {
  if (p.hetJobId) return `${p.hetJobId}+${p.hetJobOffset ?? 0}`;
  const arrayId = p.arrayJobId || null;
  if (p.arrayTaskString) return `${arrayId ?? p.jobId}_[${arrayTaskRange(p.arrayTaskString, p.arrayMaxRunning ?? null)}]`;
  if (arrayId !== null && p.arrayTaskId !== null) return `${arrayId}_${p.arrayTaskId}`;
  return String(p.jobId);
}

/** Task ranges as Slurm prints them (`5-9%2`), from a printed range or a hex bitmap. */
export function arrayTaskRange(tasks: string, maxRunning: number | null): string {
  const ranges = /^0x[0-9a-f]+$/i.test(tasks) ? hexMaskRanges(tasks) : tasks;
  return maxRunning && !ranges.includes('%') ? `${ranges}%${maxRunning}` : ranges;
}

/** `0xC` → `2-3`: bit i (counted from the last hex digit's lowest bit) set means task i is in the record. */
function hexMaskRanges(mask: string): string {
  const hex = mask.slice(2);
  const out: string[] = [];
  let start = -1;
  const bits = hex.length * 4;
  for (let bit = 0; bit <= bits; bit++) {
    const digit = bit < bits ? parseInt(hex[hex.length - 1 - (bit >> 2)] as string, 16) : 0;
    const set = bit < bits && ((digit >> (bit & 3)) & 1) === 1;
    if (set && start === -1) start = bit;
    if (!set && start !== -1) {
      out.push(start === bit - 1 ? String(start) : `${start}-${bit - 1}`);
      start = -1;
    }
  }
  return out.join(',');
}
