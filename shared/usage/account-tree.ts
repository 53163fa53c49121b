// The account tree usage rolls up along: each account's parent, from the cluster's association tree as
// the cached `sshare -a -l` rows show it (the same tree sreport sums over). Trees are per cluster: two
// clusters may hang the same account name under different parents.
import type { FairshareRow } from '../model/fairshare';

export class AccountTree {
  private readonly parents = new Map<string, Map<string, string | null>>();

  /** Add one cluster's tree from its sshare rows (account rows carry the parent). */
  addCluster(cluster: string, rows: readonly FairshareRow[]): this {
    const map = new Map<string, string | null>();
    for (const r of rows) if (r.user === null) map.set(r.account, r.parent);
    this.parents.set(cluster, map);
    return this;
  }

  hasCluster(cluster: string): boolean {
    return this.parents.has(cluster);
  }

  /**
   * The account and its ancestors up to the root, nearest first. An account the tree does not know (deleted
   * since, or sshare not collected) is its own root. A cycle (corrupt input) stops at the first repeat.
   */
  lineage(cluster: string, account: string): string[] {
    const map = this.parents.get(cluster);
    const out = [account];
    if (!map) return out;
    let at = map.get(account) ?? null;
    while (at !== null && !out.includes(at)) {
      out.push(at);
      at = map.get(at) ?? null;
    }
    return out;
  }
}
