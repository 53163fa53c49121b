// Pending jobs with their sprio factors (weighted, as sprio prints them), sortable by any column,
// virtualized (a busy cluster has tens of thousands of pending jobs).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { PendingPriority } from '../../../../shared/api/methods/fairshare';
import { formatNumber } from '../../format';
import { sortBy, type SortDir } from './sort-rows';

const ROW = 28;
type Key = keyof PendingPriority;
const COLUMNS: { key: Key; label: string; num?: boolean; title?: string }[] = [
  { key: 'jobId', label: 'job' },
  { key: 'user', label: 'user' },
  { key: 'account', label: 'account' },
  { key: 'partition', label: 'partition' },
  { key: 'qos', label: 'QOS' },
  { key: 'reason', label: 'reason' },
  { key: 'gpus', label: 'GPUs', num: true },
  { key: 'priority', label: 'priority', num: true },
  { key: 'age', label: 'age', num: true },
  { key: 'fairshare', label: 'fairshare', num: true },
  { key: 'jobSize', label: 'job size', num: true },
  { key: 'partitionFactor', label: 'part. factor', num: true, title: 'partition factor (sprio PARTITION)' },
  { key: 'qosFactor', label: 'QOS factor', num: true, title: 'QOS factor (sprio QOS)' },
  { key: 'site', label: 'site', num: true },
  { key: 'tres', label: 'TRES', title: 'TRES factors as sprio prints them' },
];

function cell(v: PendingPriority[Key]): string {
  if (v === null) return '—';
  if (typeof v === 'number') return formatNumber(v, Number.isInteger(v) ? 0 : 2);
  return v;
}

export function PendingTable({ jobs }: { jobs: readonly PendingPriority[] }) {
  const [sort, setSort] = useState<{ key: Key; dir: SortDir }>({ key: 'priority', dir: 'desc' });
  const rows = useMemo(() => sortBy(jobs, sort.key, sort.dir), [jobs, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  const click = (key: Key) => setSort((s) => ({ key, dir: s.key === key && s.dir === 'desc' ? 'asc' : 'desc' }));
  return (
    <div className="fs-pending" role="table" aria-label="pending jobs and their priority factors" data-testid="pending-table">
      <div className="fs-prow fs-phead" role="row">
        {COLUMNS.map((c) => (
          <button
            key={`${c.key}-${c.label}`}
            type="button"
            role="columnheader"
            className={c.num ? 'num' : ''}
            title={c.title}
            aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            onClick={() => click(c.key)}
          >
            {c.label}
            {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
          </button>
        ))}
      </div>
      <div className="fs-pscroll" ref={scroller}>
        <div style={{ height: `${v.getTotalSize()}px`, position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const j = rows[item.index] as PendingPriority;
            return (
              <div key={`${j.jobIdRaw}/${j.partition}`} className="fs-prow" role="row" data-testid={`pending-${j.jobId}`} style={{ transform: `translateY(${item.start}px)`, height: `${ROW}px` }}>
                {COLUMNS.map((c) => (
                  <span key={`${c.key}-${c.label}`} className={`${c.num ? 'num' : ''}${c.key === 'jobId' ? ' mono' : ''}`} title={c.key === 'jobId' ? (j.name ?? undefined) : undefined}>
                    {cell(j[c.key])}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
