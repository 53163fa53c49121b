// `sacctmgr show user <name> withassoc withcoord --json` (23.02+): what the capability probe needs to know
// about the SSH user — the Slurm AdminLevel (None, Operator, Administrator) and the accounts it
// coordinates (which it may requeue jobs in). Without `withcoord`, sacctmgr leaves `coordinators` empty.
import { z } from 'zod';
import type { AdminLevel } from '../../model/capabilities';
import { mainList, parseEnvelope } from './envelope';
import { convertRecords, type JsonResult } from './result';
import { FieldError, textOrNull } from './values';

/** The same shape as the text path's (`sacctmgr -nP show user … withassoc withcoord`). */
export interface SlurmUserInfo {
  user: string;
  adminLevel: AdminLevel;
  defaultAccount: string | null;
  /** Accounts the user coordinates (`withcoord`). */
  coordinatorOf: string[];
  /** Accounts the user has associations in (`withassoc`), without duplicates. */
  accounts: string[];
}

const userSchema = z.object({
  name: z.string().min(1),
  administrator_level: z.union([z.array(z.string()), z.string()]).optional(),
  default: z.object({ account: z.string().nullable().optional() }).partial().nullable().optional(),
  coordinators: z.array(z.object({ name: z.string() })).nullable().optional(),
  associations: z.array(z.object({ account: z.string().nullable().optional() })).nullable().optional(),
});

const LEVELS = new Map<string, AdminLevel>([
  ['none', 'None'],
  ['not set', 'None'],
  ['operator', 'Operator'],
  ['administrator', 'Administrator'],
  ['admin', 'Administrator'],
]);

function adminLevel(v: string[] | string | undefined): AdminLevel {
  const words = typeof v === 'string' ? [v] : (v ?? []);
  let best: AdminLevel = 'None';
  for (const w of words) {
    const level = LEVELS.get(w.trim().toLowerCase());
    if (level === undefined) throw new FieldError('administrator_level', `unknown admin level ${JSON.stringify(w)}`);
    if (level === 'Administrator' || (level === 'Operator' && best === 'None')) best = level;
  }
  return best;
}

export function normaliseSacctmgrUsersJson(text: string): JsonResult<SlurmUserInfo> {
  const env = parseEnvelope(text, 'sacctmgr-user');
  const records = mainList(env, 'sacctmgr-user', ['users']);
  const { items, errors } = convertRecords('sacctmgr-user', 'users', records, userSchema, (u): SlurmUserInfo => ({
    user: u.name,
    adminLevel: adminLevel(u.administrator_level),
    defaultAccount: textOrNull(u.default?.account ?? null),
    coordinatorOf: [...new Set((u.coordinators ?? []).map((c) => c.name))],
    accounts: [...new Set((u.associations ?? []).map((a) => a.account ?? '').filter((a) => a !== ''))],
  }));
  return { items, version: env.version, warnings: env.warnings, errors };
}
