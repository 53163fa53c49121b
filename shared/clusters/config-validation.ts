// One validation of a cluster configuration for the settings form (messages next to the fields), the core
// (refuses a bad save with the same words) and the cluster list (flags a stored row the form would refuse).
import { ClusterConfigInput } from '../api/methods/clusters';

export interface FieldError {
  /** Dotted path of the field: `host`, `auth.identityFile`, `jump.0.port`, `poll.queue`. */
  field: string;
  message: string;
}

export type ConfigValidation = { ok: true; config: ClusterConfigInput } | { ok: false; errors: FieldError[] };

export function validateClusterConfig(input: unknown): ConfigValidation {
  const r = ClusterConfigInput.safeParse(input);
  if (r.success) {
    const duplicate = duplicateJump(r.data);
    return duplicate ? { ok: false, errors: [duplicate] } : { ok: true, config: r.data };
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of r.error.issues) {
    const field = issue.path.map(String).join('.') || '(config)';
    // zod may report a field twice (type and refinement); the first message is the useful one.
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: field === 'name' && issue.code === 'invalid_format' ? 'letters, digits, . _ - only; at most 64; starts with a letter or digit' : issue.message });
  }
  return { ok: false, errors };
}

/** A hop through the cluster's own login host (or the same hop twice) is a loop ssh would also refuse. */
function duplicateJump(c: ClusterConfigInput): FieldError | null {
  const seen = new Set<string>([`${c.host.toLowerCase()}:${c.port}`]);
  for (let i = 0; i < c.jump.length; i++) {
    const j = c.jump[i]!;
    const key = `${j.host.toLowerCase()}:${j.port}`;
    if (seen.has(key)) return { field: `jump.${i}.host`, message: `${j.host}:${j.port} is already on the way (a loop)` };
    seen.add(key);
  }
  return null;
}

/** "host: a host is needed; poll.queue: at least 15 s" */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
