import { formatAge, timeTitle } from '../format';
import { useAppStore } from '../store/app-store';

/** "as of 14:05, 3 min old": how old the data a view shows is, per cluster. */
export function AsOf({ at, zone, offline }: { at: number | null; zone?: string | null; offline?: boolean }) {
  const now = useAppStore((s) => s.info?.now ?? Math.floor(Date.now() / 1000));
  if (at === null) return <span className="as-of as-of-never">never synced</span>;
  const age = now - at;
  const stale = age > 15 * 60;
  return (
    <span className={`as-of${stale ? ' as-of-stale' : ''}${offline ? ' as-of-offline' : ''}`} title={timeTitle(at, zone ?? null)} data-testid="as-of">
      as of {new Date(at * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}, {formatAge(now, at)}
      {offline ? ' · offline' : ''}
    </span>
  );
}
