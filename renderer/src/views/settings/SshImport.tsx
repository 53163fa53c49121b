// Import from an OpenSSH client config: a path, a dry-run preview (what each Host alias would become,
// warnings, what is skipped and why), then import the hosts the user ticked.
import { useCallback, useState } from 'react';
import type { SshImportPreview } from '../../../../shared/api/methods/clusters';
import { useBridge } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';

export function SshImport({ disabled, onImported }: { disabled: string | null; onImported(): void }) {
  const bridge = useBridge();
  const [path, setPath] = useState('~/.ssh/config');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const preview = useAction(
    useCallback(async (p: string) => {
      const r: SshImportPreview = await bridge.api['clusters.importPreview']({ path: p });
      setChosen(new Set(r.candidates.filter((c) => !c.exists && c.problems.length === 0).map((c) => c.alias)));
      return r;
    }, [bridge]),
  );
  const doImport = useAction(
    useCallback(
      async (p: string, hosts: string[]) => {
        const r = await bridge.api['clusters.import']({ path: p, hosts });
        onImported();
        return r;
      },
      [bridge, onImported],
    ),
  );
  const toggle = (alias: string) =>
    setChosen((s) => {
      const n = new Set(s);
      if (n.has(alias)) n.delete(alias);
      else n.add(alias);
      return n;
    });

  return (
    <section className="settings-section" aria-label="import from ssh config" data-testid="ssh-import">
      <h2>Import from an SSH client config</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          doImport.clear();
          void preview.run(path);
        }}
      >
        <label>
          Config file <input name="sshConfigPath" value={path} onChange={(e) => setPath(e.target.value)} size={40} />
        </label>
        <button type="submit" disabled={preview.busy}>
          {preview.busy ? 'Reading…' : 'Preview'}
        </button>
        <span className="muted">Honours Host, HostName, Port, User, IdentityFile, IdentityAgent, ProxyJump, UserKnownHostsFile, Include and Match.</span>
      </form>
      {preview.error && (
        <p className="bad" role="alert">
          {preview.error}
        </p>
      )}
      {preview.result && (
        <div className="import-preview" data-testid="import-preview">
          {preview.result.candidates.length === 0 && <p className="muted">No importable Host entries in {preview.result.path}.</p>}
          <ul className="candidates">
            {preview.result.candidates.map((c) => (
              <li key={c.alias} data-testid={`candidate-${c.alias}`}>
                <label>
                  <input type="checkbox" checked={chosen.has(c.alias)} onChange={() => toggle(c.alias)} disabled={c.problems.length > 0} />
                  <strong>{c.alias}</strong> {c.config.user}@{c.config.host}:{c.config.port}
                  {c.config.jump.length > 0 && ` via ${c.config.jump.map((j) => j.host).join(' → ')}`} · {c.config.auth.kind === 'key' ? c.config.auth.identityFile : c.config.auth.kind}
                  {c.exists && <span className="badge">exists: importing replaces its connection settings</span>}
                </label>
                {c.problems.map((p) => (
                  <div key={p} className="bad">
                    {p}
                  </div>
                ))}
                {c.warnings.map((w) => (
                  <div key={w} className="muted">
                    note: {w}
                  </div>
                ))}
              </li>
            ))}
          </ul>
          {preview.result.skipped.length > 0 && (
            <details open>
              <summary>Skipped ({preview.result.skipped.length})</summary>
              <ul>
                {preview.result.skipped.map((s) => (
                  <li key={s.alias}>
                    {s.alias}: {s.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <button type="button" className="primary" disabled={chosen.size === 0 || doImport.busy || disabled !== null} title={disabled ?? ''} onClick={() => void doImport.run(preview.result!.path, [...chosen])}>
            {doImport.busy ? 'Importing…' : `Import ${chosen.size} chosen`}
          </button>
        </div>
      )}
      {doImport.error && (
        <p className="bad" role="alert">
          {doImport.error}
        </p>
      )}
      {doImport.result && (
        <p role="status" data-testid="import-result">
          Imported {doImport.result.imported.length ? doImport.result.imported.join(', ') : 'nothing'}
          {doImport.result.skipped.length > 0 && `; skipped ${doImport.result.skipped.map((s) => `${s.alias} (${s.reason})`).join(', ')}`}.
        </p>
      )}
    </section>
  );
}
