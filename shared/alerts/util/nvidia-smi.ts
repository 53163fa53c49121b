// `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` as it prints on a node, and the node- and
// job-prefixed lines our collection scripts (nvidia-smi-script.ts) wrap around it.
//
// What real output looks like (captures of an H200, driver 580, in tests/fixtures/nvidia-smi-h200):
//   index, uuid, name, pci.bus_id, utilization.gpu [%], …, clocks_event_reasons.active, pstate, fan.speed [%], driver_version
//   0, GPU-b2f57cec-…, NVIDIA H200, 00000000:00:06.0, 100 %, 23 %, 1011 MiB, 143771 MiB, …, [N/A], 580.159.04
// - fields are separated by ", "; the header names carry units in brackets (`memory.used [MiB]`), and so do
//   the values unless `nounits` was asked for (`1011 MiB`, `100 %`);
// - a value the GPU cannot give is `[N/A]` or `[Not Supported]` (older drivers: `N/A`);
// - newer drivers name the throttle reasons `clocks_event_reasons.*` (older: `clocks_throttle_reasons.*`):
//   columns are matched by name, so either header works and unknown columns are ignored;
// - a GPU that fails prints a message instead of a record ("Unable to determine the device handle for
//   GPU0000:3B:00.0: Unknown Error"), and a node without a working driver prints only "NVIDIA-SMI has failed
//   because it couldn't communicate with the NVIDIA driver…" (exit 9). Such lines come back as `errors`,
//   the other GPUs of the node still count.

/** The fields we ask for, in this order (`--query-gpu=` + these joined by commas). */
export const NVIDIA_SMI_FIELDS = ['index', 'uuid', 'pci.bus_id', 'utilization.gpu', 'memory.used', 'memory.total'] as const;
export type NvidiaSmiField = (typeof NVIDIA_SMI_FIELDS)[number];

/** One GPU as nvidia-smi printed it. Numbers are null where the GPU said `[N/A]` / `[Not Supported]`. */
export interface NvidiaSmiGpu {
  /** nvidia-smi's own index (PCI bus order on the node, renumbered from 0 inside a device cgroup). */
  index: number | null;
  uuid: string | null;
  /** `00000000:3B:00.0`, upper case as nvidia-smi prints it. */
  busId: string | null;
  utilPct: number | null;
  memUsedMiB: number | null;
  memTotalMiB: number | null;
}

export interface NvidiaSmiParse {
  gpus: NvidiaSmiGpu[];
  /** Lines that are not GPU records (error messages), trimmed and shortened. */
  errors: string[];
}

const UNAVAILABLE = /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU requires reset|Not Available)\]?$/i;
const HEADER_NAME = /^[a-z][a-z0-9_.]*(?: \[[^\]]*\])?$/;
const KNOWN = new Set<string>([...NVIDIA_SMI_FIELDS, 'name', 'gpu_uuid', 'gpu_bus_id', 'pci.bus', 'driver_version', 'pstate', 'temperature.gpu']);

/** Header names without units: `memory.used [MiB]` → `memory.used`; aliases nvidia-smi accepts → ours. */
function canonical(name: string): string {
  const n = name.replace(/\s*\[[^\]]*\]$/, '').trim().toLowerCase();
  if (n === 'gpu_uuid') return 'uuid';
  if (n === 'gpu_bus_id') return 'pci.bus_id';
  return n;
}

function splitCsv(line: string): string[] {
  return line.split(',').map((f) => f.trim());
}

function isHeader(fields: string[]): boolean {
  return fields.every((f) => HEADER_NAME.test(f)) && fields.some((f) => KNOWN.has(canonical(f)));
}

/** `1011 MiB`, `100 %`, `1011`, `[N/A]` → number or null; anything else is not a value of a numeric field. */
function numberOf(value: string): number | null | undefined {
  if (value === '' || UNAVAILABLE.test(value)) return null;
  const m = /^(-?\d+(?:\.\d+)?)\s*(%|MiB|W|MHz|C)?$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

function textOf(value: string): string | null {
  return value === '' || UNAVAILABLE.test(value) ? null : value;
}

function shorten(line: string): string {
  const t = line.trim();
  return t.length > 300 ? `${t.slice(0, 297)}...` : t;
}

/**
 * Parse `--query-gpu` CSV. A header line (with or without units) decides the columns; without one the
 * columns are `fields` (default: NVIDIA_SMI_FIELDS, what our scripts ask for). Lines that do not fit become
 * `errors`; a header seen again later (several nvidia-smi runs concatenated) switches the columns again.
 */
export function parseNvidiaSmiCsv(text: string, fields: readonly string[] = NVIDIA_SMI_FIELDS): NvidiaSmiParse {
  let columns = fields.map(canonical);
  const gpus: NvidiaSmiGpu[] = [];
  const errors: string[] = [];
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const parts = splitCsv(line);
    if (isHeader(parts)) {
      columns = parts.map(canonical);
      continue;
    }
    if (parts.length !== columns.length) {
      errors.push(shorten(line));
      continue;
    }
    const at = (name: string): string | undefined => {
      const i = columns.indexOf(name);
      return i === -1 ? undefined : parts[i];
    };
    const num = (name: string): number | null | undefined => {
      const v = at(name);
      return v === undefined ? null : numberOf(v);
    };
    const index = num('index');
    const util = num('utilization.gpu');
    const used = num('memory.used');
    const total = num('memory.total');
    // A record's index must be a whole number (or [N/A]); a message that happens to contain as many
    // commas as we have columns is not a GPU.
    if (index === undefined || (index !== null && !Number.isInteger(index)) || util === undefined || used === undefined || total === undefined) {
      errors.push(shorten(line));
      continue;
    }
    const uuid = at('uuid');
    const bus = at('pci.bus_id');
    gpus.push({
      index,
      uuid: uuid === undefined ? null : textOf(uuid),
      busId: bus === undefined ? null : textOf(bus)?.toUpperCase() ?? null,
      utilPct: util === null ? null : Math.max(0, Math.min(100, util)),
      memUsedMiB: used,
      memTotalMiB: total,
    });
  }
  return { gpus, errors };
}

// --- the collection scripts' output -----------------------------------------------------------------------
//
// Both scripts (see nvidia-smi-script.ts) print one item after another, each item a job (srun) or a node
// (ssh), every line tagged so that one failing item cannot garble another:
//   J|<item>|<node>|gpus|<SLURM_STEP_GPUS>|<CUDA_VISIBLE_DEVICES>   (srun: the GPUs Slurm gave the step)
//   J|<item>|<node>|smi|<one line of nvidia-smi output, stdout and stderr>
//   J|<item>|<node>|rc|<nvidia-smi exit status>                     (srun)
//   E|<item>|<a line srun / ssh wrote to stderr>
//   X|<item>|<exit status of srun / ssh; 124 = our time limit>

export interface SmiNodeOutput {
  node: string;
  /** nvidia-smi's lines, in order. */
  lines: string[];
  /** nvidia-smi's exit status where the script saw it (srun), else null. */
  exitCode: number | null;
  /** Slurm GPU indices the step was given on this node (`SLURM_STEP_GPUS`); null when not printed or empty. */
  stepGpus: number[] | null;
}

export interface SmiItemOutput {
  item: string;
  /** srun's / ssh's exit status; null when the script did not get to print it. */
  exitCode: number | null;
  stderr: string[];
  nodes: Map<string, SmiNodeOutput>;
}

function indexList(text: string): number[] | null {
  const t = text.trim();
  if (!/^\d+(,\d+)*$/.test(t)) return null;
  return t.split(',').map(Number);
}

export function parseSmiScriptOutput(text: string): Map<string, SmiItemOutput> {
  const items = new Map<string, SmiItemOutput>();
  const itemOf = (key: string): SmiItemOutput => {
    let it = items.get(key);
    if (!it) items.set(key, (it = { item: key, exitCode: null, stderr: [], nodes: new Map() }));
    return it;
  };
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    if (raw === '') continue;
    const [tag, key, ...rest] = raw.split('|');
    if (key === undefined || key === '') continue;
    if (tag === 'E') {
      const msg = rest.join('|').trim();
      if (msg) itemOf(key).stderr.push(shorten(msg));
    } else if (tag === 'X') {
      const code = (rest[0] ?? '').trim();
      itemOf(key).exitCode = /^\d+$/.test(code) ? Number(code) : null;
    } else if (tag === 'J' && rest.length >= 2) {
      const [node, kind, ...payload] = rest as [string, string, ...string[]];
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(node)) continue;
      const it = itemOf(key);
      let n = it.nodes.get(node);
      if (!n) it.nodes.set(node, (n = { node, lines: [], exitCode: null, stepGpus: null }));
      const value = payload.join('|');
      if (kind === 'smi') {
        if (value.trim() !== '') n.lines.push(value);
      } else if (kind === 'rc') {
        n.exitCode = /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
      } else if (kind === 'gpus') {
        n.stepGpus = indexList(payload[0] ?? '');
      }
    }
  }
  return items;
}

/** A plain reason for nvidia-smi's exit status (see `nvidia-smi -h`, "RETURN VALUE"). */
export function nvidiaSmiExitReason(code: number): string {
  switch (code) {
    case 2:
      return 'nvidia-smi refused an argument (exit 2; is it too old for --query-gpu?)';
    case 3:
      return 'the requested operation is not available on this GPU (exit 3)';
    case 4:
      return 'no permission to run the operation (exit 4)';
    case 6:
      return 'nvidia-smi could not find its query target (exit 6)';
    case 8:
      return "a GPU's external power cables are not attached (exit 8)";
    case 9:
      return 'the NVIDIA driver is not loaded (exit 9)';
    case 10:
      return 'the NVIDIA kernel detected an interrupt issue with a GPU (exit 10)';
    case 12:
      return 'the NVML shared library could not be found or loaded (exit 12)';
    case 13:
      return 'a function in the NVML library is missing (driver older than nvidia-smi? exit 13)';
    case 14:
      return 'the infoROM is corrupted (exit 14)';
    case 15:
      return 'a GPU has fallen off the bus or is otherwise inaccessible (exit 15)';
    case 124:
      return 'it did not finish within our time limit';
    case 126:
    case 127:
      return `nvidia-smi was not found or could not be run (exit ${code})`;
    default:
      return `nvidia-smi failed (exit ${code})`;
  }
}
