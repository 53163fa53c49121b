// Questions the core asks the user and waits on (unknown host keys, SSH secrets): the open ones from a
// `pending` method at mount, new ones from a prompt event, removed when a settled event says another page
// answered or they timed out. Returns the queue (oldest first) and a clock ticking each second while a
// question is shown, for its countdown; `drop` removes one this page answered.
import { useEffect, useState } from 'react';
import type { EventName } from '../../../shared/api/events';
import { useBridge } from './bridge-context';

export function usePromptQueue<P extends { id: string }>(promptEvent: EventName, settledEvent: EventName, pending: () => Promise<P[]>): { queue: P[]; now: number; drop(id: string): void } {
  const bridge = useBridge();
  const [queue, setQueue] = useState<P[]>([]);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let alive = true;
    const add = (p: P) => setQueue((q) => (q.some((x) => x.id === p.id) ? q : [...q, p]));
    const off = bridge.on((event, payload) => {
      if (event === promptEvent) add(payload as unknown as P);
      if (event === settledEvent) setQueue((q) => q.filter((x) => x.id !== (payload as { id: string }).id));
    });
    pending().then(
      (list) => alive && list.forEach(add),
      () => undefined, // example data and older hosts: nothing to ask
    );
    return () => {
      alive = false;
      off();
    };
    // `pending` is read once per bridge: callers pass an inline function.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, promptEvent, settledEvent]);

  const current = queue[0];
  useEffect(() => {
    if (!current) return undefined;
    const tick = () => setNow(Date.now());
    tick(); // the clock since mount is stale by now
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [current]);

  return { queue, now, drop: (id: string) => setQueue((q) => q.filter((x) => x.id !== id)) };
}
