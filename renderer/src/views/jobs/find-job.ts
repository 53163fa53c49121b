// The row of one job (cluster + the id a person types, `123` or `123_4`), for links that open the Jobs view
// on a job (an alert's "jump to job"). -1 when the queue no longer holds it.
import { dictValue } from '../../../../shared/api/column-codec';
import type { JobsData } from './jobs-data';

export function findJobRow(d: JobsData, cluster: string, jobId: string): number {
  const c = d.clusters.findIndex((x) => x.name === cluster);
  if (c < 0) return -1;
  for (let i = 0; i < d.count; i++) if (d.cluster[i] === c && dictValue(d.jobId, i) === jobId) return i;
  return -1;
}
