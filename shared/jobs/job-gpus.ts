// Which GPU types a queued job holds or asks for, as one label the Jobs table shows and filters on.
import type { QueuedJob } from '../model/job';

/**
 * Types from the TRES the job holds (running) or asks for (pending), sorted and comma-joined; the
 * `--gres=gpu:<type>` request when the TRES carry no type; null when the job asked for any GPU (or none).
 */
export function jobGpuTypeLabel(job: Pick<QueuedJob, 'tresAlloc' | 'tresReq' | 'gpuType'>): string | null {
  const tres = job.tresAlloc && job.tresAlloc.gpu > 0 ? job.tresAlloc : job.tresReq;
  const types = Object.keys(tres.gpuByType).filter((t) => (tres.gpuByType[t] ?? 0) > 0);
  if (types.length > 0) return types.sort().join(',');
  return job.gpuType;
}
