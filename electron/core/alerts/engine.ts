// The alert engine: after each stored queue + nodes snapshot of a cluster it evaluates the rules on that
// snapshot (plus history from node samples and, where configured, a utilization reading), moves the
// cluster's alerts through their lifecycle, stores states and events in one transaction, and tells the
// hosts (an `alerts.changed` event; a notice through the Notifier for alerts the user should hear about).
// A periodic stale check raises "data stale" for clusters whose data stopped coming, which freezes their
// other alerts instead of resolving them. Evaluations of one cluster never overlap; clusters never wait for
// each other, and a failing evaluation of one cluster is reported without touching the others.
import { evaluateRules } from '../../../shared/alerts/evaluate';
import { acknowledge, advance, snooze } from '../../../shared/alerts/lifecycle';
import { paramsFor } from '../../../shared/alerts/params';
import { staleFinding } from '../../../shared/alerts/rules/data-stale';
import { ALERT_RULES, type AlertEvent, type AlertInput, type AlertRule, type AlertSettings, type Finding, type UtilizationReading } from '../../../shared/alerts/types';
import type { QueuedJob } from '../../../shared/model/job';
import type { Notifier } from '../ports';
import { systemClock, type Clock } from '../ports';
import { AlertsRepo, type StoredAlert } from '../store/alerts-repo';
import { AsOf } from '../store/as-of';
import { ClustersRepo } from '../store/clusters-repo';
import type { Store } from '../store/db';
import { NodeSamplesRepo } from '../store/node-samples-repo';
import { SettingsRepo } from '../store/settings-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { readAlertSettings } from './alert-settings';
import { outOfServiceEpisodes, partitionWindowShares } from './history-input';

export interface AlertEngineOptions {
  clock?: Clock;
  notifier?: Notifier | null;
  /** Called after every evaluation that changed something (the host forwards it as an event). */
  changed?: (summary: AlertsChanged) => void;
  /** Reads GPU utilization for a cluster's running jobs; null when none is configured (the rule is then unavailable). */
  utilization?: ((cluster: string, jobs: readonly QueuedJob[]) => Promise<UtilizationReading | null>) | null;
  /** The connection state of a cluster, for the stale alert's text. */
  connection?: ((cluster: string) => { state: string; message: string | null } | null) | null;
}

export interface AlertsChanged {
  clusters: string[];
  /** Active (open + acknowledged) alerts over all clusters; snoozed ones are not counted. */
  open: number;
  critical: number;
}

export interface EvaluationSummary {
  cluster: string;
  at: number;
  /** false: no exact nodes + queue snapshot to evaluate (or the cluster's data is stale). */
  evaluated: boolean;
  events: AlertEvent[];
}

/** How long repeat-offender history is reused before it is read from the samples again. */
const HISTORY_TTL_S = 600;

export class AlertEngine {
  private readonly repo: AlertsRepo;
  private readonly clock: Clock;
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly historyCache = new Map<string, { at: number; days: number; value: AlertInput['outOfServiceHistory'] }>();

  constructor(
    private readonly store: Store,
    private readonly options: AlertEngineOptions = {},
  ) {
    this.repo = new AlertsRepo(store.db);
    this.clock = options.clock ?? systemClock;
  }

  settings(): AlertSettings {
    return readAlertSettings(new SettingsRepo(this.store.db));
  }

  private now(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** Run `work` after the cluster's previous evaluation finished. */
  private serial<T>(cluster: string, work: () => Promise<T>): Promise<T> {
    const previous = this.running.get(cluster) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.running.set(cluster, next);
    const clear = () => {
      if (this.running.get(cluster) === next) this.running.delete(cluster);
    };
    next.then(clear, clear);
    return next;
  }

  /** Wait for running evaluations (before the store closes). */
  async drain(): Promise<void> {
    await Promise.all([...this.running.values()].map((p) => p.catch(() => undefined)));
  }

  /** Evaluate the cluster's latest nodes + queue snapshot. */
  evaluate(cluster: string): Promise<EvaluationSummary> {
    return this.serial(cluster, () => this.evaluateNow(cluster));
  }

  private async evaluateNow(cluster: string): Promise<EvaluationSummary> {
    const settings = this.settings();
    const asOf = new AsOf(this.store.db);
    const nodes = asOf.nodes(cluster);
    const queue = asOf.queue(cluster);
    // Rules read full rows (GPU indices, reasons, requests): compact history is not enough to judge.
    if (!nodes || !queue || !nodes.exact || !queue.exact) return { cluster, at: this.now(), evaluated: false, events: [] };
    const at = Math.max(nodes.snapshot.finishedAt, queue.snapshot.finishedAt);
    const params = paramsFor(settings, cluster);
    const partitions = asOf.partitions(cluster)?.partitions ?? null;
    const clusterId = new ClustersRepo(this.store.db).idOf(cluster);
    const samples = new NodeSamplesRepo(this.store.db);
    const windowS = params.underusedWindowMinutes * 60;
    const input: AlertInput = {
      cluster,
      at,
      nodes: nodes.nodes,
      partitions,
      jobs: queue.jobs,
      outOfServiceHistory: this.history(clusterId, cluster, at, params.repeatOffenderDays, samples),
      partitionWindow: partitionWindowShares(samples.timeline(clusterId, at - windowS, at), partitions, nodes.nodes),
      utilization: null,
    };
    let utilError: string | null = null;
    if (this.options.utilization && params.enabled['allocated-idle']) {
      try {
        input.utilization = await this.options.utilization(cluster, queue.jobs);
      } catch (err) {
        utilError = (err as Error).message;
      }
    }
    const evaluation = evaluateRules(input, settings);
    // A failed utilization read this round freezes the idle rule (no false resolves), but says why.
    if (utilError !== null) {
      evaluation.unavailable = evaluation.unavailable.map((u) => (u.rule === 'allocated-idle' ? { ...u, reason: `utilization read failed: ${utilError}` } : u));
    }
    const evaluated: AlertRule[] = [...evaluation.evaluated.filter((r) => !(r === 'allocated-idle' && utilError !== null)), 'data-stale'];
    const events = this.apply(cluster, at, evaluation.findings, evaluated, settings, evaluation.unknown, () => {
      const status = ALERT_RULES.filter((r) => r !== 'data-stale').map((rule) => {
        const u = evaluation.unavailable.find((x) => x.rule === rule);
        const source = rule === 'allocated-idle' && input.utilization?.available ? input.utilization.source : null;
        return { cluster, rule, available: u === undefined, reason: u?.reason ?? null, source, at };
      });
      this.repo.setRuleStatus(status);
    });
    return { cluster, at, evaluated: true, events };
  }

  private history(clusterId: number, cluster: string, at: number, days: number, samples: NodeSamplesRepo): AlertInput['outOfServiceHistory'] {
    const cached = this.historyCache.get(cluster);
    if (cached && cached.days === days && at - cached.at < HISTORY_TTL_S && at >= cached.at) return cached.value;
    const value = outOfServiceEpisodes(samples.timeline(clusterId, at - days * 86_400, at));
    this.historyCache.set(cluster, { at, days, value });
    return value;
  }

  /**
   * Raise (or clear) "data stale" for every cluster from the age of its last nodes + queue snapshot. While
   * a cluster is stale nothing else of it is evaluated, so its alerts stay as they were.
   */
  checkStale(): Promise<EvaluationSummary[]> {
    const names = new ClustersRepo(this.store.db)
      .list()
      .filter((c) => c.config.enabled)
      .map((c) => c.name);
    return Promise.all(names.map((cluster) => this.serial(cluster, async () => this.checkStaleNow(cluster))));
  }

  private checkStaleNow(cluster: string): EvaluationSummary {
    const settings = this.settings();
    const at = this.now();
    const id = new ClustersRepo(this.store.db).idOf(cluster);
    const snaps = new SnapshotsRepo(this.store.db);
    const n = snaps.latest(id, 'nodes');
    const q = snaps.latest(id, 'queue');
    const lastCollectedAt = n && q ? Math.min(n.finishedAt, q.finishedAt) : null;
    const finding = staleFinding({ cluster, at, lastCollectedAt, connection: this.options.connection?.(cluster) ?? null }, settings);
    const events = this.apply(cluster, at, finding ? [finding] : [], ['data-stale'], settings, []);
    return { cluster, at, evaluated: finding === null, events };
  }

  private apply(cluster: string, at: number, findings: Finding[], evaluated: AlertRule[], settings: AlertSettings, unknown: { rule: AlertRule; subject: string }[], more?: () => void): AlertEvent[] {
    const params = paramsFor(settings, cluster);
    const lookback = at - Math.max(params.quietReopenMinutes, params.resolveAfterMinutes) * 60;
    const ids = new Map<string, number>();
    const events: AlertEvent[] = [];
    this.store.db.transaction(() => {
      const previous = this.repo.forLifecycle(cluster, lookback);
      const result = advance({ cluster, at, previous, findings, evaluated, unknown, settings });
      for (const d of result.dropped) this.repo.dropPending(d);
      for (const s of result.changed) ids.set(`${s.rule}\u0000${s.subject}`, this.repo.save(s));
      for (const e of result.events) {
        const id = ids.get(`${e.rule}\u0000${e.subject}`) ?? this.repo.byKey(cluster, e.rule, e.subject)?.id;
        if (id !== undefined) this.repo.addEvent(id, e);
      }
      more?.();
      events.push(...result.events);
    })();
    if (events.length > 0 || findings.length > 0) this.announce(cluster, events, ids);
    return events;
  }

  private announce(cluster: string, events: AlertEvent[], ids: Map<string, number>): void {
    for (const e of events) {
      if (!e.notify) continue;
      const alertId = ids.get(`${e.rule}\u0000${e.subject}`);
      if (alertId === undefined) continue;
      try {
        this.options.notifier?.notify({ alertId, cluster, title: e.state.title, body: e.state.body, severity: e.state.severity });
      } catch {
        // A notification that cannot be shown must not undo the evaluation.
      }
    }
    if (events.length > 0) this.options.changed?.({ clusters: [cluster], ...this.totals() });
  }

  totals(): { open: number; critical: number } {
    let open = 0;
    let critical = 0;
    for (const c of this.repo.activeCounts().values()) {
      open += c.open + c.acknowledged;
      critical += c.critical;
    }
    return { open, critical };
  }

  acknowledge(id: number, by: string): StoredAlert {
    return this.userAction(id, (s, at) => acknowledge(s, by, at));
  }

  snooze(id: number, until: number, by: string): StoredAlert {
    return this.userAction(id, (s, at) => snooze(s, until, by, at));
  }

  private userAction(id: number, act: (s: StoredAlert, at: number) => { state: StoredAlert | Omit<StoredAlert, 'id'>; event: AlertEvent }): StoredAlert {
    const at = this.now();
    let saved: StoredAlert | null = null;
    let cluster = '';
    this.store.db.transaction(() => {
      const s = this.repo.get(id);
      if (!s) throw new AlertNotFound(id);
      cluster = s.cluster;
      const { state, event } = act(s, at);
      this.repo.save(state);
      this.repo.addEvent(id, event);
      saved = this.repo.get(id);
    })();
    this.options.changed?.({ clusters: [cluster], ...this.totals() });
    return saved as unknown as StoredAlert;
  }
}

export class AlertNotFound extends Error {
  constructor(readonly id: number) {
    super(`no alert with id ${id}`);
    this.name = 'AlertNotFound';
  }
}
