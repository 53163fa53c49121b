// The virtualized jobs table: only the rows in view (plus a few) exist in the DOM, whatever the queue's
// size. Columns sort on click; rows select on click (ctrl/cmd toggles, shift takes a range).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { formatTime, timeTitle } from '../../format';
import type { SortColumn, SortKey } from './job-filter';
import { rowAt, rowKey, type JobRow, type JobsData } from './jobs-data';
import { gpuLabel, slurmDuration } from './jobs-format';

export const ROW_HEIGHT = 28;

interface Column {
  id: SortColumn;
  title: string;
  width: number;
  align?: 'right';
  cell(row: JobRow, copy: (id: string) => void): ReactNode;
}

function Time({ t, zone }: { t: number | null; zone: string | null }) {
  if (t === null) return <span className="muted">—</span>;
  return <time title={timeTitle(t, zone)}>{formatTime(t)}</time>;
}

/** Two overlapping sheets: the usual "copy" icon, drawn so it needs no icon font. */
export function CopyIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="5" y="5" width="9" height="9" rx="1.5" />
      <path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5" />
    </svg>
  );
}

const COLUMNS: Column[] = [
  { id: 'cluster', title: 'Cluster', width: 80, cell: (r) => r.cluster },
  {
    id: 'jobId',
    title: 'Job ID',
    width: 120,
    cell: (r, copy) => (
      <>
        <span className="job-id">{r.jobId}</span>
        <button
          type="button"
          className="copy"
          aria-label={`copy job id ${r.jobId}`}
          title="copy job id"
          onClick={(e) => {
            e.stopPropagation();
            copy(r.jobId);
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          <CopyIcon />
        </button>
      </>
    ),
  },
  { id: 'name', title: 'Name', width: 160, cell: (r) => <span title={r.name}>{r.name}</span> },
  { id: 'user', title: 'User', width: 90, cell: (r) => r.user },
  { id: 'account', title: 'Account', width: 100, cell: (r) => r.account },
  { id: 'partition', title: 'Partition', width: 100, cell: (r) => r.partition },
  { id: 'qos', title: 'QOS', width: 70, cell: (r) => r.qos },
  { id: 'state', title: 'State', width: 100, cell: (r) => <span className={`job-state job-state-${r.state.toLowerCase()}`}>{r.state}</span> },
  { id: 'reason', title: 'Reason', width: 130, cell: (r) => <span title={r.reason ?? ''}>{r.reason ?? ''}</span> },
  { id: 'gpus', title: 'GPUs', width: 90, align: 'right', cell: (r) => gpuLabel(r.gpus, r.gpuType) },
  { id: 'nodes', title: 'Nodes', width: 120, cell: (r) => <span title={`${r.numNodes} node(s)`}>{r.nodes ?? `(${r.numNodes})`}</span> },
  { id: 'submitTime', title: 'Submitted', width: 150, cell: (r) => <Time t={r.submitTime} zone={r.timeZone} /> },
  { id: 'startTime', title: 'Started', width: 150, cell: (r) => <Time t={r.startTime} zone={r.timeZone} /> },
  { id: 'timeLimit', title: 'Time limit', width: 100, align: 'right', cell: (r) => slurmDuration(r.timeLimit) },
  { id: 'restarts', title: 'Restarts', width: 70, align: 'right', cell: (r) => (r.restarts > 0 ? <strong>{r.restarts}</strong> : '0') },
];

const TEMPLATE = COLUMNS.map((c) => `${c.width}px`).join(' ');
const WIDTH = COLUMNS.reduce((w, c) => w + c.width, 0);

export interface JobsGridProps {
  data: JobsData;
  /** Row indices in display order (filtered and sorted). */
  rows: Uint32Array;
  isSelected(key: string): boolean;
  /** Position in `rows` of the keyboard cursor. */
  cursor: number;
  sort: SortKey | null;
  onSort(column: SortColumn): void;
  onRowClick(position: number, e: MouseEvent): void;
  onOpen(position: number): void;
  onKeyDown(e: KeyboardEvent<HTMLDivElement>): void;
  copy(id: string): void;
}

export function JobsGrid({ data, rows, isSelected, cursor, sort, onSort, onRowClick, onOpen, onKeyDown, copy }: JobsGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  useEffect(() => {
    if (cursor >= 0 && cursor < rows.length) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, rows.length, virtualizer]);

  return (
    <div
      className="jobs-grid"
      ref={scroller}
      role="grid"
      aria-label="jobs"
      aria-rowcount={rows.length + 1}
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="jobs-grid"
    >
      <div className="jobs-head" role="row" style={{ gridTemplateColumns: TEMPLATE, width: WIDTH }}>
        {COLUMNS.map((c) => {
          const dir = sort?.column === c.id ? sort.dir : null;
          return (
            <div key={c.id} role="columnheader" aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'} className={c.align === 'right' ? 'right' : ''}>
              <button type="button" onClick={() => onSort(c.id)} title={`sort by ${c.title}`}>
                {c.title}
                {dir && <span aria-hidden="true">{dir === 'asc' ? ' ▲' : ' ▼'}</span>}
              </button>
            </div>
          );
        })}
      </div>
      <div className="jobs-body" style={{ height: virtualizer.getTotalSize(), width: WIDTH }}>
        {virtualizer.getVirtualItems().map((v) => {
          const i = rows[v.index] as number;
          const row = rowAt(data, i);
          const key = rowKey(data, i);
          const selected = isSelected(key);
          return (
            <div
              key={key}
              role="row"
              aria-rowindex={v.index + 2}
              aria-selected={selected}
              data-testid="job-row"
              data-key={key}
              className={`jobs-row${selected ? ' selected' : ''}${v.index === cursor ? ' cursor' : ''}`}
              style={{ transform: `translateY(${v.start}px)`, gridTemplateColumns: TEMPLATE }}
              onClick={(e) => onRowClick(v.index, e)}
              onDoubleClick={() => onOpen(v.index)}
            >
              {COLUMNS.map((c) => (
                <div key={c.id} role="gridcell" data-col={c.id} className={c.align === 'right' ? 'right' : ''}>
                  {c.cell(row, copy)}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
