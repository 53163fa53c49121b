// clusters add | list | remove | import-ssh-config: the clusters the console watches. Only connection
// settings are stored; passwords and passphrases never are (the SSH layer asks, or the SecretStore keeps
// them encrypted).
import os from 'node:os';
import path from 'node:path';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { importSshConfig, parseJumpSpec } from '../../../core/ssh/ssh-config';
import { UtilizationInput } from '../../../../shared/api/methods/clusters';
import { CLUSTER_NAME, DEFAULT_POLL, type ClusterAuth, type ClusterConfig, type JumpHost, type UtilizationConfig } from '../../../../shared/model/cluster';
import { EXIT, UsageError, intOption, stringList, stringOption, type Command, type CommandArgs } from '../command';
import { formatTable, printJson } from '../output';

/** The local account name, as ssh uses it when no User is given ('' when it cannot be read). */
function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

function jumpHosts(specs: string[], defaultUser: string): JumpHost[] {
  return specs.map((text) => {
    let spec;
    try {
      spec = parseJumpSpec(text);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    return { host: spec.host, port: spec.port ?? 22, user: spec.user ?? defaultUser, identityFile: null };
  });
}

/**
 * GPU utilization sources from the --util-* options, on top of what the cluster had (re-adding a cluster
 * without them keeps its sources). Undefined when there are none.
 */
function utilizationOf(args: CommandArgs, previous: UtilizationConfig | undefined): UtilizationConfig | undefined {
  const u: UtilizationConfig = structuredClone(previous ?? {});
  const smi = stringOption(args, 'util-nvidia-smi');
  if (smi === 'off') delete u.nvidiaSmi;
  else if (smi === 'srun' || smi === 'ssh') u.nvidiaSmi = { ...u.nvidiaSmi, via: smi };
  else if (smi !== undefined) throw new UsageError(`--util-nvidia-smi takes srun, ssh or off (got ${JSON.stringify(smi)})`);
  const path = stringOption(args, 'util-nvidia-smi-path');
  if (path !== undefined) {
    if (!u.nvidiaSmi) throw new UsageError('--util-nvidia-smi-path needs --util-nvidia-smi srun|ssh');
    u.nvidiaSmi.path = path;
  }
  const prom = stringOption(args, 'util-prometheus');
  if (prom === 'off') delete u.prometheus;
  else if (prom !== undefined) u.prometheus = { url: prom };
  const gpuutil = stringOption(args, 'util-gpuutil');
  if (gpuutil === 'on' || gpuutil === 'off') u.slurmGpuUtil = gpuutil === 'on';
  else if (gpuutil !== undefined) throw new UsageError(`--util-gpuutil takes on or off (got ${JSON.stringify(gpuutil)})`);
  const checked = UtilizationInput.safeParse(u);
  if (!checked.success) {
    throw new UsageError(`GPU utilization settings: ${checked.error.issues.map((i) => `${i.path.join('.') || '(all)'}: ${i.message}`).join('; ')}`);
  }
  return Object.keys(u).length ? u : undefined;
}

export const clustersAdd: Command = {
  path: ['clusters', 'add'],
  summary: 'add a cluster (or change one) by its login host',
  usage:
    'clusters add NAME --host HOST [--port P] [--user U] [--identity FILE | --password] [--jump HOST]... [--known-hosts FILE]...\n' +
    '             [--util-nvidia-smi srun|ssh|off [--util-nvidia-smi-path PATH]] [--util-prometheus URL|off] [--util-gpuutil on|off]',
  details:
    'Authentication: --identity FILE uses that private key (its passphrase is asked for when needed, never\n' +
    'stored in plain text); --password asks for a password at connect time; otherwise ssh-agent\n' +
    '($SSH_AUTH_SOCK). --jump [user@]host[:port] adds a ProxyJump hop; repeat it (or give a comma list)\n' +
    'for several hops, first hop first.\n' +
    'GPU utilization (for the allocated-but-idle alert), tried in this order: --util-prometheus URL, a\n' +
    'Prometheus with dcgm-exporter metrics reached through the SSH connection; --util-nvidia-smi srun (a step\n' +
    'in each of your running GPU jobs) or ssh (ssh from the login host to each node, for admins);\n' +
    "--util-gpuutil, Slurm's gres/gpuutil from sstat where the cluster records it (on unless turned off).\n" +
    'Changing an existing cluster without --util-* options keeps its utilization settings.',
  options: {
    host: { type: 'string', help: 'HOST: login node name or address' },
    port: { type: 'string', help: 'PORT: ssh port (default 22)' },
    user: { type: 'string', help: 'USER: remote user (default: your local user name)' },
    identity: { type: 'string', help: 'FILE: private key file' },
    password: { type: 'boolean', help: 'authenticate with a password (asked for at connect time)' },
    jump: { type: 'string', multiple: true, help: 'HOST: ProxyJump hop, [user@]host[:port]' },
    'known-hosts': { type: 'string', multiple: true, help: 'FILE: extra known_hosts file to trust' },
    'poll-queue': { type: 'string', help: 'SECONDS: queue + nodes interval (default 60)' },
    'poll-accounting': { type: 'string', help: 'SECONDS: accounting interval (default 300)' },
    'poll-fairshare': { type: 'string', help: 'SECONDS: fairshare interval (default 900)' },
    'util-nvidia-smi': { type: 'string', help: 'srun|ssh|off: run nvidia-smi on the nodes for GPU utilization' },
    'util-nvidia-smi-path': { type: 'string', help: "PATH: nvidia-smi on the nodes (default: the nodes' PATH)" },
    'util-prometheus': { type: 'string', help: 'URL|off: Prometheus with dcgm-exporter metrics, as the login host reaches it' },
    'util-gpuutil': { type: 'string', help: "on|off: Slurm's gres/gpuutil from sstat (default on)" },
  },
  positionals: 'NAME',
  async run(ctx, args) {
    const [name, ...extra] = args.positionals;
    if (!name || extra.length) throw new UsageError('give exactly one cluster NAME');
    if (!CLUSTER_NAME.test(name)) throw new UsageError(`cluster name ${JSON.stringify(name)} is not allowed: letters, digits, . _ - (at most 64)`);
    const host = stringOption(args, 'host');
    if (!host) throw new UsageError('--host is required');
    const user = stringOption(args, 'user') ?? ctx.env.USER ?? ctx.env.LOGNAME ?? localUserName();
    if (!user) throw new UsageError('--user is required (no local user name found)');
    const identity = stringOption(args, 'identity');
    if (identity && args.values.password) throw new UsageError('choose one of --identity and --password');
    const auth: ClusterAuth = identity
      ? { kind: 'key', identityFile: path.resolve(identity), hasPassphrase: false }
      : args.values.password
        ? { kind: 'password' }
        : { kind: 'agent' };
    const repo = new ClustersRepo(ctx.store().db);
    const previous = repo.get(name);
    const utilization = utilizationOf(args, previous?.config.utilization);
    const config: ClusterConfig = {
      name,
      host,
      port: intOption(args, 'port', { min: 1, max: 65535 }) ?? 22,
      user,
      auth,
      jump: jumpHosts(stringList(args, 'jump'), user),
      knownHostsFiles: stringList(args, 'known-hosts').map((f) => path.resolve(f)),
      poll: {
        queue: intOption(args, 'poll-queue', { min: 10, max: 86_400 }) ?? DEFAULT_POLL.queue,
        accounting: intOption(args, 'poll-accounting', { min: 30, max: 86_400 }) ?? DEFAULT_POLL.accounting,
        fairshare: intOption(args, 'poll-fairshare', { min: 60, max: 86_400 }) ?? DEFAULT_POLL.fairshare,
      },
      enabled: true,
      ...(utilization ? { utilization } : {}),
    };
    const existed = previous !== undefined;
    repo.save(config, Math.floor(Date.now() / 1000));
    if (ctx.json) printJson(ctx, { cluster: config, created: !existed });
    else ctx.io.stdout(`${existed ? 'Updated' : 'Added'} cluster ${name} (${user}@${host}:${config.port}${config.jump.length ? ` via ${config.jump.map((j) => j.host).join(' -> ')}` : ''}).\n`);
    return EXIT.ok;
  },
};

export const clustersList: Command = {
  path: ['clusters', 'list'],
  summary: 'list the configured clusters',
  usage: 'clusters list [--json]',
  options: {},
  async run(ctx) {
    const clusters = new ClustersRepo(ctx.store().db).list();
    if (ctx.json) {
      printJson(ctx, clusters.map((c) => c.config));
      return EXIT.ok;
    }
    if (clusters.length === 0) {
      ctx.io.stdout("No clusters configured. Add one with 'clusterops clusters add NAME --host HOST' or 'clusterops clusters import-ssh-config'.\n");
      return EXIT.ok;
    }
    ctx.io.stdout(
      formatTable(
        ['NAME', 'USER@HOST', 'PORT', 'AUTH', 'JUMP', 'POLL (s)'],
        clusters.map(({ config: c }) => [
          c.name,
          `${c.user}@${c.host}`,
          c.port,
          c.auth.kind === 'key' ? `key ${c.auth.identityFile}` : c.auth.kind,
          c.jump.map((j) => `${j.user}@${j.host}:${j.port}`).join(',') || null,
          `${c.poll.queue}/${c.poll.accounting}/${c.poll.fairshare}`,
        ]),
      ),
    );
    return EXIT.ok;
  },
};

export const clustersRemove: Command = {
  path: ['clusters', 'remove'],
  summary: 'remove a cluster and everything cached for it',
  usage: 'clusters remove NAME...',
  options: {},
  positionals: 'NAME...',
  async run(ctx, args) {
    if (args.positionals.length === 0) throw new UsageError('name at least one cluster');
    const repo = new ClustersRepo(ctx.store().db);
    const missing: string[] = [];
    for (const name of args.positionals) {
      if (repo.remove(name)) {
        if (!ctx.json) ctx.io.stdout(`Removed cluster ${name}.\n`);
      } else missing.push(name);
    }
    if (ctx.json) printJson(ctx, { removed: args.positionals.filter((n) => !missing.includes(n)), missing });
    for (const name of missing) ctx.io.stderr(`clusterops: no cluster named ${name}\n`);
    if (missing.length === 0) return EXIT.ok;
    return missing.length === args.positionals.length ? EXIT.error : EXIT.partial;
  },
};

export const clustersImport: Command = {
  path: ['clusters', 'import-ssh-config'],
  summary: 'add clusters from an OpenSSH client config (~/.ssh/config), named after their Host alias',
  usage: 'clusters import-ssh-config [--file PATH] [--dry-run] [HOST...]',
  details: 'Honours HostName, Port, User, IdentityFile, IdentityAgent, ProxyJump and UserKnownHostsFile.\nWithout HOST, every concrete Host alias is imported; hosts ssh could not reach the same way are skipped with the reason.',
  options: {
    file: { type: 'string', help: 'PATH: read this file instead of ~/.ssh/config and /etc/ssh/ssh_config' },
    'dry-run': { type: 'boolean', help: 'show what would be added, change nothing' },
  },
  positionals: 'HOST...',
  async run(ctx, args) {
    const file = stringOption(args, 'file');
    const result = await importSshConfig({
      ...(file ? { sources: [{ path: path.resolve(file), kind: 'user' as const }] } : {}),
      ...(args.positionals.length ? { hosts: args.positionals } : {}),
    });
    const dryRun = args.values['dry-run'] === true;
    if (!dryRun && result.clusters.length) {
      const repo = new ClustersRepo(ctx.store().db);
      const now = Math.floor(Date.now() / 1000);
      for (const c of result.clusters) repo.save(c.cluster, now);
    }
    if (ctx.json) {
      printJson(ctx, { imported: result.clusters.map((c) => ({ ...c.cluster, warnings: c.warnings })), skipped: result.skipped, dryRun });
    } else {
      for (const c of result.clusters) {
        const cc = c.cluster;
        ctx.io.stdout(`${dryRun ? 'Would add' : 'Added'} ${cc.name}: ${cc.user}@${cc.host}:${cc.port}${cc.jump.length ? ` via ${cc.jump.map((j) => j.host).join(' -> ')}` : ''}\n`);
        for (const w of c.warnings) ctx.io.stdout(`  note: ${w}\n`);
      }
      for (const s of result.skipped) ctx.io.stderr(`Skipped ${s.alias}: ${s.reason}\n`);
      if (result.clusters.length === 0 && result.skipped.length === 0) ctx.io.stdout('No hosts found.\n');
    }
    if (result.clusters.length === 0) return result.skipped.length ? EXIT.error : EXIT.ok;
    return result.skipped.length ? EXIT.partial : EXIT.ok;
  },
};
