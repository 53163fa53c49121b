// The counting rules, in words, exactly as the code applies them. Every export's manifest carries this
// text so a reader of the numbers knows what they mean without reading the code.
export const COUNTING_RULES: readonly string[] = [
  'Every accounting run counts, including each run of a requeued job (sacct -D): a run counts for the time it held its allocation.',
  'A run held resources over [Start, Start + ElapsedRaw). A run that never started counts nothing.',
  'A run still running when the data was collected counts from Start up to the window end (or, if earlier, the collection time) and is flagged in the running_runs column.',
  'Pro rata split: only the part of a run inside the window [from, to) counts, and a run crossing a period boundary (day, week, month in the export time zone) is split at the boundary; each part counts TRES x the seconds in it.',
  'GPU-hours = AllocTRES gres/gpu x hours. Per GPU type: gres/gpu:<type> x hours; GPUs beyond the typed ones are type "" (untyped).',
  'Billing-hours = AllocTRES billing x hours (billing is the TRESBillingWeights-weighted value Slurm froze into the job at allocation). CPU-hours = AllocTRES cpu x hours.',
  'Grouped by GPU type, a run holding several types splits its billing and CPU-hours between them in proportion to its GPUs of each type, and counts as a run (and job) under each type it held.',
  'runs: runs whose counted part starts in the row (so runs add up across periods). jobs: distinct job ids (cluster + JobIDRaw) with any counted time in the row; a requeued job is one job with several runs, so jobs do not add up across rows.',
  'preempted_gpu_hours: GPU-hours of runs that ended PREEMPTED (the work they did before being preempted, which is lost unless the job checkpoints).',
  'Account roll-up (scope=tree): each account row with scope "tree" sums the account and every account below it in the association tree (from sshare), across users; scope "own" rows hold usage charged to the account itself.',
  'Hours are seconds / 3600, unrounded.',
];
