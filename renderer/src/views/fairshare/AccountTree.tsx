// The account tree of one cluster as sshare printed it: indented by depth, accounts collapsible, with
// shares (raw and normalised), raw and effective usage, the FairShare factor and LevelFS.
import { useMemo, useState } from 'react';
import type { FairshareNode } from '../../../../shared/api/methods/fairshare';
import { formatNumber } from '../../format';
import { visibleRows } from './account-tree';

const num = (x: number | null, digits: number) => (x === null ? '—' : formatNumber(x, digits));

function levelFs(x: FairshareNode['levelFs']) {
  if (x === 'inf') return <span title="sshare prints inf: shares but no usage yet">∞</span>;
  return num(x, 3);
}

export function AccountTree({ rows }: { rows: readonly FairshareNode[] }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const shown = useMemo(() => visibleRows(rows, collapsed), [rows, collapsed]);
  const toggle = (id: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <table className="fs-tree" data-testid="account-tree">
      <thead>
        <tr>
          <th>account / user</th>
          <th className="num" title="RawShares: the association's configured shares">shares (raw)</th>
          <th className="num" title="NormShares: shares normalised among siblings">shares (norm.)</th>
          <th className="num" title="RawUsage: decayed usage in TRES-seconds">raw usage</th>
          <th className="num" title="EffectvUsage">effective usage</th>
          <th className="num" title="FairShare factor (0–1) that sprio weighs">FairShare</th>
          <th className="num" title="LevelFS: shares ÷ usage among siblings (Fair Tree)">LevelFS</th>
        </tr>
      </thead>
      <tbody>
        {shown.map(({ node, id, hasChildren }) => (
          <tr key={id} className={node.user === null ? 'fs-account' : 'fs-user'} data-testid={`fs-row-${id}`} data-depth={node.depth}>
            <td>
              <span className="fs-indent" style={{ paddingLeft: `${node.depth * 1.2}rem` }}>
                {hasChildren ? (
                  <button type="button" className="fs-toggle" aria-expanded={!collapsed.has(id)} aria-label={`${collapsed.has(id) ? 'expand' : 'collapse'} ${node.account}`} onClick={() => toggle(id)}>
                    {collapsed.has(id) ? '▸' : '▾'}
                  </button>
                ) : (
                  <span className="fs-toggle-space" />
                )}
                {node.user === null ? <strong>{node.account}</strong> : <span>{node.user}</span>}
              </span>
            </td>
            <td className="num">{num(node.rawShares, 0)}</td>
            <td className="num">{num(node.normShares, 4)}</td>
            <td className="num">{formatNumber(node.rawUsage, 0)}</td>
            <td className="num">{num(node.effectiveUsage, 4)}</td>
            <td className="num">{num(node.fairShare, 4)}</td>
            <td className="num">{levelFs(node.levelFs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
