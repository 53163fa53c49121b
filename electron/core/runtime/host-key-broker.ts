// The HostKeyPrompt port for hosts with a page (desktop window, web host): an unknown host key becomes a
// `hostKey.prompt` event with an id, and the SSH handshake waits until a page answers with
// `hostKeys.answer` — or, after `timeoutMs` with no answer, the key is rejected (fail closed: nobody
// looked at it). The handshake deadline pauses while we wait, but sshd's LoginGraceTime (120 s by
// default) does not, so the default timeout stays below it.
import { randomUUID } from 'node:crypto';
import type { HostKeyAnswerInput, HostKeyPromptInfo } from '../../../shared/api/methods/clusters';
import type { EventListener } from '../../../shared/api/events';
import { systemClock, type Clock, type HostKeyAnswer, type HostKeyPrompt, type HostKeyQuestion } from '../ports';
import type { z } from 'zod';

export const HOST_KEY_PROMPT_TIMEOUT_MS = 90_000;

interface Pending {
  info: HostKeyPromptInfo;
  resolve: (answer: HostKeyAnswer) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class HostKeyBroker implements HostKeyPrompt {
  private readonly pending = new Map<string, Pending>();
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  constructor(
    private readonly emit: EventListener,
    options: { timeoutMs?: number; clock?: Clock; newId?: () => string } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? HOST_KEY_PROMPT_TIMEOUT_MS;
    if (options.newId) this.newId = options.newId;
  }

  private newId: () => string = () => randomUUID();

  ask(question: HostKeyQuestion): Promise<HostKeyAnswer> {
    return new Promise((resolve) => {
      const id = this.newId();
      const info: HostKeyPromptInfo = {
        id,
        question: { ...question, role: question.role === 'target' ? 'target' : { jump: question.role.jump }, otherKeyTypes: [...question.otherKeyTypes] },
        expiresAt: this.clock.now() + this.timeoutMs,
      };
      const timer = setTimeout(() => this.settle(id, 'reject', 'timeout'), this.timeoutMs);
      this.pending.set(id, { info, resolve, timer });
      this.emit('hostKey.prompt', info);
    });
  }

  /** The user's answer; false when the question is no longer open (answered elsewhere, timed out). */
  answer(id: string, answer: z.infer<typeof HostKeyAnswerInput>): boolean {
    return this.settle(id, answer, 'user');
  }

  /** Open questions, for a page that opened after they were asked. */
  open(): HostKeyPromptInfo[] {
    return [...this.pending.values()].map((p) => p.info);
  }

  /** Reject every open question (the core is shutting down). */
  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, 'reject', 'shutdown');
  }

  private settle(id: string, answer: HostKeyAnswer, by: 'user' | 'timeout' | 'shutdown'): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(answer);
    this.emit('hostKey.settled', { id, answer, by });
    return true;
  }
}
