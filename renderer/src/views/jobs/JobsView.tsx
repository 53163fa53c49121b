// Jobs: every cluster's queue (as of the time-travel moment) in one virtualized table with filters,
// sorting, multi-select for bulk actions (requeue / requeue-hold / release: BulkActionDialog) and a detail
// drawer with the job's runs from accounting.
import { Suspense, lazy, useCallback, useEffect, useMemo, useState, useTransition, type KeyboardEvent } from 'react';
import { AsOf } from '../../components/AsOf';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatNumber } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery } from '../../hooks/use-query';
import { useAppStore } from '../../store/app-store';
import { useFocusStore } from '../../store/focus-store';
import { useSelectionStore, type SelectedJob } from '../../store/selection-store';
import { useUiStore } from '../../store/ui-store';
import { FacetMenu } from './FacetMenu';
import { findJobRow } from './find-job';
import { JobDrawer } from './JobDrawer';
import { JobsGrid } from './JobsGrid';
import { buildFacets, FACET_TITLES, FACETS, filterRows, lowerDicts, sortRows, type FacetFilter, type FacetName, type SortColumn, type SortKey } from './job-filter';
import { decodeJobsTable, rowAt, rowKey, type JobRow, type JobsData } from './jobs-data';
import './jobs.css';

const NONE: readonly string[] = [];

// Bulk actions are opened now and then, by admins: their code loads on first use, not with every page.
const BulkActionDialog = lazy(() => import('./BulkActionDialog').then((m) => ({ default: m.BulkActionDialog })));

function selectedJobOf(d: JobsData, i: number): SelectedJob {
  const r = rowAt(d, i);
  return { cluster: r.cluster, jobIdRaw: r.jobIdRaw, jobId: r.jobId, state: r.state, user: r.user, account: r.account };
}

function useCopy(): [string | null, (id: string) => void] {
  const [note, setNote] = useState<string | null>(null);
  const copy = useCallback((id: string) => {
    navigator.clipboard.writeText(id).then(
      () => setNote(`copied ${id}`),
      () => setNote(`could not copy ${id}: the browser refused clipboard access`),
    );
    setTimeout(() => setNote(null), 2500);
  }, []);
  return [note, copy];
}

function JobsExplorer({ data, refreshing }: { data: JobsData; refreshing: boolean }) {
  const uiCluster = useUiStore((s) => s.cluster);
  const setCluster = useUiStore((s) => s.setCluster);
  const [facetFilter, setFacetFilter] = useState<FacetFilter>({});
  const [text, setText] = useState('');
  const [sort, setSort] = useState<SortKey | null>(null);
  // The keyboard cursor follows a job (cluster index + raw id), not a position, so it stays on the same
  // job while filters and sorting change around it.
  const [cursorJob, setCursorJob] = useState<{ c: number; raw: number } | null>(null);
  const [drawer, setDrawer] = useState<JobRow | null>(null);
  // The jobs a bulk action was opened on (the selection at that moment), while its dialog is open.
  const [bulk, setBulk] = useState<SelectedJob[] | null>(null);
  const source = useAppStore((s) => s.info?.source ?? null);
  const at = useUiStore((s) => s.at);
  const selected = useSelectionStore((s) => s.selected);
  const anchor = useSelectionStore((s) => s.anchor);
  const selection = useSelectionStore();
  const [copyNote, copy] = useCopy();

  // Escape closes the drawer wherever the focus is; only when no drawer is open does it reach the app's
  // own Escape (leave time travel). Capture on window runs before the app's listener there. While a bulk
  // action dialog is open, Escape is the dialog's.
  useEffect(() => {
    if (!drawer || bulk) return undefined;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopImmediatePropagation();
      setDrawer(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [drawer, bulk]);

  // Opened on one job (an alert's "jump to job"): find it by its id, select it and open its drawer.
  const focus = useFocusStore((s) => (s.focus?.view === 'jobs' && s.focus.job ? s.focus : null));
  useEffect(() => {
    if (!focus?.job) return;
    useFocusStore.getState().clear();
    setText(focus.job);
    const i = findJobRow(data, focus.cluster, focus.job);
    if (i < 0) return;
    useSelectionStore.getState().set([selectedJobOf(data, i)], rowKey(data, i));
    setCursorJob({ c: data.cluster[i] as number, raw: data.jobIdRaw[i] as number });
    setDrawer(rowAt(data, i));
  }, [focus, data]);

  // The app-wide cluster filter is this view's cluster filter when it names one cluster.
  const facets = useMemo(() => buildFacets(data), [data]);
  const lower = useMemo(() => lowerDicts(data), [data]);
  const order = useMemo(() => sortRows(data, sort), [data, sort]);
  const effective: FacetFilter = useMemo(() => (uiCluster ? { ...facetFilter, cluster: [uiCluster] } : facetFilter), [facetFilter, uiCluster]);
  const rows = useMemo(() => filterRows(data, facets, lower, { facets: effective, text }, order), [data, facets, lower, effective, text, order]);
  const pos = useMemo(() => {
    if (!cursorJob) return 0;
    for (let p = 0; p < rows.length; p++) {
      const i = rows[p] as number;
      if (data.jobIdRaw[i] === cursorJob.raw && data.cluster[i] === cursorJob.c) return p;
    }
    return 0;
  }, [cursorJob, rows, data]);
  const setCursor = (p: number) => {
    const i = rows[p];
    setCursorJob(i === undefined ? null : { c: data.cluster[i] as number, raw: data.jobIdRaw[i] as number });
  };

  const setFacet = useCallback(
    (name: FacetName, values: string[]) => {
      if (name === 'cluster') {
        setCluster(values.length === 1 ? (values[0] as string) : null);
        setFacetFilter((f) => ({ ...f, cluster: values.length === 1 ? [] : values }));
      } else setFacetFilter((f) => ({ ...f, [name]: values }));
    },
    [setCluster],
  );
  // One stable handler per facet, so a closed, unchanged menu does not re-render on a keystroke.
  const facetHandlers = useMemo(() => Object.fromEntries(FACETS.map((f) => [f, (v: string[]) => setFacet(f, v)])) as Record<FacetName, (v: string[]) => void>, [setFacet]);
  const anyFilter = text !== '' || FACETS.some((f) => (effective[f]?.length ?? 0) > 0);

  // Sorting 50k rows by a text column takes a moment: as a transition, the page says so meanwhile.
  const [sorting, startSorting] = useTransition();
  const onSort = (column: SortColumn) =>
    startSorting(() => setSort((s) => (s?.column !== column ? { column, dir: 'asc' } : s.dir === 'asc' ? { column, dir: 'desc' } : null)));

  const positionOfKey = (key: string | null): number => {
    if (key === null) return -1;
    for (let p = 0; p < rows.length; p++) if (rowKey(data, rows[p] as number) === key) return p;
    return -1;
  };

  /** Click: select only this row; toggle (ctrl/cmd): add or remove it; shift: the range from the anchor. */
  const pick = (p: number, e: { shiftKey: boolean; toggle: boolean }) => {
    const i = rows[p] as number;
    const job = selectedJobOf(data, i);
    setCursor(p);
    if (e.shiftKey) {
      const from = positionOfKey(anchor);
      const [a, b] = from < 0 ? [p, p] : [Math.min(from, p), Math.max(from, p)];
      const range: SelectedJob[] = [];
      for (let k = a; k <= b; k++) range.push(selectedJobOf(data, rows[k] as number));
      if (e.toggle) selection.add(range);
      else selection.set(range);
    } else if (e.toggle) selection.toggle(job);
    else selection.set([job], rowKey(data, i));
  };

  const selectAllMatching = () => {
    const all: SelectedJob[] = new Array(rows.length);
    for (let p = 0; p < rows.length; p++) all[p] = selectedJobOf(data, rows[p] as number);
    selection.set(all, null);
  };

  const open = (p: number) => {
    if (p >= 0 && p < rows.length) setDrawer(rowAt(data, rows[p] as number));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = 20;
    const move = (to: number) => {
      e.preventDefault();
      setCursor(Math.max(0, Math.min(rows.length - 1, to)));
    };
    if (e.key === 'ArrowDown') move(pos + 1);
    else if (e.key === 'ArrowUp') move(pos - 1);
    else if (e.key === 'PageDown') move(pos + page);
    else if (e.key === 'PageUp') move(pos - page);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if (e.key === 'Enter') {
      e.preventDefault();
      open(pos);
    } else if (e.key === ' ' && rows.length > 0) {
      e.preventDefault();
      pick(pos, { shiftKey: e.shiftKey, toggle: true });
    } else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      selectAllMatching();
    } else if (e.key === 'Escape' && drawer) {
      e.stopPropagation();
      setDrawer(null);
    }
  };

  return (
    <section className={`jobs-view${drawer ? ' with-drawer' : ''}`} data-testid="jobs-view" data-match-count={rows.length} data-query={text}>
      <div className="jobs-asof">
        {data.clusters.map((c) => (
          <span key={c.name} className="jobs-asof-cluster" data-testid={`jobs-asof-${c.name}`}>
            <strong>{c.name}</strong> {formatNumber(c.count)} jobs · <AsOf at={c.asOf} zone={c.timeZone} />
            {!c.exact && <span className="muted" title="The full rows of this queue snapshot were thinned out by retention; priority is not kept in history."> · from history</span>}
          </span>
        ))}
        {sorting && (
          <span className="muted" role="status">
            <span className="spinner" /> sorting…
          </span>
        )}
        {refreshing && (
          <span className="muted" role="status">
            <span className="spinner" /> refreshing…
          </span>
        )}
      </div>
      <div className="jobs-filters" role="search">
        <input
          type="search"
          className="jobs-text"
          placeholder="Search job id, name, user, account, nodes, reason…"
          aria-label="search jobs"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
          }}
        />
        {FACETS.map((f) => (
          <FacetMenu key={f} title={FACET_TITLES[f]} facet={facets[f]} chosen={effective[f] ?? NONE} onChange={facetHandlers[f]} />
        ))}
        {anyFilter && (
          <button
            type="button"
            onClick={() => {
              setFacetFilter({});
              setText('');
              setCluster(null);
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <div className="jobs-status" aria-live="polite">
        <span data-testid="jobs-count">
          {formatNumber(rows.length)} of {formatNumber(data.count)} jobs
        </span>
        <span data-testid="selection-count">{formatNumber(selected.size)} selected</span>
        <button type="button" onClick={selectAllMatching} disabled={rows.length === 0}>
          Select all {formatNumber(rows.length)} matching
        </button>
        <button type="button" onClick={() => selection.clear()} disabled={selected.size === 0}>
          Clear selection
        </button>
        <button
          type="button"
          onClick={() => setBulk([...selected.values()])}
          disabled={selected.size === 0 || (source !== null && source !== 'live')}
          title={source !== null && source !== 'live' ? 'Job actions need live clusters: this console shows recorded data' : 'Preview, confirm and run a requeue, requeue-hold or release of the selected jobs'}
          aria-haspopup="dialog"
          data-testid="bulk-open"
        >
          Requeue / hold / release…
        </button>
        {copyNote && <span className="muted">{copyNote}</span>}
      </div>
      <div className="jobs-main">
        {data.count === 0 ? (
          <EmptyState title="No jobs in the queue">
            {data.clusters.length === 0 ? 'No cluster is configured yet.' : data.clusters.some((c) => c.asOf === null) ? 'Some clusters have not been synced yet.' : 'Every cluster\u2019s queue was empty at that time.'}
          </EmptyState>
        ) : rows.length === 0 ? (
          <EmptyState title="No job matches these filters">Loosen a filter or clear them all.</EmptyState>
        ) : (
          <JobsGrid
            data={data}
            rows={rows}
            isSelected={(k) => selected.has(k)}
            cursor={pos}
            sort={sort}
            onSort={onSort}
            onRowClick={(p, e) => pick(p, { shiftKey: e.shiftKey, toggle: e.ctrlKey || e.metaKey })}
            onOpen={open}
            onKeyDown={onKeyDown}
            copy={copy}
          />
        )}
        {drawer && <JobDrawer job={drawer} onClose={() => setDrawer(null)} copy={copy} />}
      </div>
      {bulk && (
        <Suspense fallback={null}>
          <BulkActionDialog jobs={bulk} timeTravel={at !== null} onClose={() => setBulk(null)} />
        </Suspense>
      )}
    </section>
  );
}

export function JobsView() {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const q = useQuery<JobsData>(async () => decodeJobsTable(await bridge.api['jobs.table'](at ? { at } : {})), [bridge, at]);
  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.data) return <Loading label="Loading every cluster's queue…" />;
  return <JobsExplorer data={q.data} refreshing={q.loading} />;
}
