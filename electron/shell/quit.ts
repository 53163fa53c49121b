// Graceful quit: the first quit request is held back until the core has shut down — the poller's running
// collection either finishes its snapshot transaction or is abandoned and rolled back, connections are
// closed, the store is closed — then the app quits for real. A shutdown that hangs does not keep the app
// open: after `timeoutMs` it quits anyway (SQLite rolls back an unfinished transaction on the next open).
import type { App } from 'electron';

export function quitGracefully(app: Pick<App, 'on' | 'quit'>, shutdown: () => Promise<void>, timeoutMs = 15_000): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.warn(`shutdown took longer than ${timeoutMs} ms; quitting anyway`);
        resolve();
      }, timeoutMs);
    });
    Promise.race([shutdown(), timeout])
      .catch((err: unknown) => console.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        clearTimeout(timer);
        state = 'stopped';
        app.quit();
      });
  });
}
