import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../../../electron/core/ssh/channel-limiter';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ChannelLimiter', () => {
  it('grants up to the limit at once and queues the rest in FIFO order', async () => {
    const l = new ChannelLimiter(2);
    const granted: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) => l.acquire().then(() => granted.push(i)));
    await tick();
    expect(granted).toEqual([0, 1]);
    expect([l.inUse, l.queued]).toEqual([2, 3]);
    l.release();
    await tick();
    expect(granted).toEqual([0, 1, 2]);
    l.release();
    l.release();
    await Promise.all(all);
    expect(granted).toEqual([0, 1, 2, 3, 4]);
    expect(l.peak).toBe(2);
  });

  it('puts a front request ahead of the queue, and grants it at once when a slot is free', async () => {
    const l = new ChannelLimiter(1);
    await l.acquire();
    const order: string[] = [];
    const a = l.acquire().then(() => order.push('a'));
    const b = l.acquire({ front: true }).then(() => order.push('front'));
    l.release();
    await tick();
    l.release();
    await Promise.all([a, b]);
    expect(order).toEqual(['front', 'a']);
    const free = new ChannelLimiter(1);
    await free.acquire({ front: true });
    expect(free.inUse).toBe(1);
  });

  it('a new request does not overtake queued ones even when a slot is free between pumps', async () => {
    const l = new ChannelLimiter(1);
    l.hold();
    const order: string[] = [];
    const first = l.acquire().then(() => order.push('first'));
    l.resume();
    const second = l.acquire().then(() => order.push('second'));
    await first;
    l.release();
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('holds while connecting and fails every queued request at once', async () => {
    const l = new ChannelLimiter(3);
    l.hold();
    const results = [l.acquire(), l.acquire()].map((p) => p.then(() => 'granted', (e: Error) => e.message));
    await tick();
    expect(l.inUse).toBe(0);
    l.failQueued(new Error('offline'));
    expect(await Promise.all(results)).toEqual(['offline', 'offline']);
    expect(l.queued).toBe(0);
  });

  it('lowering the limit keeps open channels and grants no more until below it', async () => {
    const l = new ChannelLimiter(4);
    for (let i = 0; i < 4; i++) await l.acquire();
    l.setLimit(2);
    let granted = false;
    const p = l.acquire().then(() => (granted = true));
    l.release();
    l.release();
    await tick();
    expect(granted).toBe(false);
    l.release();
    await p;
    expect(l.inUse).toBe(2);
  });

  it('an aborted request leaves the queue with the abort reason', async () => {
    const l = new ChannelLimiter(1);
    await l.acquire();
    const ac = new AbortController();
    const p = l.acquire({ signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error('deadline'));
    expect(((await p) as Error).message).toBe('deadline');
    expect(l.queued).toBe(0);
    l.release();
    expect(l.inUse).toBe(0);
  });

  it('refuses nonsense', () => {
    expect(() => new ChannelLimiter(0)).toThrow(RangeError);
    expect(() => new ChannelLimiter(1).release()).toThrow(/without a matching/);
  });
});
