// `sshare --json` (23.11+) into the model's `FairshareRow`. The JSON gives each association's parent
// instead of sshare's indentation, so the tree depth is computed from the parent chain.
//
// sshare's text is the reference, because it is the default path and a row must read the same from
// either: factors print with six decimals (`%f`), so JSON factors are rounded to six decimals; FairShare
// prints empty for accounts under the Fair Tree algorithm (Slurm's default since 19.05; src/sshare/
// process.c) although the JSON has 0 there; LevelFS prints `inf` for an association without usage
// (Infinity here); TRESRunMins is the JSON's run seconds divided by 60, as sshare does.
import { z } from 'zod';
import type { FairshareRow } from '../../model/fairshare';
import { mainList, parseEnvelope } from './envelope';
import { convertRecords, type JsonResult } from './result';
import { FieldError, flexNumber, numberOr, readNumber, textOrNull, type FlexNumber } from './values';

const tresValues = z.array(z.object({ name: z.string(), value: flexNumber })).nullable().optional();

const shareSchema = z.object({
  name: z.string().min(1),
  parent: z.string().nullable().optional(),
  type: z.union([z.array(z.string()), z.string()]).optional(),
  shares: flexNumber,
  shares_normalized: flexNumber,
  usage: flexNumber,
  effective_usage: flexNumber,
  fairshare: z.object({ factor: flexNumber, level: flexNumber }).partial().nullable().optional(),
  tres: z.object({ run_seconds: tresValues, group_minutes: tresValues }).partial().nullable().optional(),
});
type ShareRecord = z.infer<typeof shareSchema>;

/** Six decimals, as sshare prints factors; Infinity stays (sshare prints `inf`). */
function factor(v: FlexNumber, field: string): number | null {
  const r = readNumber(v, field, false);
  if (r.kind === 'infinite') return Number.POSITIVE_INFINITY;
  if (r.kind === 'unset') return null;
  return Number(r.value.toFixed(6));
}

function isUser(r: ShareRecord): boolean {
  const types = typeof r.type === 'string' ? [r.type] : (r.type ?? []);
  return types.some((t) => t.toUpperCase() === 'USER');
}

/** `name=value,…` as sshare prints TRES arrays, leaving out values Slurm has not set (GrpTRESMins). */
function tresText(list: z.infer<typeof tresValues>, field: string, divide: number): string | null {
  const parts: string[] = [];
  for (const t of list ?? []) {
    const r = readNumber(t.value, `${field}.${t.name}`);
    if (r.kind === 'value') parts.push(`${t.name}=${Math.floor(r.value / divide)}`);
  }
  return parts.length > 0 ? parts.join(',') : null;
}

export function normaliseSshareJson(text: string): JsonResult<FairshareRow> {
  const env = parseEnvelope(text, 'sshare');
  const records = mainList(env, 'sshare', ['shares', 'shares']);
  // Account parents first, so a row's depth does not depend on the order rows come in.
  const accountParent = new Map<string, string | null>();
  for (const raw of records) {
    const r = shareSchema.safeParse(raw);
    if (r.success && !isUser(r.data)) accountParent.set(r.data.name, textOrNull(r.data.parent ?? null));
  }
  const depthOf = (account: string, seen: Set<string> = new Set()): number => {
    if (seen.has(account)) throw new FieldError('parent', `account tree loops through ${account}`);
    seen.add(account);
    const parent = accountParent.get(account);
    if (parent === undefined) throw new FieldError('parent', `parent account ${account} is not in the output`);
    return parent === null ? 0 : depthOf(parent, seen) + 1;
  };
  const { items, errors } = convertRecords('sshare', 'shares.shares', records, shareSchema, (r): FairshareRow => {
    const user = isUser(r);
    const parent = textOrNull(r.parent ?? null);
    if (user && parent === null) throw new FieldError('parent', 'user association without an account');
    const account = user ? (parent as string) : r.name;
    return {
      account,
      user: user ? r.name : null,
      depth: user ? depthOf(account) + 1 : depthOf(r.name),
      parent: user ? account : parent,
      rawShares: readNumber(r.shares, 'shares').kind === 'value' ? numberOr(r.shares, 'shares', 0) : null,
      normShares: factor(r.shares_normalized, 'shares_normalized'),
      rawUsage: numberOr(r.usage, 'usage', 0),
      effectiveUsage: factor(r.effective_usage, 'effective_usage'),
      fairShare: user ? factor(r.fairshare?.factor, 'fairshare.factor') : null,
      levelFs: factor(r.fairshare?.level, 'fairshare.level'),
      grpTresMins: tresText(r.tres?.group_minutes, 'tres.group_minutes', 1),
      tresRunMins: tresText(r.tres?.run_seconds, 'tres.run_seconds', 60),
    };
  });
  return { items, version: env.version, warnings: env.warnings, errors };
}
