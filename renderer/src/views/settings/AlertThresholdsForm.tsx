// Alert thresholds: global defaults, a cluster's overrides, or one partition's; an empty field inherits
// from the level above (shown as its placeholder). Rules can be turned off per level.
import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_RULE_PARAMS, paramsFor } from '../../../../shared/alerts/params';
import { ALERT_RULES, type AlertRule, type AlertSettings } from '../../../../shared/alerts/types';
import { useBridge } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { SaveRow } from './SaveRow';
import { useQuery } from '../../hooks/use-query';
import { fieldsOf, overrideAt, THRESHOLD_FIELDS, withLevel, type Level, type NumericKey, type Settings } from './alert-thresholds-model';

export function AlertThresholdsForm({ clusters, disabled }: { clusters: string[]; disabled: string | null }) {
  const bridge = useBridge();
  const q = useQuery<Settings>(() => bridge.api['alerts.settings']({}) as Promise<Settings>, [bridge]);
  const [level, setLevel] = useState<Level>({ cluster: null, partition: null });
  const [fields, setFields] = useState<Record<NumericKey, string> | null>(null);
  const [enabled, setEnabled] = useState<Partial<Record<AlertRule, boolean>>>({});
  const settings = q.data;
  const { reload } = q;
  useEffect(() => {
    if (!settings) return;
    const o = overrideAt(settings, level);
    setFields(fieldsOf(o));
    setEnabled({ ...(o.enabled ?? {}) });
  }, [settings, level]);
  const save = useAction(
    useCallback(async () => {
      if (!settings || !fields) return null;
      const next = withLevel(settings, level, fields, enabled);
      const r = await bridge.api['alerts.saveSettings'](next as Parameters<(typeof bridge.api)['alerts.saveSettings']>[0]);
      reload();
      return r;
    }, [bridge, settings, level, fields, enabled, reload]),
  );
  if (!settings || !fields) return <p className="muted">{q.error ? `Alert settings could not be read: ${q.error}` : 'Loading alert settings…'}</p>;
  // What applies above this level: the placeholder an empty field falls back to.
  const parent = level.cluster === null ? DEFAULT_RULE_PARAMS : paramsFor(settings as AlertSettings, level.partition ? level.cluster : '', null);
  return (
    <form
      className="retention-form"
      aria-label="alert thresholds"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Level</span>
          <select
            aria-label="level"
            value={level.cluster ?? ''}
            onChange={(e) => setLevel({ cluster: e.target.value === '' ? null : e.target.value, partition: null })}
          >
            <option value="">All clusters (defaults)</option>
            {clusters.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        {level.cluster !== null && (
          <label className="field">
            <span className="field-label">Partition (optional)</span>
            <input aria-label="partition" value={level.partition ?? ''} placeholder="whole cluster" onChange={(e) => setLevel({ ...level, partition: e.target.value.trim() === '' ? null : e.target.value.trim() })} />
          </label>
        )}
        {THRESHOLD_FIELDS.map((f) => (
          <label className="field" key={f.key}>
            <span className="field-label">
              {f.label} ({f.unit})
            </span>
            <input name={f.key} inputMode="decimal" value={fields[f.key]} placeholder={String(parent[f.key])} disabled={disabled !== null} onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })} />
          </label>
        ))}
      </div>
      <fieldset className="rule-switches" disabled={disabled !== null}>
        <legend>Rules at this level</legend>
        {ALERT_RULES.map((r) => (
          <label key={r}>
            {r}{' '}
            <select aria-label={`rule ${r}`} value={enabled[r] === undefined ? '' : enabled[r] ? 'on' : 'off'} onChange={(e) => setEnabled({ ...enabled, [r]: e.target.value === '' ? undefined : e.target.value === 'on' })}>
              <option value="">inherit ({parent.enabled[r] ? 'on' : 'off'})</option>
              <option value="on">on</option>
              <option value="off">off</option>
            </select>
          </label>
        ))}
      </fieldset>
      <SaveRow
        label="Save alert thresholds"
        busy={save.busy}
        disabled={disabled}
        error={save.error}
        testId="alert-thresholds-saved"
        saved={save.result ? 'Saved; applies from the next evaluation.' : null}
      />
    </form>
  );
}
