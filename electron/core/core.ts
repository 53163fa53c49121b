// createCore: the object that implements the API contract on top of the ports. Hosts (IPC, WebSocket,
// CLI) call it; it never knows which one is calling.
import type { Api } from '../../shared/api/contract';
import { systemClock, type Clock } from './ports';
import { APP_VERSION } from './version';

export interface CorePorts {
  clock?: Clock;
  host: 'desktop' | 'web';
}

export function createCore(ports: CorePorts): Api {
  const clock = ports.clock ?? systemClock;
  return {
    'app.info': async () => ({
      name: 'ClusterOps Console',
      version: APP_VERSION,
      host: ports.host,
      now: Math.floor(clock.now() / 1000),
    }),
  };
}
