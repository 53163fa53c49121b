// The SecretPrompt port for hosts with a page (desktop window, web host): when the SSH layer needs a
// password or key passphrase that the SecretStore does not hold, it becomes a `secret.prompt` event with
// an id, and the connection attempt waits until a page answers with `secrets.answer` — or, after
// `timeoutMs` with no answer, the question counts as declined. The prompt is asked before that hop's TCP
// connection opens, so no server-side login timer runs meanwhile.
//
// The secret itself only ever travels in the answer: events, the pending list and the answer's response
// carry the question, never the value; nothing here logs or stores it. "Remember" is honoured only when
// a SecretStore exists and says it can really encrypt; the SSH layer then stores the value through it,
// and only once it worked (a wrong passphrase is never kept).
import { randomUUID } from 'node:crypto';
import type { EventListener } from '../../../shared/api/events';
import type { SecretAnswerInput, SecretPromptInfo } from '../../../shared/api/methods/secrets';
import { systemClock, type Clock, type SecretPrompt, type SecretRequest, type SecretStore } from '../ports';

/** Long enough to find a password manager; a declined or timed-out question is asked again on the next connect. */
export const SECRET_PROMPT_TIMEOUT_MS = 120_000;

/** Why "remember" is off where no SecretStore was given (the web host). */
export const NO_SECURE_STORAGE = 'no secure storage here';

type Answer = { value: string; remember: boolean } | null;

interface Pending {
  info: SecretPromptInfo;
  resolve: (answer: Answer) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface SecretBrokerOptions {
  /** Where remembered secrets go; null: nowhere, "remember" is unavailable. */
  secrets?: SecretStore | null;
  timeoutMs?: number;
  clock?: Clock;
  newId?: () => string;
}

export class SecretBroker implements SecretPrompt {
  private readonly pending = new Map<string, Pending>();
  private readonly secrets: SecretStore | null;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly newId: () => string;
  private closed = false;

  constructor(
    private readonly emit: EventListener,
    options: SecretBrokerOptions = {},
  ) {
    this.secrets = options.secrets ?? null;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? SECRET_PROMPT_TIMEOUT_MS;
    this.newId = options.newId ?? (() => randomUUID());
  }

  async ask(request: SecretRequest): Promise<Answer> {
    if (this.closed) return null;
    const remember = await this.rememberAvailability();
    if (this.closed) return null;
    return new Promise((resolve) => {
      const id = this.newId();
      const info: SecretPromptInfo = { id, request: copyRequest(request), expiresAt: this.clock.now() + this.timeoutMs, remember };
      const timer = setTimeout(() => this.settle(id, null, 'timeout'), this.timeoutMs);
      this.pending.set(id, { info, resolve, timer });
      this.emit('secret.prompt', info);
    });
  }

  /**
   * The user's answer (value null: declined). accepted false: the question is no longer open (answered
   * in another window, timed out). remember: whether the SSH layer will keep it in the SecretStore.
   */
  answer(input: SecretAnswerInput): { accepted: boolean; remember: boolean } {
    const p = this.pending.get(input.id);
    if (!p) return { accepted: false, remember: false };
    const remember = input.value !== null && input.remember && p.info.remember.available;
    this.settle(input.id, input.value === null ? null : { value: input.value, remember }, 'user');
    return { accepted: true, remember };
  }

  /** Open questions, for a page that opened after they were asked. */
  open(): SecretPromptInfo[] {
    return [...this.pending.values()].map((p) => p.info);
  }

  /** Decline every open question and any asked later (the core is shutting down). */
  close(): void {
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.settle(id, null, 'shutdown');
  }

  private async rememberAvailability(): Promise<SecretPromptInfo['remember']> {
    if (!this.secrets) return { available: false, reason: NO_SECURE_STORAGE };
    if (!this.secrets.unavailableReason) return { available: true, reason: null };
    try {
      const reason = await this.secrets.unavailableReason();
      return reason === null ? { available: true, reason: null } : { available: false, reason };
    } catch (err) {
      return { available: false, reason: `the secure storage cannot be checked: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  private settle(id: string, answer: Answer, by: 'user' | 'timeout' | 'shutdown'): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(answer);
    this.emit('secret.settled', { id, by, outcome: answer === null ? 'declined' : 'answered' });
  }
}

/** Only the fields the contract names, so nothing else a caller put on the request reaches a page. */
function copyRequest(r: SecretRequest): SecretPromptInfo['request'] {
  return r.kind === 'key-passphrase'
    ? { kind: 'key-passphrase', cluster: r.cluster, identityFile: r.identityFile, retry: r.retry }
    : { kind: 'password', cluster: r.cluster, user: r.user, host: r.host, port: r.port, retry: r.retry };
}
