import { describe, expect, it, vi } from 'vitest';
import { HostKeyBroker } from '../../../../electron/core/runtime/host-key-broker';
import type { HostKeyQuestion } from '../../../../electron/core/ports';

const question: HostKeyQuestion = {
  cluster: 'alpha',
  host: '127.0.0.1',
  port: 2201,
  role: { jump: 0 },
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:abc',
  otherKeyTypes: ['ssh-rsa'],
};

function setup(timeoutMs = 1000) {
  const events: [string, unknown][] = [];
  let n = 0;
  const broker = new HostKeyBroker((e, p) => events.push([e, p]), { timeoutMs, clock: { now: () => 5_000 }, newId: () => `q${++n}` });
  return { broker, events };
}

describe('HostKeyBroker', () => {
  it('emits the question with an id and resolves with the page answer', async () => {
    const { broker, events } = setup();
    const answer = broker.ask(question);
    expect(events).toEqual([['hostKey.prompt', { id: 'q1', question: { ...question, role: { jump: 0 } }, expiresAt: 6_000 }]]);
    expect(broker.open().map((p) => p.id)).toEqual(['q1']);
    expect(broker.answer('q1', 'accept-and-pin')).toBe(true);
    await expect(answer).resolves.toBe('accept-and-pin');
    expect(events[1]).toEqual(['hostKey.settled', { id: 'q1', answer: 'accept-and-pin', by: 'user' }]);
    expect(broker.open()).toEqual([]);
  });

  it('a second answer (another page) or an unknown id is refused', async () => {
    const { broker } = setup();
    const answer = broker.ask(question);
    expect(broker.answer('nope', 'accept-once')).toBe(false);
    expect(broker.answer('q1', 'reject')).toBe(true);
    expect(broker.answer('q1', 'accept-once')).toBe(false);
    await expect(answer).resolves.toBe('reject');
  });

  it('rejects the key when nobody answers in time', async () => {
    vi.useFakeTimers();
    try {
      const { broker, events } = setup(90_000);
      const answer = broker.ask(question);
      vi.advanceTimersByTime(89_999);
      expect(broker.open()).toHaveLength(1);
      vi.advanceTimersByTime(1);
      await expect(answer).resolves.toBe('reject');
      expect(events.at(-1)).toEqual(['hostKey.settled', { id: 'q1', answer: 'reject', by: 'timeout' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('close() rejects every open question', async () => {
    const { broker } = setup();
    const a = broker.ask(question);
    const b = broker.ask({ ...question, role: 'target' });
    broker.close();
    await expect(Promise.all([a, b])).resolves.toEqual(['reject', 'reject']);
  });
});
