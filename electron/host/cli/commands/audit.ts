// audit: the log of bulk job actions — one line per action, or (--id) every job's result; exported as
// JSON (whole records) or CSV (one row per job result, with the action's who/when/where on each row).
import type { ActionRecord } from '../../../../shared/api/methods/actions';
import { AuditRepo } from '../../../core/store/audit-repo';
import { EXIT, UsageError, intOption, stringOption, type Command } from '../command';
import { formatTable, printJson } from '../output';

const CSV_COLUMNS = [
  'action_id', 'parent_id', 'origin', 'cluster', 'action', 'local_user', 'cluster_user', 'started_at', 'finished_at', 'outcome', 'selection',
  'job_id', 'job_id_raw', 'user', 'account', 'state_before', 'restarts_before', 'gpus', 'preview', 'status', 'retryable', 'slurm_message', 'exit_code', 'batch', 'result_at',
] as const;

/** RFC 4180: quote a field that holds a comma, quote or line break; a leading =+-@ is prefixed with ' so
 * a spreadsheet never runs it as a formula. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString());

export function auditCsv(records: readonly ActionRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    for (const x of r.results) {
      const p = r.preview.jobs.find((j) => j.jobId === x.jobId || j.requested === x.jobId);
      const row = [
        r.id, r.parentId, r.origin, r.cluster, r.action, r.localUser, r.clusterUser, iso(r.startedAt), iso(r.finishedAt), r.outcome, JSON.stringify(r.selection),
        x.jobId, x.jobIdRaw, p?.user ?? null, p?.account ?? null, p?.state ?? null, p?.restarts ?? null, p?.gpus ?? null,
        p ? (p.willRun ? 'will run' : `${p.skip ?? ''}: ${p.why ?? ''}`) : null, x.status, x.retryable, x.message, x.exitCode, x.batch, iso(x.at),
      ];
      lines.push(row.map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const auditCommand: Command = {
  path: ['audit'],
  summary: 'the audit log of bulk job actions (requeue, requeuehold, release), as a table, JSON or CSV',
  usage: 'audit [--cluster NAME] [--id ACTION_ID] [--limit N] [--format table|json|csv] [--json]',
  options: {
    cluster: { type: 'string', help: 'NAME: only actions on this cluster' },
    id: { type: 'string', help: 'ACTION_ID: one action with every job result' },
    limit: { type: 'string', help: 'N: newest N actions (default 200)' },
    format: { type: 'string', help: 'table (default), json or csv (one row per job result)' },
  },
  async run(ctx, args) {
    const format = ctx.json ? 'json' : (stringOption(args, 'format') ?? 'table');
    if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be table, json or csv (got ${JSON.stringify(format)})`);
    const repo = new AuditRepo(ctx.store().db);
    const id = intOption(args, 'id', { min: 1, max: Number.MAX_SAFE_INTEGER });
    const cluster = stringOption(args, 'cluster');
    const records = id !== undefined ? [repo.get(id)] : repo.list({ ...(cluster ? { cluster } : {}), limit: intOption(args, 'limit', { min: 1, max: 100_000 }) ?? 200 });
    if (format === 'json') printJson(ctx, records);
    else if (format === 'csv') ctx.io.stdout(auditCsv(records));
    else if (id !== undefined) {
      const r = records[0] as ActionRecord;
      ctx.io.stdout(`action ${r.id}: ${r.action} on ${r.cluster} by ${r.localUser} as ${r.clusterUser}, ${iso(r.startedAt)}, ${r.outcome ?? 'running'}\n`);
      ctx.io.stdout(formatTable(['JOBID', 'RESULT', 'RETRYABLE', 'BATCH', 'MESSAGE'], r.results.map((x) => [x.jobId, x.status, x.retryable ? 'yes' : 'no', x.batch, x.message])));
    } else {
      ctx.io.stdout(
        formatTable(
          ['ID', 'WHEN', 'CLUSTER', 'ACTION', 'ORIGIN', 'BY', 'AS', 'OUTCOME', 'DONE', 'FAILED', 'UNKNOWN', 'SKIPPED'],
          records.map((r) => [r.id, iso(r.startedAt), r.cluster, r.action, r.parentId ? `${r.origin} of ${r.parentId}` : r.origin, r.localUser, r.clusterUser, r.outcome ?? 'running', r.counts.done, r.counts.failed, r.counts.unknown, r.counts.skipped]),
        ),
      );
    }
    return EXIT.ok;
  },
};
