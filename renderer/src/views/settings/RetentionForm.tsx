// How long the cache keeps what (store/retention.ts explains each rule), and where it lives.
import { useCallback, useState } from 'react';
import type { Retention } from '../../../../shared/api/methods/clusters';
import { useBridge } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { SaveRow } from './SaveRow';

const FIELDS: { key: keyof Retention; label: string; hint: string }[] = [
  { key: 'fullSnapshots', label: 'Full snapshots kept', hint: 'per kind; older ones are answered from compact history' },
  { key: 'snapshotDays', label: 'Snapshot history (days)', hint: 'how far back time travel reaches' },
  { key: 'sampleDays', label: 'Node samples (days)', hint: 'heatmap history (5-minute samples)' },
  { key: 'runDays', label: 'Accounting runs (days)', hint: 'empty = forever (finance needs the history)' },
];

export function RetentionForm({ retention, disabled, onSaved }: { retention: Retention; disabled: string | null; onSaved(): void }) {
  const bridge = useBridge();
  const [draft, setDraft] = useState<Record<keyof Retention, string>>(() => ({
    fullSnapshots: String(retention.fullSnapshots),
    snapshotDays: String(retention.snapshotDays),
    sampleDays: String(retention.sampleDays),
    runDays: retention.runDays === null ? '' : String(retention.runDays),
  }));
  const save = useAction(
    useCallback(async () => {
      const num = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : Number.NaN);
      const r = await bridge.api['settings.saveRetention']({
        fullSnapshots: num(draft.fullSnapshots),
        snapshotDays: num(draft.snapshotDays),
        sampleDays: num(draft.sampleDays),
        runDays: draft.runDays.trim() === '' ? null : num(draft.runDays),
      });
      onSaved();
      return r;
    }, [bridge, draft, onSaved]),
  );
  return (
    <form
      className="retention-form"
      aria-label="retention"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <div className="form-grid">
        {FIELDS.map((f) => (
          <label className="field" key={f.key}>
            <span className="field-label">{f.label}</span>
            <input name={f.key} value={draft[f.key]} disabled={disabled !== null} inputMode="numeric" onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))} />
            <span className="field-hint">{f.hint}</span>
          </label>
        ))}
      </div>
      <SaveRow
        label="Save retention"
        busy={save.busy}
        disabled={disabled}
        error={save.error}
        testId="retention-saved"
        saved={save.result ? `Saved and applied: ${Object.entries(save.result.pruned).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing was old enough to prune'}.` : null}
      />
    </form>
  );
}
