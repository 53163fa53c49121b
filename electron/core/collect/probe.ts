// The capability probe, run on connect: what this cluster's Slurm offers and what this user may do there.
// It costs one slurmctld RPC (scontrol show config) and one slurmdbd request (sacctmgr); everything else
// runs locally on the login node (`-V`, `--helpformat`, `--json=list`, reading /etc/localtime).
import type { Capabilities, JsonCommand } from '../../../shared/model/capabilities';
import {
  sacctHelpformatCommand,
  sacctmgrUserCommand,
  scontrolConfigCommand,
  versionCommand,
  type SlurmCommand,
} from '../../../shared/slurm/commands';
import { parseSacctHelpformat } from '../../../shared/slurm/parse/sacct';
import { parseSacctmgrUser } from '../../../shared/slurm/parse/sacctmgr-user';
import { parseScontrolConfig } from '../../../shared/slurm/parse/scontrol-config';
import { parseSlurmVersion, versionAtLeast } from '../../../shared/slurm/version';
import { recordsGpuUtil } from '../../../shared/alerts/util/sstat-gpuutil';
import { CommandFailed, runOk, type Remote } from './remote';


const local = (argv: string[]): SlurmCommand => ({ argv, env: {} });

/** Whether `zone` is an IANA zone this JavaScript runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The login node's IANA time zone: $TZ, else the /etc/localtime link, else /etc/timezone. */
async function probeTimeZone(remote: Remote): Promise<string | null> {
  const attempts: [SlurmCommand, (out: string) => string][] = [
    [local(['printenv', 'TZ']), (o) => o.trim().replace(/^:/, '')],
    [local(['readlink', '-f', '/etc/localtime']), (o) => o.trim().replace(/^.*\/zoneinfo\/(posix\/|right\/)?/, '')],
    [local(['cat', '/etc/timezone']), (o) => o.trim()],
  ];
  for (const [cmd, pick] of attempts) {
    const res = await remote.run(cmd, { timeoutMs: 10_000 }).catch(() => null);
    if (!res || res.code !== 0) continue;
    const zone = pick(res.stdout);
    if (zone && isKnownZone(zone)) return zone;
  }
  return null;
}

/** data_parser versions a command lists with `--json=list` (23.11+); null when it has no such option. */
async function jsonParsers(remote: Remote, command: string): Promise<string[] | null> {
  const res = await remote.run(local([command, '--json=list']), { timeoutMs: 15_000 }).catch(() => null);
  if (!res) return null;
  const text = `${res.stdout}\n${res.stderr}`;
  const versions = [...text.matchAll(/data_parser\/(v\d+\.\d+\.\d+)/g)].map((m) => m[1] as string);
  return versions.length ? versions : null;
}

function newest(versions: readonly string[]): string {
  const key = (v: string) => v.slice(1).split('.').map(Number).reduce((a, n) => a * 1000 + n, 0);
  return [...versions].sort((a, b) => key(b) - key(a))[0] as string;
}

/** Which `--json` each command offers. 23.11+ lists its data_parser plugins locally; before that, ask
 *  sacct (slurmdbd, not the controller) for an empty JSON answer and read the plugin from its meta. */
async function probeJson(remote: Remote, version: ReturnType<typeof parseSlurmVersion>): Promise<Partial<Record<JsonCommand, string | null>>> {
  const json: Partial<Record<JsonCommand, string | null>> = {};
  if (versionAtLeast(version, 23, 11)) {
    const commands: JsonCommand[] = ['squeue', 'sinfo', 'sacct', 'scontrol', 'sshare', 'sacctmgr', 'sdiag'];
    for (const c of commands) {
      const list = await jsonParsers(remote, c);
      json[c] = list ? newest(list) : null;
    }
    return json;
  }
  const res = await remote.run({ argv: ['sacct', '--json', '-X', '-j', '1', '-S', 'now', '-E', 'now'], env: {} }, { timeoutMs: 20_000 }).catch(() => null);
  let plugin: string | null = null;
  if (res && res.code === 0) {
    const m = /"(?:type|data_parser)"\s*:\s*"(?:openapi|data_parser)\/(v\d+\.\d+\.\d+)"/.exec(res.stdout);
    plugin = m ? (m[1] as string) : null;
  }
  // 21.08–23.02 build --json from the same openapi plugin for squeue, sinfo and sacct; scontrol,
  // sacctmgr and sdiag have it from 23.02.
  const withScontrol = versionAtLeast(version, 23, 2);
  for (const c of ['squeue', 'sinfo', 'sacct'] as const) json[c] = plugin;
  for (const c of ['scontrol', 'sacctmgr', 'sdiag'] as const) json[c] = withScontrol ? plugin : null;
  json.sshare = null;
  return json;
}

/** Optional commands: present on the login node (a local `--version`, no RPC)? */
async function hasCommand(remote: Remote, command: string): Promise<boolean> {
  const res = await remote.run(local([command, '--version']), { timeoutMs: 10_000 }).catch(() => null);
  return res !== null && res.code === 0;
}

export async function probeCluster(remote: Remote, user: string, now: () => number = () => Date.now()): Promise<Capabilities> {
  const warnings: string[] = [];
  const versionText = await runOk(remote, versionCommand(), { timeoutMs: 15_000 });
  const version = parseSlurmVersion(versionText);
  const slurmVersion = `${version.major}.${String(version.minor).padStart(2, '0')}.${version.patch}`;

  const config = parseScontrolConfig(await runOk(remote, scontrolConfigCommand(), { timeoutMs: 30_000 }));

  let accounting = true;
  let accountingError: string | null = null;
  let adminLevel: Capabilities['adminLevel'] = 'None';
  let coordinatorOf: string[] = [];
  try {
    const info = parseSacctmgrUser(await runOk(remote, sacctmgrUserCommand(user), { timeoutMs: 30_000 }));
    if (info) {
      adminLevel = info.adminLevel;
      coordinatorOf = info.coordinatorOf;
    } else {
      warnings.push(`accounting has no user ${user}: permissions are those of a plain user`);
    }
  } catch (err) {
    if (!(err instanceof CommandFailed)) throw err;
    accounting = false;
    accountingError = err.message;
    warnings.push(`accounting (slurmdbd) did not answer: ${err.message}`);
  }

  const helpformat = await runOk(remote, sacctHelpformatCommand(), { timeoutMs: 15_000 }).then(parseSacctHelpformat, () => [] as string[]);

  let timeZone = await probeTimeZone(remote);
  if (!timeZone) {
    warnings.push('could not read the login node time zone; assuming UTC (local Slurm times may be shifted)');
    timeZone = 'UTC';
  }

  const json = await probeJson(remote, version);
  const commands: Capabilities['commands'] = {};
  for (const c of ['sprio', 'sshare', 'sdiag', 'sreport'] as const) commands[c] = await hasCommand(remote, c);

  return {
      slurmVersion,
      json,
      accounting,
      accountingError,
      user,
      adminLevel,
      coordinatorOf,
      privateData: config.privateData,
      timeZone,
      commands,
      sacctFields: helpformat,
      gpuUtilTres: recordsGpuUtil(config.values.get('AccountingStorageTRES')),
      clusterName: config.clusterName,
      warnings,
      probedAt: Math.floor(now() / 1000),
  };
}
