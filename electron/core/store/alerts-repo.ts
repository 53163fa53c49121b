// Alerts in SQLite: the current state of each (cluster, rule, subject), its event history, and which rules
// could run per cluster. Writes of one evaluation go in one transaction (see AlertEngine).
import type Database from 'better-sqlite3';
import type { AlertEvent, AlertRule, AlertState, AlertStatus, Severity } from '../../../shared/alerts/types';

export interface StoredAlert extends AlertState {
  id: number;
}

export interface StoredAlertEvent {
  id: number;
  alertId: number;
  at: number;
  kind: AlertEvent['kind'];
  by: string;
  severity: Severity;
  title: string;
  body: string;
  snoozedUntil: number | null;
  cluster: string;
  rule: AlertRule;
  subject: string;
}

export interface RuleStatusRow {
  cluster: string;
  rule: AlertRule;
  available: boolean;
  reason: string | null;
  source: string | null;
  at: number;
}

interface AlertRow {
  id: number;
  cluster: string;
  rule: string;
  subject: string;
  status: string;
  severity: string;
  title: string;
  body: string;
  detail: string;
  links: string;
  since: number;
  opened_at: number | null;
  last_seen: number;
  clear_since: number | null;
  resolved_at: number | null;
  occurrences: number;
  ack_by: string | null;
  ack_at: number | null;
  snoozed_until: number | null;
  notified_at: number | null;
}

function fromRow(r: AlertRow): StoredAlert {
  return {
    id: r.id,
    cluster: r.cluster,
    rule: r.rule as AlertRule,
    subject: r.subject,
    status: r.status as AlertStatus,
    severity: r.severity as Severity,
    title: r.title,
    body: r.body,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    links: JSON.parse(r.links) as AlertState['links'],
    since: r.since,
    openedAt: r.opened_at,
    lastSeen: r.last_seen,
    clearSince: r.clear_since,
    resolvedAt: r.resolved_at,
    occurrences: r.occurrences,
    ackBy: r.ack_by,
    ackAt: r.ack_at,
    snoozedUntil: r.snoozed_until,
    notifiedAt: r.notified_at,
  };
}

export interface AlertQuery {
  cluster?: string | undefined;
  rule?: AlertRule | undefined;
  /** 'active': open, acknowledged, snoozed; 'resolved'; 'all' (never pending ones). */
  scope: 'active' | 'resolved' | 'all';
  limit?: number | undefined;
}

export class AlertsRepo {
  constructor(private readonly db: Database.Database) {}

  /** Every alert of a cluster the lifecycle needs: all but resolved ones older than `resolvedSince`. */
  forLifecycle(cluster: string, resolvedSince: number): StoredAlert[] {
    return (this.db.prepare(`SELECT * FROM alerts WHERE cluster = ? AND (status != 'resolved' OR resolved_at >= ? OR notified_at >= ?)`).all(cluster, resolvedSince, resolvedSince) as AlertRow[]).map(fromRow);
  }

  get(id: number): StoredAlert | null {
    const r = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return r ? fromRow(r) : null;
  }

  byKey(cluster: string, rule: AlertRule, subject: string): StoredAlert | null {
    const r = this.db.prepare('SELECT * FROM alerts WHERE cluster = ? AND rule = ? AND subject = ?').get(cluster, rule, subject) as AlertRow | undefined;
    return r ? fromRow(r) : null;
  }

  list(q: AlertQuery): StoredAlert[] {
    const where: string[] = [q.scope === 'active' ? `status IN ('open', 'acknowledged', 'snoozed')` : q.scope === 'resolved' ? `status = 'resolved'` : `status != 'pending'`];
    const args: unknown[] = [];
    if (q.cluster) {
      where.push('cluster = ?');
      args.push(q.cluster);
    }
    if (q.rule) {
      where.push('rule = ?');
      args.push(q.rule);
    }
    const order = q.scope === 'resolved' ? 'resolved_at DESC' : `CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, COALESCE(opened_at, since) DESC`;
    const rows = this.db.prepare(`SELECT * FROM alerts WHERE ${where.join(' AND ')} ORDER BY ${order}, id LIMIT ?`).all(...args, q.limit ?? 1000) as AlertRow[];
    return rows.map(fromRow);
  }

  /** Insert or update by key; returns the row id. */
  save(s: AlertState): number {
    const row = this.db
      .prepare(
        `INSERT INTO alerts (cluster, rule, subject, status, severity, title, body, detail, links, since, opened_at, last_seen, clear_since, resolved_at,
                             occurrences, ack_by, ack_at, snoozed_until, notified_at)
         VALUES (@cluster, @rule, @subject, @status, @severity, @title, @body, @detail, @links, @since, @openedAt, @lastSeen, @clearSince, @resolvedAt,
                 @occurrences, @ackBy, @ackAt, @snoozedUntil, @notifiedAt)
         ON CONFLICT (cluster, rule, subject) DO UPDATE SET status = excluded.status, severity = excluded.severity, title = excluded.title,
           body = excluded.body, detail = excluded.detail, links = excluded.links, since = excluded.since, opened_at = excluded.opened_at,
           last_seen = excluded.last_seen, clear_since = excluded.clear_since, resolved_at = excluded.resolved_at, occurrences = excluded.occurrences,
           ack_by = excluded.ack_by, ack_at = excluded.ack_at, snoozed_until = excluded.snoozed_until, notified_at = excluded.notified_at
         RETURNING id`,
      )
      .get({
        cluster: s.cluster,
        rule: s.rule,
        subject: s.subject,
        status: s.status,
        severity: s.severity,
        title: s.title,
        body: s.body,
        detail: JSON.stringify(s.detail),
        links: JSON.stringify(s.links),
        since: s.since,
        openedAt: s.openedAt,
        lastSeen: s.lastSeen,
        clearSince: s.clearSince,
        resolvedAt: s.resolvedAt,
        occurrences: s.occurrences,
        ackBy: s.ackBy,
        ackAt: s.ackAt,
        snoozedUntil: s.snoozedUntil,
        notifiedAt: s.notifiedAt,
      }) as { id: number };
    return row.id;
  }

  /** Delete an alert that never opened (pending only: history of opened alerts is never deleted). */
  dropPending(s: Pick<AlertState, 'cluster' | 'rule' | 'subject'>): void {
    this.db.prepare(`DELETE FROM alerts WHERE cluster = ? AND rule = ? AND subject = ? AND status = 'pending' AND occurrences = 0`).run(s.cluster, s.rule, s.subject);
  }

  addEvent(alertId: number, e: AlertEvent): number {
    const r = this.db
      .prepare('INSERT INTO alert_events (alert_id, at, kind, by, severity, title, body, snoozed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id')
      .get(alertId, e.at, e.kind, e.by, e.state.severity, e.state.title, e.state.body, e.state.snoozedUntil) as { id: number };
    return r.id;
  }

  events(q: { alertId?: number | undefined; cluster?: string | undefined; from?: number | undefined; to?: number | undefined; limit?: number | undefined }): StoredAlertEvent[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      args.push(value);
    };
    if (q.alertId !== undefined) add('e.alert_id = ?', q.alertId);
    if (q.cluster) add('a.cluster = ?', q.cluster);
    if (q.from !== undefined) add('e.at >= ?', q.from);
    if (q.to !== undefined) add('e.at < ?', q.to);
    const rows = this.db
      .prepare(
        `SELECT e.id, e.alert_id AS alertId, e.at, e.kind, e.by, e.severity, e.title, e.body, e.snoozed_until AS snoozedUntil, a.cluster, a.rule, a.subject
         FROM alert_events e JOIN alerts a ON a.id = e.alert_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY e.at DESC, e.id DESC LIMIT ?`,
      )
      .all(...args, q.limit ?? 500) as StoredAlertEvent[];
    return rows;
  }

  /** Counts of active alerts per cluster (snoozed ones apart: they are hidden on purpose). */
  activeCounts(): Map<string, { open: number; acknowledged: number; snoozed: number; critical: number }> {
    const out = new Map<string, { open: number; acknowledged: number; snoozed: number; critical: number }>();
    const rows = this.db
      .prepare(`SELECT cluster, status, severity, COUNT(*) AS n FROM alerts WHERE status IN ('open', 'acknowledged', 'snoozed') GROUP BY cluster, status, severity`)
      .all() as { cluster: string; status: 'open' | 'acknowledged' | 'snoozed'; severity: Severity; n: number }[];
    for (const r of rows) {
      const c = out.get(r.cluster) ?? { open: 0, acknowledged: 0, snoozed: 0, critical: 0 };
      c[r.status] += r.n;
      if (r.severity === 'critical' && r.status !== 'snoozed') c.critical += r.n;
      out.set(r.cluster, c);
    }
    return out;
  }

  setRuleStatus(rows: readonly RuleStatusRow[]): void {
    const put = this.db.prepare(
      `INSERT INTO alert_rule_status (cluster, rule, available, reason, source, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (cluster, rule) DO UPDATE SET available = excluded.available, reason = excluded.reason, source = excluded.source, at = excluded.at`,
    );
    for (const r of rows) put.run(r.cluster, r.rule, r.available ? 1 : 0, r.reason, r.source, r.at);
  }

  ruleStatus(): RuleStatusRow[] {
    return (this.db.prepare('SELECT cluster, rule, available, reason, source, at FROM alert_rule_status ORDER BY cluster, rule').all() as (Omit<RuleStatusRow, 'available'> & { available: number })[]).map((r) => ({
      ...r,
      available: r.available === 1,
    }));
  }
}
