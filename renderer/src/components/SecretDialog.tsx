// SSH passwords and key passphrases: the core holds the connection attempt and asks (secret.prompt); this
// dialog shows which cluster and which login (user@host:port) or key file it is for, takes the secret in
// a password field and answers with secrets.answer — Cancel (or Escape) declines. "Remember (encrypted)"
// is offered only where the core can keep it in the OS keychain; otherwise it is disabled with the reason.
// Questions asked before the page opened come from secrets.pending; one answered in another window, timed
// out or dropped at shutdown closes here too. The secret lives in this component's state until it is sent,
// and is never put anywhere else.
import { useState, type FormEvent } from 'react';
import type { SecretPromptInfo } from '../../../shared/api/methods/secrets';
import { useBridge } from '../hooks/bridge-context';
import { usePromptQueue } from '../hooks/use-prompt-queue';
import { Modal } from './Modal';
import './secret-dialog.css';

export function SecretDialog() {
  const bridge = useBridge();
  const [error, setError] = useState<string | null>(null);
  const { queue, now, drop } = usePromptQueue<SecretPromptInfo>('secret.prompt', 'secret.settled', () => bridge.api['secrets.pending']({}));
  const current = queue[0];

  if (!current) return null;
  const send = async (value: string | null, remember: boolean) => {
    setError(null);
    drop(current.id);
    try {
      const r = await bridge.api['secrets.answer']({ id: current.id, value, remember });
      if (!r.accepted) setError('This question was already answered or timed out.');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <SecretForm
      key={current.id}
      prompt={current}
      secondsLeft={Math.max(0, Math.round((current.expiresAt - now) / 1000))}
      waiting={queue.length - 1}
      error={error}
      onAnswer={(value, remember) => void send(value, remember)}
    />
  );
}

function SecretForm({
  prompt,
  secondsLeft,
  waiting,
  error,
  onAnswer,
}: {
  prompt: SecretPromptInfo;
  secondsLeft: number;
  waiting: number;
  error: string | null;
  onAnswer: (value: string | null, remember: boolean) => void;
}) {
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(false);
  const r = prompt.request;
  const what = r.kind === 'password' ? 'password' : 'passphrase';
  const title = r.kind === 'password' ? `Password for ${r.user}@${r.host}:${r.port}` : `Passphrase for the key of ${r.cluster}`;
  const cancel = () => {
    setValue('');
    onAnswer(null, false);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value) return;
    const v = value;
    setValue('');
    onAnswer(v, remember && prompt.remember.available);
  };

  return (
    <Modal title={title} onEscape={cancel} className="secret-dialog" testId="secret-dialog">
      <form onSubmit={submit} autoComplete="off">
        <dl className="secret-facts">
          <dt>cluster</dt>
          <dd data-testid="secret-cluster">{r.cluster}</dd>
          {r.kind === 'password' ? (
            <>
              <dt>login</dt>
              <dd data-testid="secret-target">
                {r.user}@{r.host}:{r.port}
              </dd>
            </>
          ) : (
            <>
              <dt>key file</dt>
              <dd data-testid="secret-target">{r.identityFile}</dd>
            </>
          )}
        </dl>
        {r.retry && (
          <p className="bad" role="alert" data-testid="secret-retry">
            That did not work: the last one was wrong. Type the {what} again.
          </p>
        )}
        <label className="secret-field">
          {r.kind === 'password' ? 'Password' : 'Key passphrase'}
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-autofocus
            data-testid="secret-input"
          />
        </label>
        <label className="secret-remember">
          <input
            type="checkbox"
            checked={remember && prompt.remember.available}
            disabled={!prompt.remember.available}
            onChange={(e) => setRemember(e.target.checked)}
            data-testid="secret-remember"
          />{' '}
          Remember (encrypted)
          {!prompt.remember.available && (
            <span className="muted" data-testid="secret-remember-reason">
              {' '}
              — not remembered: {prompt.remember.reason ?? 'no secure storage here'}
            </span>
          )}
        </label>
        <p className="muted">
          Used for this connection{prompt.remember.available ? ', and kept in the system keychain only if you tick Remember' : ' only'}. Without an answer it is declined in {secondsLeft} s.
          {waiting > 0 ? ` ${waiting} more question(s) waiting.` : ''}
        </p>
        {error && (
          <p className="bad" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!value}>
            {r.kind === 'password' ? 'Log in' : 'Unlock key'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
