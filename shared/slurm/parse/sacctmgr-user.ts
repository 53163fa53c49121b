// `sacctmgr -nP show user <u> withassoc withcoord format=User,DefaultAccount,AdminLevel,Coordinators,Account`:
// one line per association of the user, the user-level columns repeated on each. Without `withcoord`
// the Coordinators column is empty, so the builder always asks for it.
import type { AdminLevel } from '../../model/capabilities';
import { SlurmParseError } from './errors';
import { outputLines } from './result';

export const SACCTMGR_USER_FORMAT = ['User', 'DefaultAccount', 'AdminLevel', 'Coordinators', 'Account'] as const;

export interface SlurmUserInfo {
  user: string;
  defaultAccount: string | null;
  adminLevel: AdminLevel;
  /** Accounts the user coordinates. */
  coordinatorOf: string[];
  /** Accounts the user has associations in. */
  accounts: string[];
}

const LEVELS = new Map<string, AdminLevel>([
  ['None', 'None'],
  ['Operator', 'Operator'],
  ['Administrator', 'Administrator'],
  ['Admin', 'Administrator'],
]);

/** Returns null when sacctmgr printed nothing (the user has no record in the accounting database). */
export function parseSacctmgrUser(output: string): SlurmUserInfo | null {
  let info: SlurmUserInfo | null = null;
  outputLines(output).forEach((line, i) => {
    if (line.trim() === '') return;
    const f = line.split('|');
    if (f.length < SACCTMGR_USER_FORMAT.length) throw new SlurmParseError('sacctmgr-user', `expected ${SACCTMGR_USER_FORMAT.length} fields`, line, i + 1);
    const [user, defaultAccount, level, coords, account] = f as [string, string, string, string, string];
    const adminLevel = LEVELS.get(level);
    if (adminLevel === undefined) throw new SlurmParseError('sacctmgr-user', `unknown AdminLevel "${level}"`, line, i + 1);
    if (user === '') throw new SlurmParseError('sacctmgr-user', 'empty user', line, i + 1);
    if (info === null) info = { user, defaultAccount: defaultAccount === '' ? null : defaultAccount, adminLevel, coordinatorOf: [], accounts: [] };
    else if (info.user !== user) throw new SlurmParseError('sacctmgr-user', `rows of two users (${info.user}, ${user})`, line, i + 1);
    const current: SlurmUserInfo = info;
    for (const c of coords.split(',')) if (c !== '' && !current.coordinatorOf.includes(c)) current.coordinatorOf.push(c);
    if (account !== '' && !current.accounts.includes(account)) current.accounts.push(account);
  });
  return info;
}
