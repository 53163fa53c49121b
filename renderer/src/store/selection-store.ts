// The jobs the user selected in the Jobs view, across clusters: what bulk actions (requeue, …) act on. Kept
// by (cluster, raw job id), which is unique; the other fields are what a bulk action needs to preview,
// check permissions and build its commands without another lookup.
import { create } from 'zustand';

export interface SelectedJob {
  cluster: string;
  /** Slurm's unique numeric id of the job record. */
  jobIdRaw: number;
  /** What a person types: `123`, `123_4`, `123_[5-9%2]`. */
  jobId: string;
  state: string;
  user: string;
  account: string;
}

export function selectionKey(job: Pick<SelectedJob, 'cluster' | 'jobIdRaw'>): string {
  return `${job.cluster}:${job.jobIdRaw}`;
}

export interface SelectionState {
  /** Selected jobs by selectionKey, in the order they were selected. */
  selected: ReadonlyMap<string, SelectedJob>;
  /** Where a shift-click range starts: the last row clicked without shift. */
  anchor: string | null;
  /** Replace the selection (a plain click, or "select all matching"). */
  set(jobs: readonly SelectedJob[], anchor?: string | null): void;
  /** Ctrl/Cmd-click: add or remove one job, and move the anchor to it. */
  toggle(job: SelectedJob): void;
  /** Add jobs without removing any (ctrl+shift range). */
  add(jobs: readonly SelectedJob[]): void;
  clear(): void;
}

export const useSelectionStore = create<SelectionState>((set) => ({
  selected: new Map(),
  anchor: null,
  set(jobs, anchor) {
    set((s) => ({ selected: new Map(jobs.map((j) => [selectionKey(j), j])), anchor: anchor === undefined ? s.anchor : anchor }));
  },
  toggle(job) {
    set((s) => {
      const next = new Map(s.selected);
      const key = selectionKey(job);
      if (next.has(key)) next.delete(key);
      else next.set(key, job);
      return { selected: next, anchor: key };
    });
  },
  add(jobs) {
    set((s) => {
      const next = new Map(s.selected);
      for (const j of jobs) next.set(selectionKey(j), j);
      return { selected: next };
    });
  },
  clear() {
    set({ selected: new Map(), anchor: null });
  },
}));

/** The selected jobs as a list (for bulk actions). */
export function selectedJobs(): SelectedJob[] {
  return [...useSelectionStore.getState().selected.values()];
}
