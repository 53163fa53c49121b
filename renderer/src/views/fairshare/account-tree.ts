// The sshare rows as a collapsible tree. sshare prints associations depth-first (an account, then its
// users and sub-accounts, indented), so the children of a row are the rows after it that are deeper;
// collapsing an account hides them. Pure, so it is unit-tested.
import type { FairshareNode } from '../../../../shared/api/methods/fairshare';

export interface TreeRow {
  node: FairshareNode;
  /** Stable id: the account for account rows, `account/user` for users. */
  id: string;
  hasChildren: boolean;
}

export const rowId = (n: Pick<FairshareNode, 'account' | 'user'>): string => (n.user === null ? n.account : `${n.account}/${n.user}`);

/** The rows to show when the accounts in `collapsed` are folded, each with whether it has children. */
export function visibleRows(rows: readonly FairshareNode[], collapsed: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  let hideDeeperThan: number | null = null;
  rows.forEach((node, i) => {
    if (hideDeeperThan !== null) {
      if (node.depth > hideDeeperThan) return;
      hideDeeperThan = null;
    }
    const next = rows[i + 1];
    const hasChildren = node.user === null && next !== undefined && next.depth > node.depth;
    const id = rowId(node);
    out.push({ node, id, hasChildren });
    if (hasChildren && collapsed.has(id)) hideDeeperThan = node.depth;
  });
  return out;
}
