// Add or edit a cluster: how to reach it (host, port, user, auth, jump hosts, extra known_hosts) and how
// often to poll it. Messages appear next to the fields as the user types (after the first save or test
// attempt, so an empty new form is not all red); "Test" tries the draft without saving it.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { TestResult } from '../../../../shared/api/methods/clusters';
import { useBridge } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { configOf, fieldErrors, validateDraft, type ClusterDraft, type JumpDraft } from './cluster-form-model';
import { TestOutcome } from './ProbeResult';

function Field({ label, error, hint, children }: { label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <label className={`field${error ? ' field-error' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-message" role="alert">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

export function ClusterForm({ initial, isNew, onDone, onCancel }: { initial: ClusterDraft; isNew: boolean; onDone(name: string): void; onCancel(): void }) {
  const bridge = useBridge();
  const [d, setD] = useState<ClusterDraft>(initial);
  const [touched, setTouched] = useState(false);
  const validation = useMemo(() => validateDraft(d), [d]);
  const errors = touched ? fieldErrors(validation) : {};
  const set = <K extends keyof ClusterDraft>(k: K, v: ClusterDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const setJump = (i: number, patch: Partial<JumpDraft>) => setD((x) => ({ ...x, jump: x.jump.map((j, n) => (n === i ? { ...j, ...patch } : j)) }));

  const save = useAction(
    useCallback(async () => {
      const r = await bridge.api['clusters.save']({ config: configOf(d) as never, isNew });
      onDone(r.config.name);
      return r;
    }, [bridge, d, isNew, onDone]),
  );
  const test = useAction(useCallback(() => bridge.api['clusters.test']({ config: configOf(d) as never }) as Promise<TestResult>, [bridge, d]));

  const attempt = (action: () => unknown) => {
    setTouched(true);
    if (validation.ok) action();
  };

  return (
    <form
      className="cluster-form"
      aria-label={isNew ? 'add a cluster' : `edit ${initial.name}`}
      data-testid="cluster-form"
      onSubmit={(e) => {
        e.preventDefault();
        attempt(() => void save.run());
      }}
    >
      <h3>{isNew ? 'Add a cluster' : `Edit ${initial.name}`}</h3>
      <div className="form-grid">
        <Field label="Name" error={errors.name} hint={isNew ? 'shown in the console; letters, digits, . _ -' : 'the name holds the cluster\'s history: remove and add to rename'}>
          <input name="name" value={d.name} onChange={(e) => set('name', e.target.value)} readOnly={!isNew} autoFocus={isNew} />
        </Field>
        <Field label="Login host" error={errors.host}>
          <input name="host" value={d.host} onChange={(e) => set('host', e.target.value)} placeholder="login.cluster.example.org" />
        </Field>
        <Field label="Port" error={errors.port}>
          <input name="port" value={d.port} onChange={(e) => set('port', e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="User" error={errors.user} hint="the Slurm user the console acts as">
          <input name="user" value={d.user} onChange={(e) => set('user', e.target.value)} />
        </Field>
        <Field label="Authentication" error={errors.auth}>
          <select name="authKind" value={d.authKind} onChange={(e) => set('authKind', e.target.value as ClusterDraft['authKind'])}>
            <option value="agent">ssh-agent</option>
            <option value="key">key file</option>
            <option value="password">password (asked, kept only in the OS keychain)</option>
          </select>
        </Field>
        {d.authKind === 'key' && (
          <>
            <Field label="Key file" error={errors['auth.identityFile']}>
              <input name="identityFile" value={d.identityFile} onChange={(e) => set('identityFile', e.target.value)} />
            </Field>
            <label className="check">
              <input type="checkbox" checked={d.hasPassphrase} onChange={(e) => set('hasPassphrase', e.target.checked)} /> the key has a passphrase (asked when needed, never stored in plain text)
            </label>
          </>
        )}
        {d.authKind === 'agent' && (
          <Field label="Agent socket" error={errors['auth.socket']} hint="empty: $SSH_AUTH_SOCK">
            <input name="agentSocket" value={d.agentSocket} onChange={(e) => set('agentSocket', e.target.value)} />
          </Field>
        )}
      </div>

      <fieldset className="jumps">
        <legend>Jump hosts (ProxyJump), first hop first</legend>
        {errors.jump && <span className="field-message">{errors.jump}</span>}
        {d.jump.map((j, i) => (
          <div className="jump-row" key={i} data-testid={`jump-${i}`}>
            <Field label={`Hop ${i + 1} host`} error={errors[`jump.${i}.host`]}>
              <input value={j.host} onChange={(e) => setJump(i, { host: e.target.value })} />
            </Field>
            <Field label="port" error={errors[`jump.${i}.port`]}>
              <input value={j.port} onChange={(e) => setJump(i, { port: e.target.value })} inputMode="numeric" />
            </Field>
            <Field label="user" error={errors[`jump.${i}.user`]} hint="empty: the cluster's user">
              <input value={j.user} onChange={(e) => setJump(i, { user: e.target.value })} />
            </Field>
            <Field label="key file" error={errors[`jump.${i}.identityFile`]} hint="empty: as the cluster">
              <input value={j.identityFile} onChange={(e) => setJump(i, { identityFile: e.target.value })} />
            </Field>
            <button type="button" onClick={() => setD((x) => ({ ...x, jump: x.jump.filter((_, n) => n !== i) }))} aria-label={`remove hop ${i + 1}`}>
              ✕
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setD((x) => ({ ...x, jump: [...x.jump, { host: '', port: '22', user: '', identityFile: '' }] }))}>
          Add a jump host
        </button>
      </fieldset>

      <div className="form-grid">
        <Field label="Extra known_hosts files (one per line)" error={Object.entries(errors).find(([k]) => k.startsWith('knownHostsFiles'))?.[1]} hint="trusted besides ~/.ssh/known_hosts and keys pinned here">
          <textarea name="knownHostsFiles" rows={2} value={d.knownHostsFiles} onChange={(e) => set('knownHostsFiles', e.target.value)} />
        </Field>
        <Field label="Queue + nodes every (s)" error={errors['poll.queue']}>
          <input name="pollQueue" value={d.pollQueue} onChange={(e) => set('pollQueue', e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="Accounting every (s)" error={errors['poll.accounting']}>
          <input name="pollAccounting" value={d.pollAccounting} onChange={(e) => set('pollAccounting', e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="Fairshare every (s)" error={errors['poll.fairshare']}>
          <input name="pollFairshare" value={d.pollFairshare} onChange={(e) => set('pollFairshare', e.target.value)} inputMode="numeric" />
        </Field>
        <label className="check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} /> poll this cluster
        </label>
      </div>

      <div className="row-actions">
        <button type="submit" className="primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : isNew ? 'Add cluster' : 'Save changes'}
        </button>
        <button type="button" onClick={() => attempt(() => void test.run())} disabled={test.busy}>
          {test.busy ? <span className="spinner" /> : null} {test.busy ? 'Testing…' : 'Test this configuration'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {touched && !validation.ok && <span className="bad">Fix the marked fields first.</span>}
      </div>
      {save.error && (
        <p className="bad" role="alert">
          {save.error}
        </p>
      )}
      {test.error && (
        <p className="bad" role="alert">
          {test.error}
        </p>
      )}
      {test.result && <TestOutcome result={test.result} />}
    </form>
  );
}
