// One colour per QOS, stable across reloads (assigned in sorted order from a palette that reads on light
// and dark backgrounds), for the timeline marks and their legend.
const PALETTE = ['#d94841', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

export function qosColours(qosNames: Iterable<string>): Map<string, string> {
  const names = [...new Set(qosNames)].sort();
  return new Map(names.map((q, i) => [q, PALETTE[i % PALETTE.length] as string]));
}
