// What the capability probe found on a cluster, or why a test failed (stage, reason, Slurm's or ssh's
// own message), as an admin reads it.
import type { ProbeSummary, TestResult } from '../../../../shared/api/methods/clusters';
import { formatTime, timeTitle } from '../../format';

export function ProbeFacts({ probe }: { probe: ProbeSummary }) {
  const json = Object.entries(probe.json).filter(([, v]) => v !== null);
  return (
    <dl className="probe-facts" data-testid="probe">
      <div>
        <dt>Slurm</dt>
        <dd data-testid="probe-version">
          {probe.slurmVersion}
          {probe.clusterName ? ` (ClusterName ${probe.clusterName})` : ''}
        </dd>
      </div>
      <div>
        <dt>rights of {probe.user}</dt>
        <dd data-testid="probe-admin">
          AdminLevel {probe.adminLevel}
          {probe.coordinatorOf.length ? ` · coordinator of ${probe.coordinatorOf.join(', ')}` : ' · coordinates no account'}
        </dd>
      </div>
      <div>
        <dt>accounting</dt>
        <dd data-testid="probe-accounting" className={probe.accounting ? 'ok' : 'bad'}>
          {probe.accounting ? 'slurmdbd answers' : `not available: ${probe.accountingError ?? 'no reason given'}`}
        </dd>
      </div>
      <div>
        <dt>time zone</dt>
        <dd data-testid="probe-zone">{probe.timeZone}</dd>
      </div>
      <div>
        <dt>--json</dt>
        <dd>{json.length ? json.map(([k, v]) => `${k} ${v}`).join(', ') : 'none (text formats)'}</dd>
      </div>
      {probe.privateData.length > 0 && (
        <div>
          <dt>PrivateData</dt>
          <dd>{probe.privateData.join(', ')}</dd>
        </div>
      )}
      <div>
        <dt>probed</dt>
        <dd title={timeTitle(probe.probedAt, probe.timeZone)}>{formatTime(probe.probedAt)}</dd>
      </div>
      {probe.warnings.length > 0 && (
        <div className="probe-warnings">
          <dt>warnings</dt>
          <dd>
            <ul>
              {probe.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </dd>
        </div>
      )}
    </dl>
  );
}

export function TestOutcome({ result }: { result: TestResult }) {
  if (result.ok) {
    return (
      <div className="test-outcome ok" role="status" data-testid="test-outcome">
        <strong>Connected and probed in {Math.round(result.ms)} ms.</strong>
        <ProbeFacts probe={result.probe} />
      </div>
    );
  }
  return (
    <div className="test-outcome bad" role="alert" data-testid="test-outcome">
      <strong>
        {result.stage === 'connect' ? 'Could not connect' : 'Connected, but the probe failed'} ({result.reason}, after {Math.round(result.ms)} ms):
      </strong>
      <pre className="test-message">{result.message}</pre>
    </div>
  );
}
