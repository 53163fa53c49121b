// An alert's detail drawer: what the rule found (nodes with their reasons and the GPU-hours lost, waiting
// jobs and why they did not start, idle GPUs per node and the utilization source), links that jump to the
// node in the heatmap or the job in the Jobs view, and the alert's own history (opened, acknowledged, …).
import { useEffect, useState, type ReactNode } from 'react';
import type { AlertEventView, AlertView } from '../../../../shared/api/methods/alerts';
import { paramsFor } from '../../../../shared/alerts/params';
import { formatGpuHours, formatNumber, formatTime, timeTitle } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { jumpTo } from '../../store/focus-store';
import { agoText, CAUSE_TEXT, idleByNode, readDetail, ruleTitle, verdictText, type RuleDetail } from './alert-model';
import { AlertActions, AlertStatus, type AlertActionsApi } from './AlertRow';

function Time({ at, now }: { at: number | null | undefined; now: number }) {
  if (at === null || at === undefined) return <span className="muted">unknown</span>;
  return (
    <time dateTime={new Date(at * 1000).toISOString()} title={timeTitle(at, null)}>
      {formatTime(at)} <span className="muted">({agoText(now, at)})</span>
    </time>
  );
}

function NodeLink({ cluster, node }: { cluster: string; node: string }) {
  return (
    <button type="button" className="link" data-testid={`jump-node-${node}`} title={`show ${node} in the heatmap`} onClick={() => jumpTo({ view: 'heatmap', cluster, nodes: [node] })}>
      {node}
    </button>
  );
}

function JobLink({ cluster, job }: { cluster: string; job: string }) {
  return (
    <button type="button" className="link job-id" data-testid={`jump-job-${job}`} title={`show job ${job} in the Jobs view`} onClick={() => jumpTo({ view: 'jobs', cluster, job })}>
      {job}
    </button>
  );
}

function Section({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <section className="alert-detail-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function RuleDetailView({ alert, detail, now, idlePct }: { alert: AlertView; detail: RuleDetail; now: number; idlePct: number }) {
  const c = alert.cluster;
  switch (detail.kind) {
    case 'gpus-out-of-service': {
      const d = detail.d;
      return (
        <Section title="Out of service">
          <p data-testid="detail-summary">
            <strong>{formatNumber(d.gpus)} GPUs</strong> out of service{d.reason ? <> — reason “{d.reason}”</> : ' (no reason given)'} ·{' '}
            <strong data-testid="gpu-hours-lost">
              {d.lossIsLowerBound ? 'at least ' : ''}
              {formatGpuHours(d.gpuHoursLost)}
            </strong>{' '}
            lost so far
            {d.lossIsLowerBound ? <span className="muted"> (a node without a reason time counts from now)</span> : null}
          </p>
          <table className="alert-table" data-testid="detail-nodes">
            <thead>
              <tr>
                <th>node</th>
                <th>state</th>
                <th className="right">GPUs out</th>
                <th>reason</th>
                <th>set by</th>
                <th>since</th>
              </tr>
            </thead>
            <tbody>
              {d.nodes.map((n) => (
                <tr key={n.node}>
                  <td>
                    <NodeLink cluster={c} node={n.node} />
                  </td>
                  <td>{n.state}</td>
                  <td className="right">
                    {n.gpus} / {n.gpusTotal}
                  </td>
                  <td>{n.reason ?? <span className="muted">none</span>}</td>
                  <td>{n.reasonUser ?? <span className="muted">?</span>}</td>
                  <td>
                    <Time at={n.reasonTime} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      );
    }
    case 'stranded-gpus': {
      const d = detail.d;
      return (
        <>
          <Section title="Free GPUs">
            <p data-testid="detail-summary">
              <strong>{formatNumber(d.gpus)} GPUs</strong> free{d.partitionGpus !== undefined ? ` of ${formatNumber(d.partitionGpus)}` : ''}
              {alert.links.partition ? ` in ${alert.links.partition}` : ''}
              {d.waiting !== undefined ? ` while ${formatNumber(d.waiting)} GPU job${d.waiting === 1 ? ' waits' : 's wait'}` : ''}. Why:{' '}
              <strong>{CAUSE_TEXT[d.cause] ?? d.cause}</strong>
              {d.largestBlock !== undefined ? ` (largest free block: ${d.largestBlock} GPU${d.largestBlock === 1 ? '' : 's'} on one node)` : ''}.
            </p>
            <table className="alert-table" data-testid="detail-nodes">
              <thead>
                <tr>
                  <th>node</th>
                  <th className="right">free GPUs</th>
                  <th className="right">free CPUs</th>
                  <th className="right">free memory</th>
                </tr>
              </thead>
              <tbody>
                {d.nodes.map((n) => (
                  <tr key={n.node}>
                    <td>
                      <NodeLink cluster={c} node={n.node} />
                    </td>
                    <td className="right">{n.free}</td>
                    <td className="right">{n.cpus ?? '?'}</td>
                    <td className="right">{n.memMiB === null || n.memMiB === undefined ? '?' : `${formatNumber(n.memMiB / 1024, 1)} GiB`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          <Section title="Waiting jobs">
            <table className="alert-table" data-testid="detail-jobs">
              <thead>
                <tr>
                  <th>job</th>
                  <th>user</th>
                  <th className="right">GPUs</th>
                  <th>Slurm reason</th>
                  <th>why it did not start here</th>
                </tr>
              </thead>
              <tbody>
                {d.jobs.map((j) => (
                  <tr key={j.jobId}>
                    <td>
                      <JobLink cluster={c} job={j.jobId} />
                    </td>
                    <td>
                      {j.user}
                      {j.account ? <span className="muted"> ({j.account})</span> : null}
                    </td>
                    <td className="right" title={j.types?.length ? `type ${j.types.join(' or ')}` : 'any GPU type'}>
                      {j.gpus}
                      {j.nodes > 1 || j.gpusPerNode !== j.gpus ? ` (${j.gpusPerNode}/node × ${j.nodes})` : ''}
                      {j.types?.length ? ` ${j.types.join('/')}` : ''}
                    </td>
                    <td>{j.reason || <span className="muted">none</span>}</td>
                    <td>{verdictText(j.verdict, j)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
        </>
      );
    }
    case 'allocated-idle': {
      const d = detail.d;
      const byNode = idleByNode(d.perGpu, idlePct);
      return (
        <Section title="GPU utilization">
          <p data-testid="detail-summary">
            Source: <strong data-testid="util-source">{d.source}</strong>
            {d.measuredAt ? (
              <>
                , measured <Time at={d.measuredAt} now={now} />
              </>
            ) : null}
            . Mean {formatNumber(d.meanPct, 1)} %, busiest GPU {formatNumber(d.maxPct, 0)} %
            {d.user ? ` · ${d.user}${d.account ? ` (${d.account})` : ''}` : ''}.
          </p>
          <table className="alert-table" data-testid="detail-nodes">
            <thead>
              <tr>
                <th>node</th>
                <th className="right">idle GPUs (≤ {idlePct} %)</th>
                <th>per GPU</th>
              </tr>
            </thead>
            <tbody>
              {byNode.map((n) => (
                <tr key={n.node}>
                  <td>
                    <NodeLink cluster={c} node={n.node} />
                  </td>
                  <td className="right">
                    {n.idle} / {n.measured}
                  </td>
                  <td>{n.gpus.map((g) => `GPU ${g.gpuIndex ?? '?'}: ${Math.round(g.utilPct)} %`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      );
    }
    case 'partition-underused': {
      const d = detail.d;
      return (
        <Section title="Partition use">
          <p data-testid="detail-summary">
            {alert.links.partition ?? 'The partition'} had <strong>{formatNumber(d.sharePct, 1)} %</strong> of {d.gpus !== undefined ? `its ${d.gpus} GPUs` : 'its GPUs'} allocated
            {d.windowMinutes !== undefined ? ` over the last ${d.windowMinutes} min` : ''}
            {d.waitingJobs !== undefined ? `, while ${d.waitingJobs} GPU jobs${d.waitingGpus !== undefined ? ` asking for ${d.waitingGpus} GPUs` : ''} waited` : ''}
            {d.waitingIn?.length ? ` in ${d.waitingIn.join(', ')}` : ''}.
          </p>
        </Section>
      );
    }
    case 'data-stale': {
      const d = detail.d;
      return (
        <Section title="Data">
          <p data-testid="detail-summary">
            Last nodes + queue collection: <Time at={d.lastCollectedAt} now={now} />
            {d.connection ? (
              <>
                {' '}
                · connection <strong>{d.connection.state}</strong>
                {d.connection.message ? `: ${d.connection.message}` : ''}
              </>
            ) : null}
            . Other alerts of {alert.cluster} are frozen until data comes back.
          </p>
        </Section>
      );
    }
    case 'repeat-offender': {
      const d = detail.d;
      return (
        <Section title="History">
          <p data-testid="detail-summary">
            Out of service <strong>{d.episodes} times</strong>
            {d.days !== undefined ? ` in ${d.days} days` : ''}; last time from <Time at={d.lastStarted} now={now} />.
          </p>
        </Section>
      );
    }
    default:
      return (
        <Section title="Detail">
          <pre className="alert-raw">{JSON.stringify(detail.d, null, 2)}</pre>
        </Section>
      );
  }
}

function AlertHistory({ alertId, version, now }: { alertId: number; version: string; now: number }) {
  const bridge = useBridge();
  const [events, setEvents] = useState<AlertEventView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    bridge.api['alerts.history']({ alertId, limit: 200 }).then(
      (r) => live && (setEvents(r.events), setError(null)),
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [bridge, alertId, version]);
  if (error) return <p className="app-error">history: {error}</p>;
  if (!events) return <p className="muted">loading history…</p>;
  return (
    <ol className="alert-timeline" data-testid="alert-history">
      {events.map((e) => (
        <li key={e.id}>
          <Time at={e.at} now={now} /> <strong>{e.kind}</strong>
          {e.by && e.by !== 'rules' ? ` by ${e.by}` : ''}
          {e.kind === 'snoozed' && e.snoozedUntil ? ` until ${formatTime(e.snoozedUntil)}` : ''}
          {e.kind === 'updated' || e.kind === 'opened' || e.kind === 'reopened' ? <span className="muted"> — {e.title}</span> : null}
        </li>
      ))}
    </ol>
  );
}

export function AlertDrawer({ alert, now, actions, readOnly, onClose }: { alert: AlertView; now: number; actions: AlertActionsApi; readOnly: string | null; onClose(): void }) {
  const bridge = useBridge();
  const [idlePct, setIdlePct] = useState(5);
  useEffect(() => {
    if (alert.rule !== 'allocated-idle') return undefined;
    let live = true;
    bridge.api['alerts.settings']({}).then(
      (s) => live && setIdlePct(paramsFor(s, alert.cluster, alert.links.partition).idleUtilPct),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge, alert.rule, alert.cluster, alert.links.partition]);
  const detail = readDetail(alert.rule, alert.detail);
  const hasLinks = alert.links.nodes.length > 0 || alert.links.jobs.length > 0 || alert.links.partition !== null;
  return (
    <aside className="alert-drawer" data-testid="alert-drawer" data-alert-id={alert.id} aria-label={`alert ${alert.id}`}>
      <header>
        <span className={`sev sev-${alert.severity}`}>{alert.severity}</span>
        <h2>{alert.title}</h2>
        <span className="spacer" />
        <button type="button" onClick={onClose} aria-label="close alert detail" title="Close (Escape)">
          ✕
        </button>
      </header>
      <p className="muted">
        {alert.cluster} · {ruleTitle(alert.rule)} · <code>{alert.subject}</code> · #{alert.id}
      </p>
      <p>{alert.body}</p>
      <dl className="alert-fields">
        <div>
          <dt>status</dt>
          <dd>
            <AlertStatus alert={alert} now={now} />
          </dd>
        </div>
        <div>
          <dt>condition since</dt>
          <dd>
            <Time at={alert.since} now={now} />
          </dd>
        </div>
        <div>
          <dt>opened</dt>
          <dd>
            <Time at={alert.openedAt} now={now} />
            {alert.occurrences > 1 ? <span className="muted"> · opened {alert.occurrences} times</span> : null}
          </dd>
        </div>
        <div>
          <dt>{alert.resolvedAt ? 'resolved' : 'last seen'}</dt>
          <dd>
            <Time at={alert.resolvedAt ?? alert.lastSeen} now={now} />
          </dd>
        </div>
      </dl>
      <AlertActions alert={alert} now={now} actions={actions} readOnly={readOnly} />
      <RuleDetailView alert={alert} detail={detail} now={now} idlePct={idlePct} />
      {hasLinks && (
        <Section title="Jump to">
          <div className="alert-links">
            {alert.links.nodes.map((n) => (
              <span key={`n-${n}`}>
                node <NodeLink cluster={alert.cluster} node={n} />
              </span>
            ))}
            {alert.links.jobs.map((j) => (
              <span key={`j-${j}`}>
                job <JobLink cluster={alert.cluster} job={j} />
              </span>
            ))}
            {alert.links.partition && (
              <span>
                partition{' '}
                <button type="button" className="link" onClick={() => jumpTo({ view: 'heatmap', cluster: alert.cluster, partition: alert.links.partition })}>
                  {alert.links.partition}
                </button>
              </span>
            )}
          </div>
        </Section>
      )}
      <Section title="History">
        <AlertHistory alertId={alert.id} version={`${alert.status}/${alert.lastSeen}/${alert.ackAt ?? ''}/${alert.snoozedUntil ?? ''}`} now={now} />
      </Section>
    </aside>
  );
}
