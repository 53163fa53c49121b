// Run every rule on one cluster's snapshot. Also says which rules could not be evaluated and why (the
// allocated-but-idle rule without a utilization source), so the console shows them as unavailable.
import { allocatedIdleFindings } from './rules/allocated-idle';
import { outOfServiceFindings, repeatOffenderFindings } from './rules/out-of-service';
import { partitionUnderusedFindings } from './rules/partition-underused';
import { strandedFindings } from './rules/stranded-gpus';
import type { AlertInput, AlertRule, AlertSettings, Finding } from './types';

export interface Evaluation {
  findings: Finding[];
  /** Rules whose findings are complete for this cluster: an alert of such a rule with no finding may resolve. */
  evaluated: AlertRule[];
  /** Subjects the data said nothing about this round (running GPU jobs without a utilization sample). */
  unknown: { rule: AlertRule; subject: string }[];
  /** Rules that could not run here, with the reason shown to the user. */
  unavailable: { rule: AlertRule; reason: string }[];
}

export function evaluateRules(input: AlertInput, settings: AlertSettings): Evaluation {
  const findings = [
    ...outOfServiceFindings(input, settings),
    ...repeatOffenderFindings(input, settings),
    ...strandedFindings(input, settings),
    ...partitionUnderusedFindings(input, settings),
  ];
  const evaluated: AlertRule[] = ['gpus-out-of-service', 'repeat-offender', 'stranded-gpus', 'partition-underused'];
  const unavailable: Evaluation['unavailable'] = [];
  const unknown: Evaluation['unknown'] = [];
  const u = input.utilization;
  if (u && u.available) {
    findings.push(...allocatedIdleFindings(input, settings));
    evaluated.push('allocated-idle');
    // A running job the source had no sample for this round (node unreachable, job just started): its
    // alert neither opens nor resolves on missing data.
    const measured = new Set(u.jobs.filter((j) => j.gpusMeasured > 0).map((j) => j.jobId));
    for (const j of input.jobs) if (j.state === 'RUNNING' && !measured.has(j.jobId)) unknown.push({ rule: 'allocated-idle', subject: `job:${j.jobId}` });
  } else {
    const reason = u ? u.reasons.map((r) => `${r.source}: ${r.reason}`).join('; ') : 'no utilization source configured for this cluster (nvidia-smi, Slurm gres/gpuutil or Prometheus DCGM)';
    unavailable.push({ rule: 'allocated-idle', reason });
  }
  return { findings, evaluated, unknown, unavailable };
}
