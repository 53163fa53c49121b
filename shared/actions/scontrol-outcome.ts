// Each job's outcome from one `scontrol requeue|requeuehold|release <id,id,...>` call. scontrol is silent
// about the ids it handled and prints one line per refused id, `<message> for job <id>` on stderr, e.g.
//   Access/permission denied for job 1132
//   Invalid job id specified for job 999999
//   Job is pending execution for job 1131
//   Invalid user id for job 110            (release of another user's job; then "slurm_suspend error: …")
//   Requested operation is presently disabled for job 7
// and exits 1 if any id failed (both 22.05 and 24.11). A line without "for job" (controller unreachable,
// socket timeout) concerns the whole call: then no id is known to have been handled.
import type { JobResult } from '../api/methods/actions';

export interface CommandOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Outcome = Pick<JobResult, 'status' | 'retryable' | 'message' | 'exitCode'>;

const PER_JOB = /^(.*\S)\s+for job\s+(\d+(?:_\d+)?)\s*$/;

/**
 * Failures a later retry may fix: the controller was busy, unreachable or the job was in transition.
 * Everything else (permission, invalid id, already pending, disabled, not a batch job) stays as it is.
 */
const RETRYABLE = /Unable to contact slurm controller|Socket timed out|Connection refused|Connection reset|Zero Bytes were transmitted|Resource temporarily unavailable|try again|busy|Transition state|being requeued|Job is completing|Job is currently being|Communication connection failure|Slurm backup controller in standby/i;

export function isRetryableMessage(message: string): boolean {
  return RETRYABLE.test(message);
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** Outcome per id of the batch (ids as they were passed, `123` or `123_4`). */
export function parseScontrolOutcome(ids: readonly string[], out: CommandOutput): Map<string, Outcome> {
  const all = [...lines(out.stderr), ...lines(out.stdout)];
  const perJob = new Map<string, string[]>();
  const general: string[] = [];
  for (const line of all) {
    const m = PER_JOB.exec(line);
    if (m && ids.includes(m[2] as string)) {
      const list = perJob.get(m[2] as string) ?? [];
      list.push(m[1] as string);
      perJob.set(m[2] as string, list);
    } else general.push(line);
  }
  const result = new Map<string, Outcome>();
  for (const id of ids) {
    const own = perJob.get(id);
    if (own) {
      const message = `${own.map((m) => `${m} for job ${id}`).join('; ')}`;
      result.set(id, { status: 'failed', retryable: isRetryableMessage(message), message, exitCode: out.code });
    } else if (out.code === 0 || perJob.size > 0) {
      // scontrol names every id it refused; an id it does not name was accepted. A general line next to
      // per-job lines (release: "slurm_suspend error: Invalid user id") repeats one of them.
      result.set(id, { status: 'done', retryable: false, message: null, exitCode: out.code });
    } else {
      const message = general.join('; ') || `scontrol exited ${out.code === null ? 'without an exit status' : out.code} without a message`;
      // A failure of the whole call: nothing says whether slurmctld acted on any id, unless it never got
      // the request (cannot contact the controller).
      const neverSent = /Unable to contact slurm controller|Connection refused/i.test(message);
      result.set(id, { status: neverSent ? 'failed' : 'unknown', retryable: true, message, exitCode: out.code });
    }
  }
  return result;
}
