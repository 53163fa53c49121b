// One filter of the Jobs view: a drop-down list of the values found in the queue, with how many jobs
// carry each; ticking several means any of them. The list (hundreds of users) is only rendered while the
// menu is open, and the closed menu re-renders only when its own values change: a keystroke in the search
// box must not rebuild eight lists.
import { memo, useMemo, useState } from 'react';
import type { Facet } from './job-filter';

function Options({ title, facet, chosen, onChange }: { title: string; facet: Facet; chosen: readonly string[]; onChange(values: string[]): void }) {
  const options = useMemo(
    () =>
      facet.labels
        .map((label, k) => ({ label, count: facet.counts[k] as number }))
        .filter((o) => o.count > 0 || chosen.includes(o.label))
        .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
    [facet, chosen],
  );
  return (
    <div className="facet-options" role="group" aria-label={`${title} filter`}>
      {chosen.length > 0 && (
        <button type="button" className="facet-clear" onClick={() => onChange([])}>
          any {title}
        </button>
      )}
      {options.map((o) => (
        <label key={o.label}>
          <input type="checkbox" checked={chosen.includes(o.label)} onChange={(e) => onChange(e.target.checked ? [...chosen, o.label] : chosen.filter((c) => c !== o.label))} />
          <span className="facet-label">{o.label}</span>
          <span className="facet-count">{o.count.toLocaleString()}</span>
        </label>
      ))}
    </div>
  );
}

export const FacetMenu = memo(function FacetMenu({ title, facet, chosen, onChange }: { title: string; facet: Facet; chosen: readonly string[]; onChange(values: string[]): void }) {
  const [open, setOpen] = useState(false);
  const summary = chosen.length === 0 ? 'any' : chosen.length === 1 ? chosen[0] : `${chosen.length} values`;
  return (
    <details className={`facet${chosen.length ? ' facet-active' : ''}`} data-testid={`facet-${title}`} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {title}: <strong>{summary}</strong>
      </summary>
      {open && <Options title={title} facet={facet} chosen={chosen} onChange={onChange} />}
    </details>
  );
});
