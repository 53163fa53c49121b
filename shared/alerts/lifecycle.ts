// Alert lifecycle: findings over time become alerts, one per (cluster, rule, subject), updated in place.
//
//   (finding seen) ── pending ──(held for the rule's N minutes)──▶ open ──ack──▶ acknowledged
//                       │                                           │  └─snooze─▶ snoozed ──(until passes)──▶ open
//                   (gone: dropped)                      (gone for resolveAfter minutes)
//                                                                   ▼
//                                                               resolved ──(seen again)──▶ pending … ▶ open
//
// Hysteresis: an open alert resolves only after its condition has been gone for `resolveAfterMinutes`
// (seen again meanwhile: nothing happened); an alert re-opening within `quietReopenMinutes` of its last
// notification opens without notifying again, so a flapping node does not spam. A pending alert whose
// condition goes away is dropped: it never held long enough to matter. Rules not evaluated in a round (no
// utilization data this time, or the cluster's data is stale) leave their alerts exactly as they were.
import { paramsFor } from './params';
import { alertKey, type AlertEvent, type AlertEventKind, type AlertRule, type AlertSettings, type AlertState, type Finding } from './types';

export interface AdvanceInput {
  cluster: string;
  at: number;
  /** This cluster's alerts that are not resolved, plus resolved ones (for quiet re-opening). */
  previous: readonly AlertState[];
  findings: readonly Finding[];
  /** Rules whose findings are complete this round; others keep their alerts untouched. */
  evaluated: readonly AlertRule[];
  /** Subjects of evaluated rules the data said nothing about this round (`job:123` without a utilization sample): left as they are. */
  unknown?: readonly { rule: AlertRule; subject: string }[];
  settings: AlertSettings;
}

export interface AdvanceResult {
  /** Alerts that changed (new ones included). */
  changed: AlertState[];
  /** Pending alerts that never opened and whose condition went away: delete them. */
  dropped: AlertState[];
  events: AlertEvent[];
}

/** What makes an update worth a history entry: severity, how many GPUs, which nodes and jobs. */
function signature(s: Pick<AlertState, 'severity' | 'detail' | 'links'>): string {
  return JSON.stringify([s.severity, s.detail.gpus ?? null, s.links.nodes, s.links.jobs]);
}

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

function event(kind: AlertEventKind, state: AlertState, at: number, notify: boolean, by = 'rules'): AlertEvent {
  return { kind, at, cluster: state.cluster, rule: state.rule, subject: state.subject, state, notify, by };
}

function fresh(f: Finding, cluster: string, at: number): AlertState {
  return {
    cluster,
    rule: f.rule,
    subject: f.subject,
    status: 'pending',
    severity: f.severity,
    title: f.title,
    body: f.body,
    detail: f.detail,
    links: f.links,
    since: f.since !== null && f.since <= at ? f.since : at,
    openedAt: null,
    lastSeen: at,
    clearSince: null,
    resolvedAt: null,
    occurrences: 0,
    ackBy: null,
    ackAt: null,
    snoozedUntil: null,
    notifiedAt: null,
  };
}

export function advance(input: AdvanceInput): AdvanceResult {
  const { at, cluster } = input;
  const params = paramsFor(input.settings, cluster);
  const resolveAfter = params.resolveAfterMinutes * 60;
  const quiet = params.quietReopenMinutes * 60;
  const previous = new Map(input.previous.map((s) => [alertKey(s), s]));
  const evaluated = new Set(input.evaluated);
  const unknown = new Set((input.unknown ?? []).map((u) => alertKey({ cluster, rule: u.rule, subject: u.subject })));
  const changed: AlertState[] = [];
  const dropped: AlertState[] = [];
  const events: AlertEvent[] = [];
  const seen = new Set<string>();

  const open = (s: AlertState) => {
    const reopening = s.occurrences > 0;
    const notify = s.notifiedAt === null || at - s.notifiedAt > quiet;
    const next: AlertState = { ...s, status: 'open', openedAt: at, occurrences: s.occurrences + 1, resolvedAt: null, clearSince: null, ackBy: null, ackAt: null, snoozedUntil: null, notifiedAt: notify ? at : s.notifiedAt };
    events.push(event(reopening ? 'reopened' : 'opened', next, at, notify));
    return next;
  };

  for (const f of input.findings) {
    const key = alertKey({ cluster, rule: f.rule, subject: f.subject });
    if (seen.has(key)) continue; // a rule names each subject once; ignore accidental duplicates
    seen.add(key);
    const prior = previous.get(key);
    const content = { severity: f.severity, title: f.title, body: f.body, detail: f.detail, links: f.links, lastSeen: at };
    let s: AlertState;
    if (!prior || prior.status === 'resolved') {
      // New occurrence: it must hold for the rule's duration (counted from when the data says it began).
      const base = fresh(f, cluster, at);
      s = prior ? { ...prior, ...content, status: 'pending', since: base.since, clearSince: null } : base;
      if (at - s.since >= f.holdSeconds) s = open(s);
      changed.push(s);
      continue;
    }
    if (prior.status === 'pending') {
      const since = Math.min(prior.since, f.since !== null && f.since <= at ? f.since : prior.since);
      s = { ...prior, ...content, since };
      if (at - since >= f.holdSeconds) s = open(s);
      changed.push(s);
      continue;
    }
    // open, acknowledged or snoozed: update in place; the condition is back if it was clearing.
    s = { ...prior, ...content, clearSince: null };
    if (s.status === 'snoozed' && s.snoozedUntil !== null && at >= s.snoozedUntil) {
      s = { ...s, status: s.ackAt !== null ? 'acknowledged' : 'open', snoozedUntil: null, notifiedAt: at };
      events.push(event('unsnoozed', s, at, true));
    } else if (signature(prior) !== signature(s)) {
      // Worse than before: tell the user, unless they snoozed it.
      const worse = SEVERITY_RANK[s.severity] > SEVERITY_RANK[prior.severity] || Number(s.detail.gpus ?? 0) > Number(prior.detail.gpus ?? 0);
      const notify = worse && s.status !== 'snoozed' && SEVERITY_RANK[s.severity] > SEVERITY_RANK[prior.severity];
      if (notify) s = { ...s, notifiedAt: at };
      events.push(event('updated', s, at, notify));
    }
    changed.push(s);
  }

  for (const [key, prior] of previous) {
    if (seen.has(key) || prior.status === 'resolved' || !evaluated.has(prior.rule) || unknown.has(key)) continue;
    if (prior.status === 'pending') {
      // Never opened: forget it. Pending again after an earlier occurrence: back to resolved, history kept.
      if (prior.occurrences === 0) dropped.push(prior);
      else changed.push({ ...prior, status: 'resolved' });
      continue;
    }
    const clearSince = prior.clearSince ?? at;
    if (at - clearSince >= resolveAfter) {
      const s: AlertState = { ...prior, status: 'resolved', resolvedAt: at, clearSince, snoozedUntil: null };
      events.push(event('resolved', s, at, false));
      changed.push(s);
    } else if (prior.clearSince === null) {
      changed.push({ ...prior, clearSince });
    }
  }

  // Snoozes that ran out on alerts not re-evaluated this round (their rule did not run) wake up too. An alert
  // of an evaluated rule that was not seen is clearing: it stays snoozed until it is seen again or resolves.
  for (const [key, prior] of previous) {
    if (seen.has(key) || evaluated.has(prior.rule) || prior.status !== 'snoozed' || prior.snoozedUntil === null || at < prior.snoozedUntil) continue;
    if (changed.some((c) => alertKey(c) === key && c.status === 'resolved')) continue;
    const base = changed.find((c) => alertKey(c) === key) ?? prior;
    const s: AlertState = { ...base, status: base.ackAt !== null ? 'acknowledged' : 'open', snoozedUntil: null, notifiedAt: at };
    const i = changed.findIndex((c) => alertKey(c) === key);
    if (i >= 0) changed[i] = s;
    else changed.push(s);
    events.push(event('unsnoozed', s, at, true));
  }
  return { changed, dropped, events };
}

/** The user acknowledged an alert: it stays listed as open work until its condition resolves. */
export function acknowledge(s: AlertState, by: string, at: number): { state: AlertState; event: AlertEvent } {
  if (s.status === 'resolved' || s.status === 'pending') throw new Error(`alert is ${s.status}; only open or snoozed alerts can be acknowledged`);
  const state: AlertState = { ...s, status: 'acknowledged', ackBy: by, ackAt: at, snoozedUntil: null };
  return { state, event: event('acknowledged', state, at, false, by) };
}

/** Hide an alert until a time: no notifications meanwhile; it comes back open if still true then. */
export function snooze(s: AlertState, until: number, by: string, at: number): { state: AlertState; event: AlertEvent } {
  if (s.status === 'resolved' || s.status === 'pending') throw new Error(`alert is ${s.status}; only open or acknowledged alerts can be snoozed`);
  if (!(until > at)) throw new Error('snooze until a time in the future');
  const state: AlertState = { ...s, status: 'snoozed', snoozedUntil: until };
  return { state, event: event('snoozed', state, at, false, by) };
}
