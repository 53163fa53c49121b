// Node and job state strings in every form Slurm prints them.
//
// Nodes: `scontrol show node` and `sinfo -O StateComplete` print the base state and its flags
// (`IDLE+DRAIN`, `DOWN+DRAIN+NOT_RESPONDING`, `mixed+drain`); `sinfo %T/%t` print one combined word with
// a one-character suffix for one flag (`drained`, `draining`, `down*`, `mix-`, `alloc#`, `idle~`,
// `drng@`). The combined words lose information (`draining` does not say ALLOCATED or MIXED), so the
// scontrol form is the one collectors should prefer; for the lossy words we pick the reading Slurm's
// node_state_string() implies and say so below.
//
// Jobs: full names (`PENDING`, `OUT_OF_MEMORY`), squeue's compact codes (`PD`, `OOM`), and sacct's
// `CANCELLED by <uid>`.
import type { JobState } from '../../model/job';
import type { NodeBaseState, NodeFlag } from '../../model/node';
import { SlurmParseError } from './errors';

export interface ParsedNodeState {
  state: NodeBaseState;
  flags: NodeFlag[];
}

/** sinfo's one-character suffixes (slurm_protocol_defs.c node_state_string / sinfo(1) NODE STATE CODES). */
const SUFFIX_FLAG = new Map<string, NodeFlag>([
  ['*', 'NOT_RESPONDING'],
  ['~', 'POWERED_DOWN'],
  ['#', 'POWERING_UP'],
  ['!', 'POWER_DOWN'],
  ['%', 'POWERING_DOWN'],
  ['$', 'MAINTENANCE'],
  ['@', 'REBOOT_REQUESTED'],
  ['^', 'REBOOT_ISSUED'],
  ['-', 'PLANNED'],
  ['+', 'COMPLETING'],
]);

/**
 * Every word Slurm prints as a node's (first) state, long and compact, to base + implied flags. Words
 * printed for a flag alone (POWERED_DOWN, CLOUD, …) come with Slurm's base NODE_STATE_UNKNOWN (0).
 * Lossy: DRAINING/DRNG is DRAIN on an ALLOCATED, MIXED or COMPLETING node; we say MIXED. FAILING/FAILG is
 * FAIL on an ALLOCATED or COMPLETING node; we say ALLOCATED.
 */
const WORDS = new Map<string, [NodeBaseState, NodeFlag[]]>([
  ['IDLE', ['IDLE', []]],
  ['ALLOCATED', ['ALLOCATED', []]],
  ['ALLOC', ['ALLOCATED', []]],
  ['MIXED', ['MIXED', []]],
  ['MIX', ['MIXED', []]],
  ['DOWN', ['DOWN', []]],
  ['ERROR', ['ERROR', []]],
  ['ERR', ['ERROR', []]],
  ['FUTURE', ['FUTURE', []]],
  ['FUTR', ['FUTURE', []]],
  ['UNKNOWN', ['UNKNOWN', []]],
  ['UNK', ['UNKNOWN', []]],
  ['DRAINED', ['IDLE', ['DRAIN']]],
  ['DRAIN', ['IDLE', ['DRAIN']]],
  ['DRAINING', ['MIXED', ['DRAIN']]],
  ['DRNG', ['MIXED', ['DRAIN']]],
  ['COMPLETING', ['IDLE', ['COMPLETING']]],
  ['COMP', ['IDLE', ['COMPLETING']]],
  ['FAIL', ['IDLE', ['FAIL']]],
  ['FAILING', ['ALLOCATED', ['FAIL']]],
  ['FAILG', ['ALLOCATED', ['FAIL']]],
  ['MAINT', ['IDLE', ['MAINTENANCE']]],
  ['REBOOT', ['IDLE', ['REBOOT_REQUESTED']]],
  ['BOOT', ['IDLE', ['REBOOT_REQUESTED']]],
  ['REBOOT_REQUESTED', ['IDLE', ['REBOOT_REQUESTED']]],
  ['REBOOT_ISSUED', ['UNKNOWN', ['REBOOT_ISSUED']]],
  ['CANCEL_REBOOT', ['UNKNOWN', ['REBOOT_CANCEL']]],
  ['CANC_R', ['UNKNOWN', ['REBOOT_CANCEL']]],
  ['CLOUD', ['UNKNOWN', ['CLOUD']]],
  ['POWER_DOWN', ['UNKNOWN', ['POWER_DOWN']]],
  ['POW_DN', ['UNKNOWN', ['POWER_DOWN']]],
  ['POWER_UP', ['UNKNOWN', ['POWER_UP']]],
  ['POW_UP', ['UNKNOWN', ['POWER_UP']]],
  ['POWERING_DOWN', ['UNKNOWN', ['POWERING_DOWN']]],
  ['POWRING_DN', ['UNKNOWN', ['POWERING_DOWN']]],
  ['POWERED_DOWN', ['UNKNOWN', ['POWERED_DOWN']]],
  ['POWERED_DN', ['UNKNOWN', ['POWERED_DOWN']]],
  ['POWERING_UP', ['UNKNOWN', ['POWERING_UP']]],
  ['RESERVED', ['IDLE', ['RESERVED']]],
  ['RESV', ['IDLE', ['RESERVED']]],
  ['PERFCTRS', ['IDLE', ['PERFCTRS']]],
  ['NPC', ['IDLE', ['PERFCTRS']]],
  ['PLANNED', ['IDLE', ['PLANNED']]],
  ['PLND', ['IDLE', ['PLANNED']]],
  ['INVAL', ['UNKNOWN', ['INVALID_REG']]],
  ['RESUME', ['UNKNOWN', ['RESUME']]],
  ['RESM', ['UNKNOWN', ['RESUME']]],
  ['BLOCKED', ['IDLE', ['BLOCKED']]],
]);

/** Flag spellings that differ between outputs, to the model's names. */
const FLAG_ALIAS = new Map<string, NodeFlag>([
  ['MAINT', 'MAINTENANCE'],
  ['NO_RESPOND', 'NOT_RESPONDING'],
  ['DRAINED', 'DRAIN'],
  ['DRAINING', 'DRAIN'],
]);

const FLAG_NAME = /^[A-Z][A-Z_]*$/;

/** Split `word` into the bare word and the flags of its trailing suffix characters. */
function stripSuffixes(word: string, flags: NodeFlag[]): string {
  let end = word.length;
  while (end > 0) {
    const flag = SUFFIX_FLAG.get(word[end - 1] as string);
    if (flag === undefined) break;
    flags.push(flag);
    end--;
  }
  return word.slice(0, end);
}

export function parseNodeState(text: string): ParsedNodeState {
  const s = text.trim().toUpperCase();
  if (s === '') throw new SlurmParseError('node-state', 'empty node state', text);
  // `ALLOCATED+` (completing) ends in the separator itself; `+` inside separates flags.
  const parts = s.split('+');
  const suffixFlags: NodeFlag[] = [];
  if (parts.length > 1 && parts[parts.length - 1] === '') {
    parts.pop();
    suffixFlags.push('COMPLETING');
  }
  const word = stripSuffixes(parts[0] as string, suffixFlags);
  const known = WORDS.get(word);
  if (!known) throw new SlurmParseError('node-state', `unknown node state "${word}"`, text);
  const flags: NodeFlag[] = [...known[1], ...suffixFlags];
  for (const part of parts.slice(1)) {
    const extra: NodeFlag[] = [];
    const name = stripSuffixes(part, extra);
    if (!FLAG_NAME.test(name)) throw new SlurmParseError('node-state', `bad node state flag "${part}"`, text);
    flags.push(FLAG_ALIAS.get(name) ?? name, ...extra);
  }
  return { state: known[0], flags: [...new Set(flags)] };
}

export interface ParsedJobState {
  state: JobState;
  /** `CANCELLED by 1001`: the uid that cancelled, as printed; null otherwise. */
  detail: string | null;
}

/** squeue's compact codes (`%t`, `-O StateCompact`). */
const JOB_CODES = new Map<string, JobState>([
  ['PD', 'PENDING'],
  ['R', 'RUNNING'],
  ['S', 'SUSPENDED'],
  ['CG', 'COMPLETING'],
  ['CD', 'COMPLETED'],
  ['CF', 'CONFIGURING'],
  ['CA', 'CANCELLED'],
  ['F', 'FAILED'],
  ['TO', 'TIMEOUT'],
  ['PR', 'PREEMPTED'],
  ['NF', 'NODE_FAIL'],
  ['RV', 'REVOKED'],
  ['SE', 'SPECIAL_EXIT'],
  ['BF', 'BOOT_FAIL'],
  ['DL', 'DEADLINE'],
  ['OOM', 'OUT_OF_MEMORY'],
  ['RD', 'RESV_DEL_HOLD'],
  ['RF', 'REQUEUE_FED'],
  ['RH', 'REQUEUE_HOLD'],
  ['RQ', 'REQUEUED'],
  ['RS', 'RESIZING'],
  ['SI', 'SIGNALING'],
  ['SO', 'STAGE_OUT'],
  ['ST', 'STOPPED'],
]);

const JOB_WORD = /^[A-Z][A-Z_]{2,31}$/;
/** Full names as printed, for the common case: no regex needed. */
const KNOWN_JOB_STATES = new Set<string>(JOB_CODES.values());

/**
 * Parse a job state. Unknown full names (a newer Slurm's) are kept as printed, upper case; anything that
 * is not a state word is an error. `CANCELLED+` (sacct's truncation without -P) reads as CANCELLED.
 */
export function parseJobState(text: string): ParsedJobState {
  const s = text.trim();
  if (KNOWN_JOB_STATES.has(s)) return { state: s, detail: null };
  const by = /^CANCELLED by (\S+)$/i.exec(s);
  if (by) return { state: 'CANCELLED', detail: by[1] as string };
  const upper = (s.endsWith('+') ? s.slice(0, -1) : s).toUpperCase();
  const code = JOB_CODES.get(upper);
  if (code) return { state: code, detail: null };
  if (!JOB_WORD.test(upper)) throw new SlurmParseError('job-state', 'not a job state', text);
  return { state: upper, detail: null };
}
