// Events the core pushes to the renderer (IPC channel or WebSocket message), with their schemas.
import { z } from 'zod';
import { ActionProgress } from './methods/actions';
import { AlertSeverity } from './methods/alerts';
import { HostKeyAnswerInput, HostKeyPromptInfo } from './methods/clusters';
import { ConnectionInfo } from './methods/common';
import { SecretPromptInfo } from './methods/secrets';

export const events = {
  /** A snapshot was stored: views showing the latest data of this cluster should reload. */
  snapshot: z.object({ cluster: z.string(), snapshotId: z.number(), finishedAt: z.number(), kinds: z.array(z.string()) }),
  /** A cluster's SSH connection changed state. */
  connection: ConnectionInfo.extend({ cluster: z.string() }),
  /** A collection cycle failed as a whole (connection lost, cluster not reachable). */
  'sync.failed': z.object({ cluster: z.string(), message: z.string() }),
  /** A host presented an unknown key: the page asks the user and answers with hostKeys.answer. */
  'hostKey.prompt': HostKeyPromptInfo,
  /** A host-key question was answered (on any page) or timed out: close its dialog. */
  'hostKey.settled': z.object({ id: z.string(), answer: HostKeyAnswerInput, by: z.enum(['user', 'timeout', 'shutdown']) }),
  /** A password or key passphrase is needed: the page asks and answers with secrets.answer (never carries the secret). */
  'secret.prompt': SecretPromptInfo,
  /** A secret question was answered or declined (on any page), timed out, or the core shut down: close its dialog. */
  'secret.settled': z.object({ id: z.string(), by: z.enum(['user', 'timeout', 'shutdown']), outcome: z.enum(['answered', 'declined']) }),
  /** Clusters were added, changed or removed: views listing clusters should reload. */
  'clusters.changed': z.object({ names: z.array(z.string()) }),
  /** A bulk job action finished a batch (batch 0: it started). */
  'actions.progress': ActionProgress,
  /** Alerts changed on these clusters: alert lists and badges reload; `open` counts active alerts fleet-wide. */
  'alerts.changed': z.object({ clusters: z.array(z.string()), open: z.number(), critical: z.number() }),
  /** An alert the user should hear about (the page shows a browser notification; clicking opens the alert). */
  'alerts.notice': z.object({ alertId: z.number(), cluster: z.string(), title: z.string(), body: z.string(), severity: AlertSeverity }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
