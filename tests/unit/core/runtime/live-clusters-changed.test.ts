// A live core re-plans polling when clusters change: a cluster added from the settings is polled without
// a restart (its connection is attempted), a removed one is dropped. The cluster points at a closed local
// port, so nothing can run anywhere.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/api/events';
import { startLive } from '../../../../electron/core/runtime/live';
import { clusterConfig } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('startLive: clusters changed', () => {
  it('polls a cluster added while running, and stops with it removed', async () => {
    const running = startLive({ host: 'web', dataDir: tempDir(), hostKeyPrompt: null });
    const states: EventPayload<'connection'>[] = [];
    running.core.on((event, payload) => {
      if (event === 'connection') states.push(payload as EventPayload<'connection'>);
    });
    try {
      const port = await closedPort();
      await running.core.api['clusters.save']({ config: { ...clusterConfig('gamma'), host: '127.0.0.1', port }, isNew: true });
      const deadline = Date.now() + 10_000;
      while (!states.some((s) => s.cluster === 'gamma' && s.state === 'offline') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const offline = states.find((s) => s.cluster === 'gamma' && s.state === 'offline');
      // The poller's first attempt fails (no agent here, or the refused port): either way it was tried.
      expect(offline?.message).toContain(`127.0.0.1:${port}`);
      const overview = await running.core.api['fleet.overview']({});
      expect(overview.clusters.map((c) => [c.name, c.connection?.state])).toEqual([['gamma', 'offline']]);

      await running.core.api['clusters.remove']({ name: 'gamma' });
      expect(states.at(-1)).toMatchObject({ cluster: 'gamma', state: 'closed' });
      expect((await running.core.api['fleet.overview']({})).clusters).toEqual([]);
    } finally {
      await running.close();
    }
  });
});
