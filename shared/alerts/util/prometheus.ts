// GPU utilization from a Prometheus server that scrapes NVIDIA's dcgm-exporter, asked with one instant
// query (GET /api/v1/query) through the cluster's SSH connection (the server usually listens only inside
// the cluster). dcgm-exporter's series look like:
//   DCGM_FI_DEV_GPU_UTIL{gpu="0", UUID="GPU-…", pci_bus_id="00000000:3B:00.0", device="nvidia0",
//                        modelName="NVIDIA H200", Hostname="gpu-h200-01", hpc_job="123456", …} 87
// `gpu` is the GPU's index on the node (NVML's, i.e. PCI bus order, as Slurm's IDX), `Hostname` the node
// (possibly fully qualified), `hpc_job` present where the exporter maps GPUs to jobs (--hpc-job-mapping-dir).
// DCGM_FI_DEV_FB_USED / _FB_FREE are framebuffer MiB.
import type { AttributedSample } from './gpu-mapping';

/** http(s)://host[:port][/path-prefix] — no user:password@, no query, no fragment. */
const URL_RE = /^(https?):\/\/([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?(\/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?$/;

export interface PrometheusTarget {
  tls: boolean;
  /** As the login host resolves it (brackets removed from an IPv6 literal). */
  host: string;
  port: number;
  /** Path prefix before /api/v1 (`/prometheus` behind a proxy), without a trailing slash; '' for none. */
  basePath: string;
}

/** Parse a Prometheus base URL as the config holds it; a message says what is wrong. */
export function parsePrometheusUrl(url: string): { ok: true; target: PrometheusTarget } | { ok: false; message: string } {
  const u = url.trim();
  if (/^[a-z]+:\/\/[^/]*@/i.test(u)) return { ok: false, message: 'no user name or password in the URL (they would be stored in plain text)' };
  const m = URL_RE.exec(u);
  if (!m) return { ok: false, message: 'an http:// or https:// URL: host, optional port and path (e.g. http://prometheus.internal:9090)' };
  const tls = m[1] === 'https';
  const port = m[3] === undefined ? (tls ? 443 : 80) : Number(m[3]);
  if (port < 1 || port > 65535) return { ok: false, message: 'port from 1 to 65535' };
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  return { ok: true, target: { tls, host, port, basePath: (m[4] ?? '').replace(/\/+$/, '') } };
}

export const DCGM_UTIL = 'DCGM_FI_DEV_GPU_UTIL';
export const DCGM_FB_USED = 'DCGM_FI_DEV_FB_USED';
export const DCGM_FB_FREE = 'DCGM_FI_DEV_FB_FREE';
/** One query for all three metrics of every GPU. */
export const DCGM_QUERY = `{__name__=~"${DCGM_UTIL}|${DCGM_FB_USED}|${DCGM_FB_FREE}"}`;

/** The request path of the instant query. */
export function promQueryPath(target: PrometheusTarget, query = DCGM_QUERY): string {
  return `${target.basePath}/api/v1/query?query=${encodeURIComponent(query)}`;
}

export interface DcgmParse {
  samples: AttributedSample[];
  /** Nodes (as the exporter names them) that had GPUs in the answer. */
  nodes: string[];
  warnings: string[];
}

interface VectorItem {
  metric?: Record<string, unknown>;
  value?: unknown;
}

function labelOf(metric: Record<string, unknown>, ...names: string[]): string | null {
  for (const n of names) {
    const v = metric[n];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/** `instance="gpu01:9400"` → `gpu01` (when there is no Hostname label). */
function hostOfInstance(instance: string | null): string | null {
  if (!instance) return null;
  const m = /^\[?([^\]]+?)\]?(?::\d+)?$/.exec(instance);
  return m ? (m[1] as string) : null;
}

/**
 * Parse the JSON of GET /api/v1/query. Throws on an error answer or a body that is not a Prometheus
 * vector (the message is shown as the source's reason). Samples with an unreadable value are skipped
 * with a warning; a series without a node or GPU label is skipped too.
 */
export function parseDcgmResponse(body: string): DcgmParse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`the answer is not JSON: ${body.slice(0, 120).replace(/\s+/g, ' ')}`);
  }
  const r = json as { status?: unknown; error?: unknown; errorType?: unknown; data?: { resultType?: unknown; result?: unknown }; warnings?: unknown };
  if (r.status !== 'success') {
    throw new Error(`Prometheus answered ${String(r.status ?? 'no status')}${r.errorType ? ` (${String(r.errorType)})` : ''}: ${String(r.error ?? '').slice(0, 300)}`);
  }
  if (r.data?.resultType !== 'vector' || !Array.isArray(r.data.result)) throw new Error(`expected a vector result, got ${String(r.data?.resultType)}`);
  const warnings: string[] = Array.isArray(r.warnings) ? r.warnings.map((w) => `Prometheus: ${String(w)}`) : [];
  interface Gpu {
    node: string;
    index: number | null;
    job: string | null;
    util: number | null;
    used: number | null;
    free: number | null;
  }
  const gpus = new Map<string, Gpu>();
  let bad = 0;
  for (const item of r.data.result as VectorItem[]) {
    const metric = item.metric ?? {};
    const name = labelOf(metric, '__name__');
    const node = labelOf(metric, 'Hostname', 'hostname', 'node', 'nodename') ?? hostOfInstance(labelOf(metric, 'instance'));
    const gpuLabel = labelOf(metric, 'gpu', 'GPU_I_ID');
    const uuid = labelOf(metric, 'UUID', 'uuid');
    const value = Array.isArray(item.value) ? Number(item.value[1]) : Number.NaN;
    if (!node || (gpuLabel === null && uuid === null) || !Number.isFinite(value)) {
      bad++;
      continue;
    }
    const index = gpuLabel !== null && /^\d+$/.test(gpuLabel) ? Number(gpuLabel) : null;
    const key = `${node}\u0000${uuid ?? gpuLabel}`;
    let g = gpus.get(key);
    if (!g) gpus.set(key, (g = { node, index, job: null, util: null, used: null, free: null }));
    const job = labelOf(metric, 'hpc_job');
    if (job && /^\d+(_\d+)?$/.test(job)) g.job = job;
    if (name === DCGM_UTIL) g.util ??= value;
    else if (name === DCGM_FB_USED) g.used ??= value;
    else if (name === DCGM_FB_FREE) g.free ??= value;
  }
  if (bad) warnings.push(`${bad} series without a node, GPU or numeric value were skipped`);
  const samples: AttributedSample[] = [];
  let noUtil = 0;
  for (const g of gpus.values()) {
    if (g.util === null) {
      noUtil++;
      continue;
    }
    samples.push({
      node: g.node,
      gpuIndex: g.index,
      utilPct: Math.max(0, Math.min(100, g.util)),
      memUsedMiB: g.used,
      memTotalMiB: g.used !== null && g.free !== null ? g.used + g.free : null,
      ...(g.job ? { jobId: g.job } : {}),
    });
  }
  if (noUtil) warnings.push(`${noUtil} GPU${noUtil === 1 ? '' : 's'} had memory metrics but no ${DCGM_UTIL}`);
  return { samples, nodes: [...new Set([...gpus.values()].map((g) => g.node))], warnings };
}
