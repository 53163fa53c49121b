// Alerts: one row per (cluster, rule, subject), updated in place as the lifecycle moves it; every event
// (opened, updated, acknowledged, snoozed, resolved, …) appended to alert_events with who and when, so the
// history survives the row changing. Which rules could run per cluster (the allocated-but-idle rule needs
// a utilization source) is kept in alert_rule_status for the console to show. Clusters are kept by name,
// as in the audit log: alert history outlives a cluster's removal.
import type { Migration } from './migration';

export const migration: Migration = {
  version: 100,
  name: 'alerts',
  sql: `
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  cluster TEXT NOT NULL,
  rule TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'open', 'acknowledged', 'snoozed', 'resolved')),
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  detail TEXT NOT NULL CHECK (json_valid(detail)),
  links TEXT NOT NULL CHECK (json_valid(links)),
  since INTEGER NOT NULL,
  opened_at INTEGER,
  last_seen INTEGER NOT NULL,
  clear_since INTEGER,
  resolved_at INTEGER,
  occurrences INTEGER NOT NULL,
  ack_by TEXT,
  ack_at INTEGER,
  snoozed_until INTEGER,
  notified_at INTEGER,
  UNIQUE (cluster, rule, subject)
) STRICT;
CREATE INDEX alerts_by_status ON alerts (status, cluster);

CREATE TABLE alert_events (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('opened', 'reopened', 'updated', 'resolved', 'acknowledged', 'snoozed', 'unsnoozed')),
  by TEXT NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  snoozed_until INTEGER
) STRICT;
CREATE INDEX alert_events_by_alert ON alert_events (alert_id, at);
CREATE INDEX alert_events_by_time ON alert_events (at);

CREATE TABLE alert_rule_status (
  cluster TEXT NOT NULL,
  rule TEXT NOT NULL,
  available INTEGER NOT NULL CHECK (available IN (0, 1)),
  reason TEXT,
  source TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (cluster, rule)
) STRICT;`,
};
