// Import clusters from an OpenSSH client config file the user names: first a dry run (what would be added,
// what is skipped and why), then the hosts the user chose. The parser is the CLI's (ssh/ssh-config.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { SshImportPreview, StoredClusterConfig } from '../../../shared/api/methods/clusters';
import { importSshConfig, SshConfigError } from '../ssh/ssh-config';
import { expandHome } from '../ssh/home-path';
import { ClustersRepo } from '../store/clusters-repo';
import { StoreError } from '../store/errors';
import { configProblems, requireWritable } from './clusters';
import { nowSeconds, type CoreContext } from './context';

function resolvePath(file: string): string {
  const p = expandHome(file.trim());
  if (!path.isAbsolute(p)) throw new ApiError('bad-request', `give the config file as an absolute path or ~/…, not ${JSON.stringify(file)}`);
  return p;
}

async function read(file: string, hosts?: string[]) {
  const p = resolvePath(file);
  // ssh itself treats a missing config as empty; a file the user named must exist.
  if (!existsSync(p)) throw new ApiError('bad-request', `no file at ${p}`);
  try {
    return { path: p, result: await importSshConfig({ sources: [{ path: p, kind: 'user' }], ...(hosts ? { hosts } : {}) }) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('bad-request', `no file at ${p}`);
    if (err instanceof SshConfigError || code) throw new ApiError('bad-request', `${p}: ${(err as Error).message}`);
    throw err;
  }
}

export async function sshImportPreview(ctx: CoreContext, file: string): Promise<SshImportPreview> {
  const { path: p, result } = await read(file);
  const repo = new ClustersRepo(ctx.store.db);
  return {
    path: p,
    candidates: result.clusters.map((c) => ({
      alias: c.alias,
      config: c.cluster as StoredClusterConfig,
      problems: configProblems(c.cluster),
      warnings: c.warnings,
      exists: repo.get(c.cluster.name) !== undefined,
    })),
    skipped: result.skipped,
  };
}

export async function sshImport(ctx: CoreContext, file: string, hosts: string[]) {
  requireWritable(ctx);
  const { result } = await read(file, hosts);
  const repo = new ClustersRepo(ctx.store.db);
  const now = nowSeconds(ctx);
  const imported: string[] = [];
  const skipped = [...result.skipped];
  for (const c of result.clusters) {
    try {
      repo.save(c.cluster, now);
      imported.push(c.cluster.name);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      skipped.push({ alias: c.alias, reason: err.message });
    }
  }
  if (imported.length) {
    ctx.live?.clustersChanged();
    ctx.emit('clusters.changed', { names: imported });
  }
  return { imported, skipped };
}
