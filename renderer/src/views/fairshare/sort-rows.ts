// Sorting the pending-jobs table by any column: numbers numerically, text by locale, missing values last
// whatever the direction, ties by job id so the order is stable.
export type SortDir = 'asc' | 'desc';

export function sortBy<T extends { jobIdRaw: number }>(rows: readonly T[], key: keyof T, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const xMissing = x === null || x === undefined;
    const yMissing = y === null || y === undefined;
    if (xMissing || yMissing) return xMissing === yMissing ? a.jobIdRaw - b.jobIdRaw : xMissing ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return c !== 0 ? sign * c : a.jobIdRaw - b.jobIdRaw;
  });
}
