// Unknown host keys: the core holds the SSH handshake and asks (hostKey.prompt); this dialog shows the
// host, port, key type and SHA-256 fingerprint, to compare with what the cluster's admins publish, and
// answers once, pin, or reject. Questions asked before the page opened come from hostKeys.pending; one
// answered in another window, or timed out, closes here too.
import { useState } from 'react';
import type { HostKeyPromptInfo } from '../../../shared/api/methods/clusters';
import { useBridge } from '../hooks/bridge-context';
import { usePromptQueue } from '../hooks/use-prompt-queue';
import './host-key-dialog.css';

type Answer = 'accept-once' | 'accept-and-pin' | 'reject';

export function HostKeyDialog() {
  const bridge = useBridge();
  const [error, setError] = useState<string | null>(null);
  const { queue, now, drop } = usePromptQueue<HostKeyPromptInfo>('hostKey.prompt', 'hostKey.settled', () => bridge.api['hostKeys.pending']({}));
  const current = queue[0];

  if (!current) return null;
  const q = current.question;
  const answer = async (a: Answer) => {
    setError(null);
    try {
      const r = await bridge.api['hostKeys.answer']({ id: current.id, answer: a });
      if (!r.accepted) setError('This question was already answered or timed out.');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    drop(current.id);
  };
  const left = Math.max(0, Math.round((current.expiresAt - now) / 1000));

  return (
    <div className="hk-backdrop">
      <div className="hk-dialog" role="alertdialog" aria-modal="true" aria-labelledby="hk-title" data-testid="host-key-dialog">
        <h2 id="hk-title">Unknown host key for {q.cluster}</h2>
        <p>
          {q.role === 'target' ? 'The cluster\'s login host' : `Jump host ${q.role.jump + 1} on the way to ${q.cluster}`} presented a key that no known_hosts file and no
          pinned key knows. Compare the fingerprint with the one your cluster's admins publish before you accept it.
        </p>
        <dl className="hk-facts">
          <dt>host</dt>
          <dd data-testid="hk-host">{q.host}</dd>
          <dt>port</dt>
          <dd data-testid="hk-port">{q.port}</dd>
          <dt>key type</dt>
          <dd data-testid="hk-type">{q.keyType}</dd>
          <dt>fingerprint</dt>
          <dd className="hk-fingerprint" data-testid="hk-fingerprint">
            {q.fingerprint}
          </dd>
          {q.otherKeyTypes.length > 0 && (
            <>
              <dt>already known</dt>
              <dd>{q.otherKeyTypes.join(', ')} (the host added a key type; it did not change a key)</dd>
            </>
          )}
        </dl>
        <p className="muted">Without an answer the key is rejected in {left} s.{queue.length > 1 ? ` ${queue.length - 1} more question(s) waiting.` : ''}</p>
        {error && (
          <p className="bad" role="alert">
            {error}
          </p>
        )}
        <div className="hk-actions">
          <button type="button" onClick={() => void answer('accept-once')}>
            Accept once
          </button>
          <button type="button" className="primary" onClick={() => void answer('accept-and-pin')}>
            Accept and remember
          </button>
          <button type="button" className="danger" onClick={() => void answer('reject')} autoFocus>
            Reject
          </button>
        </div>
      </div>
    </div>
  );
}
