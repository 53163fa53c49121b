// Node states in JSON: openapi v0.0.38 (22.05) prints the base state as a lower-case word (`"mixed"`)
// and the flags apart (`state_flags: ["DRAIN"]`); data_parser v0.0.39+ prints one array of upper-case
// names, base and flags together (`["IDLE", "DRAIN"]`, `["DOWN", "NOT_RESPONDING"]`), with no fixed
// position for the base. Both are put in scontrol's `BASE+FLAG+FLAG` form and read by the one node-state
// parser, so aliases and unknown flags are handled exactly as on the text path.
import { z } from 'zod';
import { parseNodeState, type ParsedNodeState } from '../parse/states';
import { FieldError } from './values';

export const flexNodeState = z.union([z.string(), z.array(z.string())]);

const BASE_WORDS = new Set(['IDLE', 'ALLOCATED', 'ALLOC', 'MIXED', 'MIX', 'DOWN', 'ERROR', 'FUTURE', 'UNKNOWN']);

export function nodeStateFrom(state: string | string[], stateFlags: readonly string[] | null | undefined, field: string): ParsedNodeState {
  const names = (typeof state === 'string' ? [state] : state).map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new FieldError(field, 'empty node state');
  const baseAt = names.findIndex((n) => BASE_WORDS.has(n.toUpperCase()));
  // With no base word (a lone flag such as POWERED_DOWN), the first word leads, as slurmctld's base 0
  // (UNKNOWN) plus that flag, which the state parser knows.
  const ordered = baseAt <= 0 ? names : [names[baseAt] as string, ...names.filter((_, i) => i !== baseAt)];
  const all = [...ordered, ...(stateFlags ?? []).map((f) => f.trim()).filter((f) => f !== '')];
  try {
    return parseNodeState(all.join('+'));
  } catch (err) {
    throw new FieldError(field, err instanceof Error ? err.message : String(err));
  }
}
